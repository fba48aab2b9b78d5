import { describe, expect, test } from 'vitest'
import { evalTask, scorer, TaskSpanList } from '../../src/index.js'
import { exactMatch } from '../../src/scorers/index.js'

/** A scorer reading the score from a `score=<n>` marker in the output. */
const marked = scorer<string>('quality', (output) => Number(/score=([\d.]+)/.exec(output)?.[1] ?? Number.NaN))

/** Spans of one call per item; an item `null` logs no metric at all. */
async function spansFor(items: (number | null)[]) {
  const task = evalTask(async function candidate(item: number | null) {
    return item === null ? 'no score' : `score=${item}`
  })
  const spans = await task.mapRun(items)
  // Score by hand so that unscored spans are possible.
  for (const span of spans) {
    const match = /score=([\d.]+)/.exec(span.output ?? '')
    if (match) span.logMetric('quality', Number(match[1]))
  }
  return spans
}

const outputsOf = (spans: TaskSpanList<string>) => spans.map((span) => span.output)

describe('TaskSpanList ranking', () => {
  test('sorted() ranks by the average metric, highest first', async () => {
    const spans = await spansFor([0.2, 0.9, 0.5])
    expect(outputsOf(spans.sorted())).toEqual(['score=0.9', 'score=0.5', 'score=0.2'])
  })

  test("sorted({ order: 'asc' }) ranks lowest first", async () => {
    const spans = await spansFor([0.2, 0.9, 0.5])
    expect(outputsOf(spans.sorted({ order: 'asc' }))).toEqual(['score=0.2', 'score=0.5', 'score=0.9'])
  })

  test('ties keep their call order, in both directions', async () => {
    const task = evalTask(async function pick(item: { id: string; score: number }) {
      return item.id
    })
    const spans = await task.mapRun([
      { id: 'a', score: 0.5 },
      { id: 'b', score: 0.9 },
      { id: 'c', score: 0.5 },
      { id: 'd', score: 0.9 },
      { id: 'e', score: 0.5 },
    ])
    for (const span of spans) span.logMetric('quality', (span.inputs.item as { score: number }).score)
    expect(spans.sorted().map((span) => span.output)).toEqual(['b', 'd', 'a', 'c', 'e'])
    expect(spans.sorted({ order: 'asc' }).map((span) => span.output)).toEqual(['a', 'c', 'e', 'b', 'd'])
  })

  test('spans without metrics come last, in call order, whatever the direction', async () => {
    const spans = await spansFor([null, 0.3, null, 0.7])
    expect(outputsOf(spans.sorted())).toEqual(['score=0.7', 'score=0.3', 'no score', 'no score'])
    expect(outputsOf(spans.sorted({ order: 'asc' }))).toEqual([
      'score=0.3',
      'score=0.7',
      'no score',
      'no score',
    ])
    const ranked = spans.sorted()
    expect(ranked[2]).toBe(spans[0])
    expect(ranked[3]).toBe(spans[2])
  })

  test('by ranks on one metric, and spans missing that metric come last', async () => {
    const task = evalTask(async function pair(item: { a?: number; b: number }) {
      return item
    })
    const spans = await task.mapRun([{ a: 0.1, b: 0.9 }, { b: 1 }, { a: 0.8, b: 0.1 }])
    for (const span of spans) {
      const item = span.output as { a?: number; b: number }
      if (item.a !== undefined) span.logMetric('a', item.a)
      span.logMetric('b', item.b)
    }
    expect(spans.sorted({ by: 'a' }).map((span) => span.output)).toEqual([
      { a: 0.8, b: 0.1 },
      { a: 0.1, b: 0.9 },
      { b: 1 },
    ])
    expect(spans.sorted({ by: 'b' }).map((span) => span.output)).toEqual([
      { b: 1 },
      { a: 0.1, b: 0.9 },
      { a: 0.8, b: 0.1 },
    ])
    // Without `by`: the mean of every metric of a span (0.5, 1, 0.45).
    expect(spans.sorted().map((span) => span.output)).toEqual([
      { b: 1 },
      { a: 0.1, b: 0.9 },
      { a: 0.8, b: 0.1 },
    ])
  })

  test('sorted() returns a new TaskSpanList and leaves the original order alone', async () => {
    const spans = await spansFor([0.1, 0.9])
    const ranked = spans.sorted()
    expect(ranked).toBeInstanceOf(TaskSpanList)
    expect(outputsOf(spans)).toEqual(['score=0.1', 'score=0.9'])
  })

  test('topN(n) keeps the best n; 0 gives none, more than there are gives all', async () => {
    const spans = await spansFor([0.2, 0.9, 0.5, 0.7])
    expect(outputsOf(spans.topN(2))).toEqual(['score=0.9', 'score=0.7'])
    expect(outputsOf(spans.topN(2, { order: 'asc' }))).toEqual(['score=0.2', 'score=0.5'])
    expect(spans.topN(0)).toHaveLength(0)
    expect(outputsOf(spans.topN(10))).toEqual(['score=0.9', 'score=0.7', 'score=0.5', 'score=0.2'])
    expect(spans.topN(1)).toBeInstanceOf(TaskSpanList)
  })

  test('topN rejects a negative or fractional count', async () => {
    const spans = await spansFor([0.5])
    expect(() => spans.topN(-1)).toThrow(/topN needs a count >= 0, got -1/)
    expect(() => spans.topN(1.5)).toThrow(/topN needs a count >= 0/)
  })

  test('scorer metrics rank spans: the best manyRun candidate by a scorer comes first', async () => {
    let call = 0
    const scores = [0.3, 0.8, 0.1, 0.8]
    const task = evalTask({ scorers: [marked], concurrency: 1 }, async function draft(_topic: string) {
      return `draft ${call} score=${scores[call++]}`
    })
    const spans = await task.manyRun(4, 'tides')
    expect(spans.topN(2).map((span) => span.output)).toEqual(['draft 1 score=0.8', 'draft 3 score=0.8'])
  })
})

