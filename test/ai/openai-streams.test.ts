/**
 * Streams fail like calls (finding 8), with the real `@ai-sdk/openai` provider and the local server's
 * injected faults: a streamed 500, a hang cut by a timeout and a reset connection fail the task (the AI SDK
 * would otherwise hand it an empty `textStream`); a 429 that a retry overcomes does not; breaking out of
 * `textStream` ends the model span marked `strikes.cancelled` with the text received; so does a run ending
 * with the stream still open; a malformed chunk after the complete answer is a warning, one in the middle
 * an error.
 */
import { createOpenAI } from '@ai-sdk/openai'
import { streamText } from 'ai'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { wrapModel } from '../../src/ai/index.js'
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

function modelSpans(span: TaskSpan): TaskSpan[] {
  return span.children.filter((child) => child.name === 'chat gpt-test')
}

describe.each(['chat', 'responses'] as const)('streams of the %s API', (api) => {
  const model = () => {
    const provider = createOpenAI({ apiKey: 'sk-test', baseURL: server.baseURL })
    return wrapModel(api === 'chat' ? provider.chat('gpt-test') : provider.responses('gpt-test'))
  }
  /** A task reading the whole text stream. */
  const reader = (options: { timeoutMs?: number; maxRetries?: number } = {}) => {
    const wrapped = model()
    return evalTask(async function read(question: string) {
      const result = streamText({
        model: wrapped,
        prompt: question,
        maxRetries: options.maxRetries ?? 0,
        abortSignal: options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
        onError: () => {},
      })
      let text = ''
      for await (const delta of result.textStream) text += delta
      return text
    })
  }

  test('a streamed 500 fails the task (not ok with output "") and the model span carries error.type 500', async () => {
    const span = await withRun({ name: `500-${api}` }, () => reader().runAlways('Down. [fault:500]'))
    expect(span.failed).toBe(true)
    expect(span.output).toBeUndefined()
    const [call] = modelSpans(span)
    expect(call?.failed).toBe(true)
    expect(spanById(call?.spanId ?? '')?.attributes).toMatchObject({
      'error.type': '500',
      'http.response.status_code': 500,
    })
  })

  test('a stream that hangs fails the task when its timeout aborts it', async () => {
    const span = await withRun({ name: `hang-${api}` }, () =>
      reader({ timeoutMs: 400 }).runAlways('Slow. Very slow. Forever. [fault:hang-stream]'),
    )
    expect(span.failed).toBe(true)
    const [call] = modelSpans(span)
    expect(call?.failed).toBe(true)
    // What arrived before the hang (the server sends three events, then nothing) is kept on the failed span.
    expect(call?.outputs.output).toBe(api === 'chat' ? 'Slow. Very ' : 'Slow. ')
  })

  test('a connection reset mid-stream fails the task', async () => {
    const span = await withRun({ name: `reset-${api}` }, () =>
      reader().runAlways('Cut. Off. Here. [fault:reset]'),
    )
    expect(span.failed).toBe(true)
    expect(modelSpans(span)[0]?.failed).toBe(true)
  })

  test('a 429 that the AI SDK retry overcomes leaves the task ok', async () => {
    const span = await withRun({ name: `retry-${api}` }, () =>
      reader({ maxRetries: 2 }).runAlways(`Retry me ${api}. [fault:429-once]`),
    )
    expect(span.failed).toBe(false)
    expect(span.output).toBe(`Retry me ${api}.`)
    expect(modelSpans(span).map((call) => call.failed)).toEqual([true, false])
  })

  test('a malformed chunk after the complete answer is a warning attribute, not an error', async () => {
    const span = await withRun({ name: `tail-${api}` }, () =>
      reader().runAlways('Whole. Answer. [fault:malformed-tail]'),
    )
    expect(span.failed).toBe(false)
    expect(span.output).toBe('Whole. Answer.')
    const [call] = modelSpans(span)
    expect(call?.failed).toBe(false)
    expect(spanById(call?.spanId ?? '')?.attributes['strikes.ai.stream_warning']).toMatch(/malformed chunk/)
  })

  test('a malformed chunk in the middle of the answer fails the call and the task', async () => {
    const span = await withRun({ name: `mid-${api}` }, () =>
      reader().runAlways('Broken. In. Two. [fault:malformed-mid]'),
    )
    expect(span.failed).toBe(true)
    expect(modelSpans(span)[0]?.failed).toBe(true)
  })

  test('breaking out of textStream ends the model span cancelled, with the text received, and the task ok', async () => {
    const wrapped = model()
    const firstWords = evalTask(async function firstWords(question: string) {
      const result = streamText({ model: wrapped, prompt: question, onError: () => {} })
      let text = ''
      for await (const delta of result.textStream) {
        text += delta
        if (text.length > 3) break
      }
      return text
    })
    const span = await withRun({ name: `break-${api}` }, () =>
      firstWords.runAlways('Many words arrive slowly one by one. [fault:slow]'),
    )
    expect(span.failed).toBe(false)
    const [call] = modelSpans(span)
    expect(call?.open).toBe(false)
    expect(call?.failed).toBe(false)
    const exported = spanById(call?.spanId ?? '')
    expect(exported?.attributes['strikes.cancelled']).toBe(true)
    expect(exported?.status.code).toBe(1)
    const received = String(call?.outputs.output)
    expect(received.startsWith('Many ')).toBe(true)
    expect(received.length).toBeLessThan('Many words arrive slowly one by one.'.length)
  })

  test('a stream still open when its run ends is ended cancelled with what it received, not as an error', async () => {
    const wrapped = model()
    let started: TaskSpan | undefined
    const background = evalTask(async function background(question: string) {
      const result = streamText({ model: wrapped, prompt: question, onError: () => {} })
      let text = ''
      for await (const delta of result.textStream) text += delta
      return text
    })
    await withRun({ name: `open-${api}` }, async () => {
      void background.runAlways('Never read to the end. [fault:hang-stream]').then((span) => {
        started = span
      })
      // Let the first chunks arrive, then end the run with the stream open.
      await new Promise((resolve) => setTimeout(resolve, 300))
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    const [call] = modelSpans(started as TaskSpan)
    expect(call?.open).toBe(false)
    expect(call?.failed).toBe(false)
    expect(spanById(call?.spanId ?? '')?.attributes['strikes.cancelled']).toBe(true)
    expect(call?.outputs.output).toBe(api === 'chat' ? 'Never read ' : 'Never ')
  })
})
