/**
 * Trials and input identity: the map family calls each item `trials` times (numbered in `spans.trial`,
 * concurrently within one limit), `STRIKES_TRIALS` and the `trials` setting choose the default, and every
 * task span carries an `input_key` — a hash of its label and logged inputs, or the task's `key` option —
 * so the same input can be paired across sessions.
 */
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { resolveOptions } from '../../reporter/vitest/options.js'
import { evalTask, type TaskSpanList, withRun } from '../../src/index.js'
import { trialsFromEnv } from '../../src/shared/settings.js'
import { delay, InFlight, withSpoolRun } from './helpers.js'

const upper = evalTask(async function upper(text: string) {
  return text.toUpperCase()
})

describe('trials of the map family', () => {
  it('map with trials: 3 calls each item three times, records trials 0–2, and returns one output per item', async () => {
    const { result, spool } = await withSpoolRun(() => upper.map(['a', 'b'], { trials: 3 }))
    expect(result).toEqual(['A', 'B'])
    const tasks = spool.spans.filter((span) => span.kind === 'task')
    expect(tasks.map((span) => span.trial).sort()).toEqual([0, 0, 1, 1, 2, 2])
    const keys = new Map<number, Set<string | null>>()
    for (const span of tasks) {
      const set = keys.get(span.trial as number) ?? new Set()
      set.add(span.input_key)
      keys.set(span.trial as number, set)
    }
    // Every trial sees the same two inputs: two input keys per trial number.
    for (const set of keys.values()) expect(set.size).toBe(2)
  })

  it('mapRun returns every trial of every item, an item’s trials one after another', async () => {
    const { result } = await withSpoolRun(() => upper.mapRun(['x', 'y'], { trials: 2 }))
    expect(result).toHaveLength(4)
    expect(result.map((span) => span.output)).toEqual(['X', 'X', 'Y', 'Y'])
    expectTypeOf(result).toEqualTypeOf<TaskSpanList<string>>()
  })

  it('trials run concurrently within the same limit', async () => {
    const flight = new InFlight()
    const slow = evalTask(async function slow(n: number) {
      return flight.track(async () => {
        await delay(5)
        return n
      })
    })
    const { result } = await withSpoolRun(() => slow.map([1, 2, 3, 4], { trials: 5, concurrency: 6 }))
    expect(result).toEqual([1, 2, 3, 4])
    expect(flight.started).toBe(20)
    expect(flight.peak).toBe(6)
  })

  it('tryMap keeps, for each item, its first trial that succeeded; items whose trials all failed are dropped', async () => {
    let calls = 0
    const flaky = evalTask(async function flaky(item: string) {
      calls += 1
      const attempt = calls
      if (item === 'never' || (item === 'late' && attempt % 3 !== 0)) throw new Error(`no ${item}`)
      return `${item}#${attempt}`
    })
    const { result, spool } = await withSpoolRun(() =>
      flaky.tryMap(['late', 'never'], { trials: 3, concurrency: 1 }),
    )
    expect(result).toEqual(['late#3'])
    expect(spool.spans.filter((span) => span.kind === 'task' && span.status === 'error')).toHaveLength(5)
  })

  it('streamMap yields every trial', async () => {
    const { result } = await withSpoolRun(async () => {
      const seen: number[] = []
      for await (const span of upper.streamMap(['q'], { trials: 4 })) seen.push(span.output === 'Q' ? 1 : 0)
      return seen
    })
    expect(result).toEqual([1, 1, 1, 1])
  })

  it('the run’s trials setting is the default of map calls that do not say; a call’s own trials wins', async () => {
    const { result, spool } = await withSpoolRun(
      async () => [await upper.map(['a']), await upper.map(['b'], { trials: 1 })],
      { trials: 3 },
    )
    expect(result).toEqual([['A'], ['B']])
    const tasks = spool.spans.filter((span) => span.kind === 'task')
    expect(tasks.filter((span) => span.trial !== null)).toHaveLength(3)
    expect(tasks.filter((span) => span.trial === null)).toHaveLength(1)
  })

  it('a single call and a map without trials record trial NULL; many(n) records trials 0…n−1', async () => {
    const { spool } = await withSpoolRun(async () => {
      await upper('one')
      await upper.map(['two'])
      await upper.many(3, 'three')
    })
    const trials = spool.spans.filter((span) => span.kind === 'task').map((span) => span.trial)
    expect(trials).toEqual([null, null, 0, 1, 2])
  })

  it('trials that are not a positive integer are a TypeError naming the task', async () => {
    await expect(upper.map(['a'], { trials: 0 })).rejects.toThrow(
      /task "upper": trials must be a positive integer, got 0/,
    )
    await expect(upper.map(['a'], { trials: 1.5 })).rejects.toThrow(/trials must be a positive integer/)
  })
})

