/**
 * `wrapModel` / `strikesMiddleware`: each model call is a span under the calling task with GenAI
 * attributes, and its tokens and cost are logged on that task. The model is the AI SDK's own mock.
 */
import { generateText, streamText, wrapLanguageModel } from 'ai'
import { beforeAll, describe, expect, test } from 'vitest'
import { AI_ATTR, strikesMiddleware, wrapModel } from '../../src/ai/index.js'
import { evalTask, taskSpan, withRun } from '../../src/index.js'
import type { TaskSpan } from '../../src/task-span.js'
import { countingModel, failingModel } from './mock-model.js'
import { captureSpans, spanById } from './span-recorder.js'

beforeAll(captureSpans)

/** The single model-call child of a task span. */
function modelChild(span: TaskSpan): TaskSpan {
  const calls = span.children.filter((child) => child.name.startsWith('chat '))
  expect(calls).toHaveLength(1)
  return calls[0] as TaskSpan
}

describe('a wrapped model called in a task', () => {
  test('a generateText call is a child span of the calling task, with GenAI attributes', async () => {
    const { model } = countingModel()
    const wrapped = wrapModel(model)
    const answer = evalTask(async function answer(question: string) {
      const { text } = await generateText({
        model: wrapped,
        prompt: question,
        temperature: 0.2,
        maxOutputTokens: 50,
      })
      return text
    })
    const span = await withRun({ name: 'gen' }, () => answer.run('why?'))
    expect(span.output).toBe('answer 1')
    const call = modelChild(span)
    expect(call).toMatchObject({
      name: 'chat mock-model',
      kind: 'span',
      label: 'chat_mock_model',
      output: 'answer 1',
    })
    expect(call.parentId).toBe(span.spanId)
    const otel = spanById(call.spanId)
    expect(otel?.parentSpanContext?.spanId).toBe(span.spanId)
    expect(otel?.attributes).toMatchObject({
      [AI_ATTR.operation]: 'chat',
      [AI_ATTR.system]: 'mock',
      [AI_ATTR.provider]: 'mock',
      [AI_ATTR.sdkProvider]: 'mock.chat',
      [AI_ATTR.requestModel]: 'mock-model',
      [AI_ATTR.temperature]: 0.2,
      [AI_ATTR.maxTokens]: 50,
      [AI_ATTR.responseModel]: 'mock-model-2026',
      [AI_ATTR.responseId]: 'response-1',
      [AI_ATTR.finishReasons]: ['stop'],
      [AI_ATTR.inputTokens]: 12,
      [AI_ATTR.outputTokens]: 5,
      [AI_ATTR.cacheReadInputTokens]: 2,
      [AI_ATTR.mode]: 'generate',
    })
    expect(otel?.attributes[AI_ATTR.latencyMs]).toBeTypeOf('number')
    expect(otel?.attributes[AI_ATTR.cacheHit]).toBeUndefined()
    expect(call.inputs.prompt).toEqual([{ role: 'user', content: [{ type: 'text', text: 'why?' }] }])
    expect(call.inputs.settings).toMatchObject({ temperature: 0.2, maxOutputTokens: 50 })
  })

  test('input_tokens and output_tokens are logged on the calling task and mirrored as <label>.input_tokens', async () => {
    const wrapped = wrapModel(countingModel().model)
    const ask = evalTask({ name: 'Ask Model' }, async (question: string) => {
      return (await generateText({ model: wrapped, prompt: question })).text
    })
    const { span, summary } = await withRun({ name: 'tokens' }, async (run) => {
      const spans = await ask.mapRun(['a', 'b', 'c'])
      return { span: spans[0] as TaskSpan, summary: run.metricSummary() }
    })
    expect(span.metrics.input_tokens?.map((metric) => metric.value)).toEqual([12])
    expect(span.metrics.output_tokens?.map((metric) => metric.value)).toEqual([5])
    expect(span.metrics.cost_usd).toBeUndefined()
    expect(summary['ask_model.input_tokens']).toMatchObject({ count: 3, avg: 12 })
    expect(summary['ask_model.output_tokens']).toMatchObject({ count: 3, avg: 5 })
    // The call span itself carries no metrics, so nothing is mirrored under its own label.
    expect(Object.keys(summary).filter((key) => key.startsWith('chat_'))).toEqual([])
  })

  test('with pricing, cost_usd is the tokens times the price per million, cached input at its own price', async () => {
    const wrapped = wrapModel(countingModel().model, {
      pricing: { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.5 },
    })
    const priced = evalTask(async function priced() {
      return (await generateText({ model: wrapped, prompt: 'y' })).text
    })
    const span = await withRun({ name: 'cost' }, () => priced.run())
    // 10 uncached input tokens at $3, 2 cached at $0.50, 5 output at $15 (per million).
    const expected = (10 * 3 + 2 * 0.5 + 5 * 15) / 1_000_000
    expect(span.metrics.cost_usd?.[0]?.value).toBeCloseTo(expected, 15)
    expect(spanById(modelChild(span).spanId)?.attributes[AI_ATTR.costUsd]).toBeCloseTo(expected, 15)
  })

  test('without cachedInputPerMillion every input token is charged at the input price', async () => {
    const wrapped = wrapModel(countingModel().model, { pricing: { inputPerMillion: 2, outputPerMillion: 4 } })
    const task = evalTask(async function plain() {
      return (await generateText({ model: wrapped, prompt: 'z' })).text
    })
    const span = await withRun({ name: 'cost2' }, () => task.run())
    expect(span.metrics.cost_usd?.[0]?.value).toBeCloseTo((12 * 2 + 5 * 4) / 1_000_000, 15)
  })

  test('a streamText call is a child span that ends with the stream, with usage and time to first chunk', async () => {
    const wrapped = wrapModel(countingModel().model)
    const stream = evalTask(async function stream(question: string) {
      const result = streamText({ model: wrapped, prompt: question })
      let text = ''
      for await (const delta of result.textStream) text += delta
      return text
    })
    const span = await withRun({ name: 'stream' }, () => stream.run('go'))
    expect(span.output).toBe('answer 1')
    const call = modelChild(span)
    expect(call).toMatchObject({ output: 'answer 1', failed: false, open: false })
    const otel = spanById(call.spanId)
    expect(otel?.attributes).toMatchObject({
      [AI_ATTR.mode]: 'stream',
      [AI_ATTR.inputTokens]: 12,
      [AI_ATTR.outputTokens]: 5,
      [AI_ATTR.finishReasons]: ['stop'],
      [AI_ATTR.responseId]: 'response-1',
    })
    expect(otel?.attributes[AI_ATTR.timeToFirstChunkMs]).toBeTypeOf('number')
    expect(span.metrics.output_tokens?.[0]?.value).toBe(5)
  })

  test('wrapLanguageModel with strikesMiddleware() records calls the same way', async () => {
    const wrapped = wrapLanguageModel({
      model: countingModel('other').model,
      middleware: strikesMiddleware(),
    })
    const task = evalTask(async function viaMiddleware() {
      return (await generateText({ model: wrapped, prompt: 'q' })).text
    })
    const span = await withRun({ name: 'middleware' }, () => task.run())
    expect(modelChild(span).name).toBe('chat other')
    expect(span.metrics.input_tokens?.[0]?.value).toBe(12)
  })

  test('the span name and label can be set, and logContent: false keeps prompt and answer out', async () => {
    const wrapped = wrapModel(countingModel().model, {
      name: 'judge call',
      label: 'judge',
      logContent: false,
    })
    const task = evalTask(async function judged() {
      return (await generateText({ model: wrapped, prompt: 'secret' })).text
    })
    const span = await withRun({ name: 'named' }, () => task.run())
    const call = span.children[0] as TaskSpan
    expect(call).toMatchObject({ name: 'judge call', label: 'judge', inputs: {}, outputs: {} })
  })

  test('logMetrics: false logs no token metrics on the task', async () => {
    const wrapped = wrapModel(countingModel().model, {
      logMetrics: false,
      pricing: { inputPerMillion: 1, outputPerMillion: 1 },
    })
    const task = evalTask(async function quiet() {
      return (await generateText({ model: wrapped, prompt: 'q' })).text
    })
    const span = await withRun({ name: 'quiet' }, () => task.run())
    expect(span.metrics).toEqual({})
    expect(spanById(modelChild(span).spanId)?.attributes[AI_ATTR.inputTokens]).toBe(12)
  })

  test('a call inside a taskSpan is its child and logs its tokens on it', async () => {
    const wrapped = wrapModel(countingModel().model)
    const { block, summary } = await withRun({ name: 'block' }, async (run) => {
      let block: TaskSpan | undefined
      await taskSpan('draft reply', async (span) => {
        block = span
        return (await generateText({ model: wrapped, prompt: 'q' })).text
      })
      return { block: block as TaskSpan, summary: run.metricSummary() }
    })
    expect(modelChild(block).parentId).toBe(block.spanId)
    expect(block.metrics.input_tokens?.[0]?.value).toBe(12)
    expect(summary['draft_reply.output_tokens']).toMatchObject({ count: 1 })
  })

  test('called outside any task, tokens are logged on the run unprefixed', async () => {
    const wrapped = wrapModel(countingModel().model)
    const summary = await withRun({ name: 'bare' }, async (run) => {
      await generateText({ model: wrapped, prompt: 'q' })
      return run.metricSummary()
    })
    expect(summary.input_tokens).toMatchObject({ count: 1, avg: 12 })
  })

  test('calls in parallel tasks are parented to their own task', async () => {
    const wrapped = wrapModel(countingModel().model)
    const echo = evalTask(async function echo(question: string) {
      return (await generateText({ model: wrapped, prompt: question })).text
    })
    const spans = await withRun({ name: 'parallel' }, () =>
      echo.mapRun(['a', 'b', 'c', 'd'], { concurrency: 4 }),
    )
    for (const span of spans) {
      const call = modelChild(span)
      expect(call.parentId).toBe(span.spanId)
      expect(call.inputs.prompt).toEqual([
        { role: 'user', content: [{ type: 'text', text: span.inputs.question }] },
      ])
    }
  })
})

