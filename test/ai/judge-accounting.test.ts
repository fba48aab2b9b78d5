/**
 * Scoring is accounted as scoring (finding 6): an `llmJudge` whose judge calls a model wrapped by
 * `strikes/ai` logs that call's tokens and cost as `<scorer>.input_tokens` / `<scorer>.cost_usd` with
 * source `scorer`, never as the judged task's `input_tokens` / `cost_usd`; the judge's model span says
 * which scorer it served. Real `@ai-sdk/openai` provider, local server.
 */
import { createOpenAI } from '@ai-sdk/openai'
import { generateText } from 'ai'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { wrapModel } from '../../src/ai/index.js'
import { evalTask, withRun } from '../../src/index.js'
import { llmJudge } from '../../src/scorers/index.js'
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

test("a judge's model call is charged to the scorer, not to the judged task", async () => {
  const provider = createOpenAI({ apiKey: 'sk-test', baseURL: server.baseURL })
  const model = wrapModel(provider.chat('gpt-test'), { pricing: { inputPerMillion: 1, outputPerMillion: 2 } })
  const judge = llmJudge<string>({
    rubric: 'The summary is short.',
    judge: async (prompt) => (await generateText({ model, prompt })).text,
  })
  const summarise = evalTask({ name: 'summarise', scorers: [judge] }, async (text: string) => {
    return (await generateText({ model, prompt: text })).text
  })
  const { span, summary } = await withRun({ name: 'judged' }, async (run) => {
    const span = await summarise.run('Tea grows on hills. It is picked by hand. It is dried.')
    return { span, summary: run.metricSummary() }
  })
  expect(span.metrics.llm_judge?.[0]?.value).toBe(0.8)
  // The task's own call: one point each.
  expect(span.metrics.input_tokens).toHaveLength(1)
  expect(span.metrics.cost_usd).toHaveLength(1)
  expect(span.metrics.input_tokens?.[0]?.source).toBe('log')
  // The judge's call: scorer metrics.
  for (const name of ['llm_judge.input_tokens', 'llm_judge.output_tokens', 'llm_judge.cost_usd']) {
    expect(span.metrics[name], name).toHaveLength(1)
    expect(span.metrics[name]?.[0]?.source).toBe('scorer')
  }
  const keys = Object.keys(summary).sort()
  expect(keys).toContain('summarise.llm_judge.cost_usd')
  expect(summary['summarise.cost_usd']?.count).toBe(1)
  // The judge's model span names the scorer it served.
  const calls = span.children.filter((child) => child.name === 'chat gpt-test')
  expect(calls).toHaveLength(2)
  expect(calls.map((call) => spanById(call.spanId)?.attributes['strikes.scorer'])).toEqual([
    undefined,
    'llm_judge',
  ])
})
