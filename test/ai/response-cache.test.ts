/**
 * The opt-in response cache of `strikes/ai`: keyed by model, prompt, call settings and trial index,
 * stored as files, turned off by `STRIKES_NO_CACHE=1`, hits marked on the call span; the first answer for
 * a key wins and concurrent identical calls wait for it (finding 7).
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { generateText, streamText } from 'ai'
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { AI_ATTR, wrapModel } from '../../src/ai/index.js'
import { type CachedResponse, ResponseCache } from '../../src/ai/response-cache.js'
import { evalTask, withRun } from '../../src/index.js'
import type { TaskSpan } from '../../src/task-span.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'
import { countingModel } from './mock-model.js'
import { captureSpans, spanById } from './span-recorder.js'

beforeAll(captureSpans)
afterEach(() => {
  vi.unstubAllEnvs()
})

function freshCacheDir(): string {
  const root = join(REPO_ROOT, 'test/.tmp')
  mkdirSync(root, { recursive: true })
  return mkdtempSync(join(root, 'ai-cache-'))
}

function cacheFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.json'))
}

/** A task answering its question through the model, and the hit flag of each of its calls. */
function askTask(model: ReturnType<typeof wrapModel>) {
  return evalTask(async function ask(question: string) {
    return (await generateText({ model, prompt: question })).text
  })
}

function hitOf(span: TaskSpan): unknown {
  const call = span.children[0] as TaskSpan
  return spanById(call.spanId)?.attributes[AI_ATTR.cacheHit]
}

describe('the response cache', () => {
  test('a repeated request in a new task call is answered from the cache and marked as a hit', async () => {
    const cacheDir = freshCacheDir()
    const mock = countingModel()
    const ask = askTask(wrapModel(mock.model, { cache: true, cacheDir }))
    const [first, second] = await withRun({ name: 'cache' }, async () => [
      await ask.run('q'),
      await ask.run('q'),
    ])
    expect(mock.calls()).toBe(1)
    expect([first.output, second.output]).toEqual(['answer 1', 'answer 1'])
    expect([hitOf(first), hitOf(second)]).toEqual([false, true])
    expect(cacheFiles(cacheDir)).toHaveLength(1)
    // A hit still logs the tokens the cached answer used, so metrics do not depend on the cache.
    expect(second.metrics.input_tokens?.[0]?.value).toBe(12)
    const key = spanById((second.children[0] as TaskSpan).spanId)?.attributes[AI_ATTR.cacheKey]
    expect(key).toMatch(/^[0-9a-f]{64}$/)
  })

  test('many(5) gets five distinct answers, and the same five again from the cache: the trial index is in the key', async () => {
    const cacheDir = freshCacheDir()
    const mock = countingModel()
    const ask = askTask(wrapModel(mock.model, { cache: true, cacheDir }))
    const first = await withRun({ name: 'trials-1' }, () => ask.many(5, 'same question'))
    expect(new Set(first).size).toBe(5)
    expect(mock.calls()).toBe(5)
    const again = await withRun({ name: 'trials-2' }, () => ask.many(5, 'same question'))
    expect(again).toEqual(first)
    expect(mock.calls()).toBe(5)
  })

  test('the same request twice in one task call gets two answers, each cached', async () => {
    const cacheDir = freshCacheDir()
    const mock = countingModel()
    const model = wrapModel(mock.model, { cache: true, cacheDir })
    const twice = evalTask(async function twice() {
      const a = await generateText({ model, prompt: 'q' })
      const b = await generateText({ model, prompt: 'q' })
      return [a.text, b.text]
    })
    const first = await withRun({ name: 'twice-1' }, () => twice())
    const again = await withRun({ name: 'twice-2' }, () => twice())
    expect(first).toEqual(['answer 1', 'answer 2'])
    expect(again).toEqual(first)
    expect(mock.calls()).toBe(2)
  })

  test('a different prompt, setting or model misses the cache', async () => {
    const cacheDir = freshCacheDir()
    const mock = countingModel()
    const other = countingModel('other-model')
    const model = wrapModel(mock.model, { cache: true, cacheDir })
    const otherModel = wrapModel(other.model, { cache: true, cacheDir })
    await withRun({ name: 'miss' }, async () => {
      await generateText({ model, prompt: 'q' })
      await evalTask(async function t() {
        await generateText({ model, prompt: 'q', temperature: 0.9 })
        await generateText({ model, prompt: 'another' })
        await generateText({ model: otherModel, prompt: 'q' })
      })()
    })
    expect(mock.calls() + other.calls()).toBe(4)
    expect(cacheFiles(cacheDir)).toHaveLength(4)
  })

  test('STRIKES_NO_CACHE=1 turns the cache off: every call reaches the model and nothing is written', async () => {
    const cacheDir = freshCacheDir()
    const mock = countingModel()
    const ask = askTask(wrapModel(mock.model, { cache: true, cacheDir }))
    vi.stubEnv('STRIKES_NO_CACHE', '1')
    const [first] = await withRun(
      { name: 'off' },
      async () => [await ask.run('q'), await ask.run('q')] as const,
    )
    expect(mock.calls()).toBe(2)
    expect(cacheFiles(cacheDir)).toEqual([])
    expect(hitOf(first)).toBeUndefined()
  })

  test('the cache is off unless asked for', async () => {
    const mock = countingModel()
    const ask = askTask(wrapModel(mock.model))
    await withRun({ name: 'default' }, async () => [await ask('q'), await ask('q')])
    expect(mock.calls()).toBe(2)
  })

  test('streamed answers are cached and replayed part by part', async () => {
    const cacheDir = freshCacheDir()
    const mock = countingModel()
    const model = wrapModel(mock.model, { cache: true, cacheDir })
    const stream = evalTask(async function stream() {
      const result = streamText({ model, prompt: 'q' })
      const deltas: string[] = []
      for await (const delta of result.textStream) deltas.push(delta)
      return { deltas, usage: await result.usage }
    })
    const first = await withRun({ name: 's1' }, () => stream.run())
    const second = await withRun({ name: 's2' }, () => stream.run())
    expect(mock.calls()).toBe(1)
    expect(second.output).toEqual(first.output)
    expect(first.output?.deltas).toEqual(['answer ', '1'])
    expect(second.output?.usage.outputTokens).toBe(5)
    expect(hitOf(second)).toBe(true)
  })

  test('a failed call is not cached, and the retry after it takes its place in the cache', async () => {
    const cacheDir = freshCacheDir()
    let failNext = true
    const mock = countingModel()
    const answer = mock.model.doGenerate.bind(mock.model)
    mock.model.doGenerate = async (options) => {
      if (failNext) {
        failNext = false
        throw new Error('rate limited')
      }
      return answer(options)
    }
    const model = wrapModel(mock.model, { cache: true, cacheDir })
    const withRetry = evalTask(async function withRetry() {
      const call = async () => (await generateText({ model, prompt: 'q', maxRetries: 0 })).text
      try {
        return await call()
      } catch {
        return await call()
      }
    })
    const first = await withRun({ name: 'retry-1' }, () => withRetry())
    const again = await withRun({ name: 'retry-2' }, () => withRetry())
    expect([first, again]).toEqual(['answer 1', 'answer 1'])
    expect(mock.calls()).toBe(1)
    expect(cacheFiles(cacheDir)).toHaveLength(1)
  })

  test('an unreadable cache entry is a miss and is replaced by the fresh answer', async () => {
    const cacheDir = freshCacheDir()
    const mock = countingModel()
    const ask = askTask(wrapModel(mock.model, { cache: true, cacheDir }))
    await withRun({ name: 'c1' }, () => ask('q'))
    const [file] = cacheFiles(cacheDir)
    writeFileSync(join(cacheDir, file as string), '{ not json')
    expect(await withRun({ name: 'c2' }, () => ask('q'))).toBe('answer 2')
    expect(await withRun({ name: 'c3' }, () => ask('q'))).toBe('answer 2')
    expect(mock.calls()).toBe(2)
  })

  test('cache: true outside Vitest recording and without cacheDir fails the call, saying what to do', async () => {
    const ask = askTask(wrapModel(countingModel().model, { cache: true }))
    await expect(withRun({ name: 'no-dir' }, () => ask('q'))).rejects.toThrow(
      /the response cache \(cache: true\) needs a folder: .* pass `cacheDir`/,
    )
  })
})