describe('task.topN(count, n, ...args)', () => {
  test('returns the outputs of the best n of count calls, ties in call order', async () => {
    let call = 0
    const scores = [0.5, 0.9, 0.5, 0.9, 0.1]
    const task = evalTask({ scorers: [marked] }, async function draft(_topic: string) {
      const index = call++
      return `#${index} score=${scores[index]}`
    })
    expect(await task.topN(5, 3, 'tides')).toEqual(['#1 score=0.9', '#3 score=0.9', '#0 score=0.5'])
  })

  test('drops failed calls before ranking', async () => {
    let call = 0
    const task = evalTask({ scorers: [marked], concurrency: 1 }, async function flaky(_topic: string) {
      const index = call++
      if (index % 2 === 0) throw new Error(`call ${index} failed`)
      return `#${index} score=0.${index}`
    })
    expect(await task.topN(6, 5, 'x')).toEqual(['#5 score=0.5', '#3 score=0.3', '#1 score=0.1'])
  })

  test('drops calls failed by asserted scores', async () => {
    let call = 0
    const task = evalTask(
      { scorers: [exactMatch('yes')], assertScores: true, concurrency: 1 },
      async function answer() {
        return call++ % 2 === 0 ? 'yes' : 'no'
      },
    )
    expect(await task.topN(4, 4)).toEqual(['yes', 'yes'])
  })

  test('ranks by the rankBy metric when the task names one', async () => {
    let call = 0
    const short = scorer<string>('short', (output) => 1 / output.length)
    const task = evalTask(
      { scorers: [marked, short], rankBy: 'short', concurrency: 1 },
      async function draft() {
        return [`score=0.9 ${'long '.repeat(10)}`, 'score=0.1', 'score=0.5 mid'][call++] as string
      },
    )
    expect(await task.topN(3, 1)).toEqual(['score=0.1'])
  })

  test('gives fewer than n when fewer calls succeed, and none for n = 0', async () => {
    const task = evalTask({ scorers: [marked] }, async () => 'score=1')
    expect(await task.topN(2, 5)).toEqual(['score=1', 'score=1'])
    expect(await task.topN(3, 0)).toEqual([])
    await expect(task.topN(3, -1)).rejects.toThrow(/topN needs n >= 0/)
  })
})