describe('failing model calls', () => {
  test('a rejected generate call fails its span and the task, with the provider error', async () => {
    const wrapped = wrapModel(failingModel())
    const task = evalTask(async function broken() {
      return (await generateText({ model: wrapped, prompt: 'q', maxRetries: 0 })).text
    })
    const span = await withRun({ name: 'fail' }, () => task.runAlways())
    expect(span.failed).toBe(true)
    const call = modelChild(span)
    expect(call.failed).toBe(true)
    expect(call.error?.message).toBe('provider is down')
    expect(spanById(call.spanId)?.status.message).toBe('Error: provider is down')
  })

  test('an error part in a stream fails the call span', async () => {
    const wrapped = wrapModel(failingModel())
    const task = evalTask(async function brokenStream() {
      const result = streamText({ model: wrapped, prompt: 'q', onError: () => {} })
      let text = ''
      for await (const delta of result.textStream) text += delta
      return text
    })
    const span = await withRun({ name: 'fail-stream' }, () => task.runAlways())
    const call = modelChild(span)
    expect(call.failed).toBe(true)
    expect(call.error?.message).toBe('stream broke')
  })
})

describe('options', () => {
  test('a wrong option fails at once, naming it', () => {
    const { model } = countingModel()
    expect(() => wrapModel(model, { pricing: { inputPerMillion: -1, outputPerMillion: 1 } })).toThrow(
      /strikes\/ai: invalid wrapModel options: option "pricing.inputPerMillion"/,
    )
    expect(() => strikesMiddleware({ cahce: true } as never)).toThrow(
      /invalid strikesMiddleware options: unknown option "cahce"/,
    )
  })

  test('wrapModel refuses a model id string, saying it needs a v6 model object', () => {
    expect(() => wrapModel('openai/gpt-4o' as never)).toThrow(
      /needs an AI SDK v6 language model object .* got the string "openai\/gpt-4o"/,
    )
  })
})