describe('first answer wins (create-if-absent, claims for answers being computed)', () => {
  const answer = (text: string) =>
    ({ kind: 'generate', result: { content: [{ type: 'text', text }] } }) as unknown as CachedResponse

  test('create keeps the entry already there and hands it back to the second writer', async () => {
    const cache = new ResponseCache(freshCacheDir())
    expect(await cache.create('ab12', answer('first'))).toEqual(answer('first'))
    const kept = await cache.create('ab12', answer('second'))
    expect(kept).toEqual(answer('first'))
    expect(await cache.read('ab12')).toEqual(answer('first'))
  })

  test('a second claim waits for the first claimant and gets its answer, without computing it', async () => {
    const cache = new ResponseCache(freshCacheDir())
    expect(await cache.claim('cd34')).toBe('claimed')
    const waiting = cache.claim('cd34')
    await new Promise((resolve) => setTimeout(resolve, 80))
    await cache.create('cd34', answer('computed once'))
    await cache.release('cd34')
    expect(await waiting).toEqual(answer('computed once'))
  })

  test('when the claimant fails (releases without an answer), a waiting claim takes over', async () => {
    const cache = new ResponseCache(freshCacheDir())
    expect(await cache.claim('ef56')).toBe('claimed')
    const waiting = cache.claim('ef56')
    await cache.release('ef56')
    expect(await waiting).toBe('claimed')
  })

  test('a claim left by a process that is gone is taken over at once', async () => {
    const cache = new ResponseCache(freshCacheDir())
    const pending = `${cache.pathOf('aa78')}.pending`
    mkdirSync(join(pending, '..'), { recursive: true })
    writeFileSync(pending, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), at: Date.now() }))
    expect(await cache.claim('aa78')).toBe('claimed')
  })

  test('two identical calls in parallel in one process reach the model once and answer alike', async () => {
    const { model, calls } = countingModel()
    const wrapped = wrapModel(model, { cache: true, cacheDir: freshCacheDir() })
    const ask = askTask(wrapped)
    const outputs = await withRun({ name: 'twins' }, () => ask.map(['same?', 'same?']))
    expect(calls()).toBe(1)
    expect(outputs).toEqual(['answer 1', 'answer 1'])
  })
})