describe('STRIKES_TRIALS', () => {
  afterEach(() => {
    delete process.env.STRIKES_TRIALS
  })

  it('sets the default trials of withRun and of the plugin, over the plugin’s own option', async () => {
    process.env.STRIKES_TRIALS = '4'
    expect(resolveOptions({ trials: 2 }).settings.trials).toBe(4)
    const spans = await withRun({ name: 'nightly' }, () => upper.mapRun(['a']))
    expect(spans.map((span) => span.output)).toEqual(['A', 'A', 'A', 'A'])
  })

  it('without it the plugin option decides, and the default is 1', () => {
    expect(resolveOptions({ trials: 2 }).settings.trials).toBe(2)
    expect(resolveOptions({}).settings.trials).toBe(1)
  })

  it('a value that is not a positive integer is an error naming the variable', () => {
    expect(() => trialsFromEnv({ STRIKES_TRIALS: 'five' })).toThrow(
      'strikes: STRIKES_TRIALS must be a positive integer, got "five"',
    )
    expect(trialsFromEnv({ STRIKES_TRIALS: ' ' })).toBeUndefined()
    expect(() => resolveOptions({ trials: 0 })).toThrow(/option "trials"/)
  })
})

describe('input keys', () => {
  it('the same inputs give the same key, in any run; other inputs or another label another key', async () => {
    const other = upper.with({ name: 'other' })
    const first = await withSpoolRun(async () => {
      await upper('same')
      await upper('different')
      await other('same')
    })
    const second = await withSpoolRun(() => upper('same'))
    const [same, different, otherLabel] = first.spool.spans.map((span) => span.input_key)
    expect(same).toMatch(/^[0-9a-f]{40}$/)
    expect(second.spool.spans[0]?.input_key).toBe(same)
    expect(different).not.toBe(same)
    expect(otherLabel).not.toBe(same)
  })

  it('the key option names the input (a dataset row id), as text', async () => {
    interface Row {
      id: number
      question: string
      askedAt: Date
    }
    const answer = evalTask({ key: (row: Row) => row.id }, async function answer(row: Row) {
      return row.question.length
    })
    const { spool } = await withSpoolRun(async () => {
      await answer({ id: 17, question: 'why?', askedAt: new Date(1) })
      await answer({ id: 17, question: 'why?', askedAt: new Date(2) })
    })
    expect(spool.spans.map((span) => span.input_key)).toEqual(['17', '17'])
  })

  it('a key option that throws or returns something else fails the call, naming the task', async () => {
    const throwing = evalTask({ key: () => JSON.parse('{') as string }, async function throwing() {
      return 1
    })
    const object = evalTask({ key: () => ({}) as unknown as string }, async function objecty() {
      return 1
    })
    const { result } = await withSpoolRun(async () => [await throwing.runAlways(), await object.runAlways()])
    expect(result[0]?.error).toBeInstanceOf(SyntaxError)
    expect(result[1]?.error?.message).toBe(
      'strikes: the key option of task "objecty" must return a non-empty string or a finite number, got an object',
    )
  })

  it('without logged inputs and without a key there is no input key', async () => {
    const quiet = evalTask({ logInputs: false }, async function quiet(x: number) {
      return x
    })
    const { spool } = await withSpoolRun(() => quiet(1))
    expect(spool.spans[0]?.input_key).toBeNull()
  })
})
