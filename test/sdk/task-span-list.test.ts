/**
 * `TaskSpanList`: an array of spans with `sorted`, `topN`, `outputs`, `failed` and `succeeded`.
 */
import { describe, expect, it } from 'vitest'
import { evalTask, logMetric, TaskSpanList } from '../../src/index.js'

interface Row {
  id: string
  quality?: number
  speed?: number
  fail?: boolean
}

const scoreRow = evalTask(async function scoreRow(row: Row) {
  if (row.fail === true) throw new Error(`row ${row.id} failed`)
  if (row.quality !== undefined) logMetric('quality', row.quality)
  if (row.speed !== undefined) logMetric('speed', row.speed)
  return row.id
})

async function listOf(rows: Row[]): Promise<TaskSpanList<string>> {
  return TaskSpanList.fromSpans(await Promise.all(rows.map((row) => scoreRow.runAlways(row))))
}

const ids = (list: TaskSpanList<string>): (string | undefined)[] => list.map((span) => span.output)

describe('TaskSpanList', () => {
  it('is an Array of TaskSpans (what mapRun returns)', async () => {
    const list = await scoreRow.mapRun([{ id: 'a' }, { id: 'b' }])
    expect(Array.isArray(list)).toBe(true)
    expect(list).toBeInstanceOf(TaskSpanList)
    expect(list).toHaveLength(2)
  })

  it('sorted() ranks by averageMetric(), highest first, spans without metrics last', async () => {
    const list = await listOf([
      { id: 'none' },
      { id: 'low', quality: 0.1 },
      { id: 'mixed', quality: 1, speed: 0 },
      { id: 'high', quality: 0.9 },
    ])
    expect(ids(list.sorted())).toEqual(['high', 'mixed', 'low', 'none'])
    expect(list.sorted()).toBeInstanceOf(TaskSpanList)
  })

  it("sorted({ order: 'asc' }) ranks lowest first and still puts spans without metrics last", async () => {
    const list = await listOf([{ id: 'none' }, { id: 'high', quality: 0.9 }, { id: 'low', quality: 0.1 }])
    expect(ids(list.sorted({ order: 'asc' }))).toEqual(['low', 'high', 'none'])
  })

  it('sorted({ by }) ranks by one metric; spans without it come last', async () => {
    const list = await listOf([
      { id: 'fast', quality: 0.1, speed: 9 },
      { id: 'noSpeed', quality: 1 },
      { id: 'slow', quality: 0.9, speed: 1 },
    ])
    expect(ids(list.sorted({ by: 'speed' }))).toEqual(['fast', 'slow', 'noSpeed'])
    expect(ids(list.sorted({ by: 'quality' }))).toEqual(['noSpeed', 'slow', 'fast'])
  })

  it('sorted() keeps ties in list order and does not change the list itself', async () => {
    const list = await listOf([
      { id: 'a', quality: 0.5 },
      { id: 'b', quality: 0.7 },
      { id: 'c', quality: 0.5 },
    ])
    expect(ids(list.sorted())).toEqual(['b', 'a', 'c'])
    expect(ids(list.sorted({ order: 'asc' }))).toEqual(['a', 'c', 'b'])
    expect(ids(list)).toEqual(['a', 'b', 'c'])
  })

  it('topN(n) is the best n by sorted(), accepting the same options', async () => {
    const list = await listOf([
      { id: 'a', quality: 0.2 },
      { id: 'b', quality: 0.8 },
      { id: 'c', quality: 0.5 },
      { id: 'd' },
    ])
    expect(ids(list.topN(2))).toEqual(['b', 'c'])
    expect(ids(list.topN(2, { order: 'asc' }))).toEqual(['a', 'c'])
    expect(ids(list.topN(10))).toEqual(['b', 'c', 'a', 'd'])
    expect(list.topN(0)).toHaveLength(0)
    expect(list.topN(1)).toBeInstanceOf(TaskSpanList)
  })

  it('topN rejects a negative or fractional count with a TypeError', async () => {
    const list = await listOf([{ id: 'a' }])
    expect(() => list.topN(-1)).toThrow(TypeError)
    expect(() => list.topN(1.5)).toThrow(/topN needs a count >= 0/)
  })

  it('outputs() returns the outputs of the succeeded spans in list order', async () => {
    const list = await listOf([{ id: 'a' }, { id: 'b', fail: true }, { id: 'c' }])
    expect(list.outputs()).toEqual(['a', 'c'])
  })

  it('failed() and succeeded() split the list, each a TaskSpanList in list order', async () => {
    const list = await listOf([{ id: 'a' }, { id: 'b', fail: true }, { id: 'c' }, { id: 'd', fail: true }])
    const failed = list.failed()
    const succeeded = list.succeeded()
    expect(failed).toBeInstanceOf(TaskSpanList)
    expect(succeeded).toBeInstanceOf(TaskSpanList)
    expect(failed.map((span) => span.error?.message)).toEqual(['row b failed', 'row d failed'])
    expect(ids(succeeded)).toEqual(['a', 'c'])
  })

  it('map, filter and slice return plain arrays, as their types say', async () => {
    const list = await listOf([{ id: 'a' }, { id: 'b' }])
    const mapped = list.map((span) => span.output)
    expect(mapped).toEqual(['a', 'b'])
    expect(mapped).not.toBeInstanceOf(TaskSpanList)
    expect(list.filter((span) => span.output === 'a')).not.toBeInstanceOf(TaskSpanList)
    expect(list.slice(1)).not.toBeInstanceOf(TaskSpanList)
  })

  it('an empty list sorts, ranks and splits to empty lists', () => {
    const list = new TaskSpanList<string>()
    expect(list.sorted()).toHaveLength(0)
    expect(list.topN(3)).toHaveLength(0)
    expect(list.outputs()).toEqual([])
    expect(list.failed()).toHaveLength(0)
    expect(list.succeeded()).toHaveLength(0)
  })
})
