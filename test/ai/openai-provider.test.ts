/**
 * The real `@ai-sdk/openai` provider against the local OpenAI-compatible server, Chat Completions and
 * Responses alike: model spans are CLIENT spans with `server.address`, GenAI messages and the provider's
 * own finish reasons (findings 2, 4, 9); tool executions are `execute_tool` child spans of the model step
 * (finding 9); unset settings are left out (finding 9); a 429 carries `error.type` and the HTTP status
 * (finding 4); `generateObject` works through the wrapper.
 */
import { createOpenAI } from '@ai-sdk/openai'
import { SpanKind } from '@opentelemetry/api'
import { generateObject, generateText, stepCountIs, streamText, tool } from 'ai'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { wrapModel, wrapTools } from '../../src/ai/index.js'
import { evalTask, withRun } from '../../src/index.js'
import type { TaskSpan } from '../../src/task-span.js'
import { type OpenAIServer, startOpenAIServer } from './openai-server.js'
import { captureSpans, spanById } from './span-recorder.js'

let server: OpenAIServer
beforeAll(async () => {
  captureSpans()
  server = await startOpenAIServer()
})
afterAll(async () => {
  await server?.close()
})

const apis = ['chat', 'responses'] as const

function modelOf(api: (typeof apis)[number]) {
  const provider = createOpenAI({ apiKey: 'sk-test-not-secret', baseURL: server.baseURL })
  return api === 'chat' ? provider.chat('gpt-test') : provider.responses('gpt-test')
}

function modelSpans(span: TaskSpan): TaskSpan[] {
  return span.children.filter((child) => child.name === 'chat gpt-test')
}

describe.each(apis)('the %s API through wrapModel', (api) => {
  test('a generateText call is a CLIENT span with server.address, GenAI messages and the provider finish reason', async () => {
    const model = wrapModel(modelOf(api))
    const answer = evalTask(async function answer(question: string) {
      return (await generateText({ model, system: 'Be brief.', prompt: question, temperature: 0 })).text
    })
    const span = await withRun({ name: `gen-${api}` }, () =>
      answer.run('Tea is a drink. It is hot. It is old.'),
    )
    expect(span.output).toBe('Tea is a drink. It is hot.')
    const [call] = modelSpans(span)
    const exported = spanById(call?.spanId ?? '')
    expect(exported?.kind).toBe(SpanKind.CLIENT)
    const port = Number(new URL(server.baseURL).port)
    expect(exported?.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.response.model': 'gpt-test-2026',
      'gen_ai.response.finish_reasons': [api === 'chat' ? 'stop' : 'stop'],
      'server.address': '127.0.0.1',
      'server.port': port,
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-test-2026',
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Be brief.',
      'llm.input_messages.1.message.role': 'user',
      'llm.output_messages.0.message.content': 'Tea is a drink. It is hot.',
      'output.value': 'Tea is a drink. It is hot.',
    })
    expect(JSON.parse(exported?.attributes['gen_ai.system_instructions'] as string)).toEqual([
      { type: 'text', content: 'Be brief.' },
    ])
    expect(JSON.parse(exported?.attributes['gen_ai.input.messages'] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Tea is a drink. It is hot. It is old.' }] },
    ])
    expect(JSON.parse(exported?.attributes['gen_ai.output.messages'] as string)).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'Tea is a drink. It is hot.' }],
        finish_reason: 'stop',
      },
    ])
    expect(exported?.attributes['llm.token_count.prompt']).toBeGreaterThan(0)
  })

  test('settings record only what was set — no unset setting as {"$undefined":true}', async () => {
    const model = wrapModel(modelOf(api))
    const ask = evalTask(async function ask(question: string) {
      return (await generateText({ model, prompt: question, temperature: 0.3 })).text
    })
    const span = await withRun({ name: `settings-${api}` }, () => ask.run('One. Two.'))
    const settings = modelSpans(span)[0]?.inputs.settings as Record<string, unknown>
    expect(settings.temperature).toBe(0.3)
    expect(Object.values(settings).filter((value) => value === undefined)).toEqual([])
    expect(JSON.stringify(settings)).not.toContain('$undefined')
    expect(settings).not.toHaveProperty('topP')
  })

  test('a tool execution is an execute_tool child span of the model step that asked for it', async () => {
    const model = wrapModel(modelOf(api))
    const tools = wrapTools({
      lookup: tool({
        description: 'Looks a word up',
        inputSchema: z.object({ query: z.string() }),
        execute: async ({ query }) => `${query.length} letters`,
      }),
    })
    const agent = evalTask(async function agent(question: string) {
      return (await generateText({ model, prompt: question, tools, stopWhen: stepCountIs(3) })).text
    })
    const span = await withRun({ name: `tools-${api}` }, () => agent.run('spell tea'))
    expect(span.output).toBe('The tool said: 9 letters')
    const [first, second] = modelSpans(span)
    expect(second).toBeDefined()
    const exported = spanById(first?.spanId ?? '')
    // Chat Completions: the provider's finish reason, not the AI SDK's `tool-calls`. The Responses API sends
    // none for a completed response (only an incomplete one has a reason), so the AI SDK's value stays.
    expect(exported?.attributes['gen_ai.response.finish_reasons']).toEqual([
      api === 'chat' ? 'tool_calls' : 'tool-calls',
    ])
    const [execution] = first?.children ?? []
    expect(execution).toMatchObject({
      name: 'execute_tool lookup',
      parentId: first?.spanId,
      output: '9 letters',
    })
    expect(execution?.inputs.arguments).toEqual({ query: 'spell tea' })
    expect(spanById(execution?.spanId ?? '')?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup',
      'gen_ai.tool.call.id': expect.stringMatching(/^call_/),
      'openinference.span.kind': 'TOOL',
      'gen_ai.tool.call.result': '"9 letters"',
    })
  })

  test('a tool that throws fails its execute_tool span with the error', async () => {
    const model = wrapModel(modelOf(api))
    const tools = wrapTools({
      lookup: tool({
        inputSchema: z.object({ query: z.string() }),
        execute: async ({ query }): Promise<string> => {
          throw new Error(`dictionary offline for ${query}`)
        },
      }),
    })
    const agent = evalTask(async function agent(question: string) {
      return (await generateText({ model, prompt: question, tools, stopWhen: stepCountIs(2) })).text
    })
    const span = await withRun({ name: `tool-error-${api}` }, () => agent.runAlways('spell tea'))
    const execution = modelSpans(span)[0]?.children[0]
    expect(execution?.failed).toBe(true)
    expect(execution?.error?.message).toContain('dictionary offline')
  })

  test('generateObject answers through the wrapper and records the response format', async () => {
    const model = wrapModel(modelOf(api))
    const extract = evalTask(async function extract(text: string) {
      const { object } = await generateObject({
        model,
        prompt: text,
        schema: z.object({ name: z.string(), age: z.number() }),
      })
      return object
    })
    const span = await withRun({ name: `object-${api}` }, () => extract.run('Ann is 30.'))
    expect(span.output).toEqual({ name: 'x', age: 1 })
    expect(modelSpans(span)[0]?.inputs.settings).toMatchObject({ responseFormat: { type: 'json' } })
  })

  test('a 429 answer is a failed attempt with error.type 429 and the HTTP status; the retry succeeds', async () => {
    const model = wrapModel(modelOf(api))
    const ask = evalTask(async function ask(question: string) {
      return (await generateText({ model, prompt: question })).text
    })
    const span = await withRun({ name: `429-${api}` }, () => ask.run(`Busy ${api}. [fault:429-once]`))
    expect(span.failed).toBe(false)
    const [failed, retried] = modelSpans(span)
    expect(failed?.failed).toBe(true)
    expect(spanById(failed?.spanId ?? '')?.attributes).toMatchObject({
      'error.type': '429',
      'http.response.status_code': 429,
    })
    expect(retried?.failed).toBe(false)
  })

  test('a streamed answer records text, tokens and time to first chunk', async () => {
    const model = wrapModel(modelOf(api))
    const sample = evalTask(async function sample(question: string) {
      let text = ''
      for await (const delta of streamText({ model, prompt: question }).textStream) text += delta
      return text
    })
    const span = await withRun({ name: `stream-${api}` }, () => sample.run('Streams flow. They end.'))
    expect(span.output).toBe('Streams flow. They end.')
    const exported = spanById(modelSpans(span)[0]?.spanId ?? '')
    expect(exported?.attributes['strikes.ai.time_to_first_chunk_ms']).toBeTypeOf('number')
    expect(exported?.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0)
    expect(exported?.kind).toBe(SpanKind.CLIENT)
  })
})
