/**
 * Errors: anything a task throws fails it cleanly with a readable message; wrong definitions fail early
 * with errors that name the culprit.
 */
import { describe, expect, it, vi } from 'vitest'
import { evalTask, ScoreAssertionError, scorer, ThrownValueError } from '../../src/index.js'

const throwing = (value: unknown) =>
  evalTask({ name: 'thrower' }, async () => {
    throw value
  })

describe('non-Error throws', () => {
  it.each([
    ['a string', 'x', 'task "thrower" threw a non-Error value: "x"'],
    ['undefined', undefined, 'task "thrower" threw a non-Error value: undefined'],
    ['null', null, 'task "thrower" threw a non-Error value: null'],
    ['an object', { code: 1 }, 'task "thrower" threw a non-Error value: {"code":1}'],
    ['a number', 42, 'task "thrower" threw a non-Error value: 42'],
    ['a symbol', Symbol('s'), 'task "thrower" threw a non-Error value: {"$symbol":"s"}'],
  ])(
    'throwing %s fails the task with a ThrownValueError and a readable message',
    async (_, value, message) => {
      const task = throwing(value)
      const rejection = await task().catch((thrown: unknown) => thrown)
      expect(rejection).toBeInstanceOf(ThrownValueError)
      expect(rejection).toBeInstanceOf(Error)
      expect((rejection as ThrownValueError).message).toBe(message)
      expect((rejection as ThrownValueError).thrown).toBe(value)
      expect((rejection as ThrownValueError).name).toBe('ThrownValueError')

      const span = await task.runAlways()
      expect(span.failed).toBe(true)
      expect(span.error).toBeInstanceOf(ThrownValueError)
      expect(span.error?.message).toBe(message)
    },
  )

  it('a circular object thrown still gives a readable message', async () => {
    const thrown: Record<string, unknown> = { code: 'LOOP' }
    thrown.self = thrown
    const rejection = await throwing(thrown)().catch((error: unknown) => error)
    expect((rejection as Error).message).toBe(
      'task "thrower" threw a non-Error value: {"code":"LOOP","self":{"$ref":"$"}}',
    )
  })

  it('try, tryMap and retry handle non-Error throws like any failure', async () => {
    const task = throwing('nope')
    await expect(task.try()).resolves.toBeUndefined()
    await expect(task.tryMap(3)).resolves.toEqual([])
    await expect(task.retry(2)).rejects.toBeInstanceOf(ThrownValueError)
    await expect(task.map(2)).rejects.toThrow('threw a non-Error value: "nope"')
  })

  it('an Error (or subclass) is kept as it is', async () => {
    class CustomError extends Error {
      override name = 'CustomError'
    }
    const error = new CustomError('custom')
    await expect(throwing(error)()).rejects.toBe(error)
  })
})

describe('score assertions', () => {
  it('assertScores fails the task with a ScoreAssertionError listing each falsy score', async () => {
    const good = scorer('good', () => 1)
    const bad = scorer('Bad Score', () => 0)
    const worse = scorer('worse', () => false)
    const task = evalTask(
      { name: 'judged', scorers: [good, bad, worse], assertScores: true },
      async () => 'out',
    )
    const span = await task.runAlways()
    expect(span.failed).toBe(true)
    expect(span.error).toBeInstanceOf(ScoreAssertionError)
    expect((span.error as ScoreAssertionError).failures).toEqual([
      { name: 'bad_score', value: 0 },
      { name: 'worse', value: 0 },
    ])
    expect(span.error?.message).toBe('task "judged" failed its asserted scores: bad_score = 0, worse = 0')
    expect(Object.keys(span.metrics).sort()).toEqual(['bad_score', 'good', 'worse'])
  })

  it('only the listed scores are asserted', async () => {
    const bad = scorer('bad', () => 0)
    const task = evalTask(
      { name: 'judged', scorers: [bad, scorer('good', () => 1)], assertScores: ['good'] },
      async () => 1,
    )
    await expect(task()).resolves.toBe(1)
  })

  it('a scorer that throws scores 0 with a warning and does not fail the task', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const broken = scorer('broken', () => {
        throw new Error('scorer bug')
      })
      const task = evalTask({ name: 'scored', scorers: [broken] }, async () => 'out')
      const span = await task.run()
      expect(span.failed).toBe(false)
      expect(span.metrics.broken?.[0]?.value).toBe(0)
      expect(String(span.metrics.broken?.[0]?.attributes.error)).toContain('scorer bug')
      expect(warn).toHaveBeenCalledTimes(1)
    } finally {
      warn.mockRestore()
    }
  })
})

describe('definition errors', () => {
  it('evalTask without a function throws a TypeError', () => {
    expect(() => evalTask({ name: 'x' }, undefined as never)).toThrow(/evalTask needs a function to wrap/)
    expect(() => evalTask(null as never)).toThrow(TypeError)
  })

  it('an unknown option throws a TypeError naming it and the task', () => {
    expect(() => evalTask({ name: 'typo', logInput: true } as never, async () => 1)).toThrow(
      /invalid options for task "typo": unknown option "logInput"/,
    )
  })

  it('an option of the wrong type throws a TypeError naming the option', () => {
    expect(() => evalTask({ name: 'bad', tags: 'v2' } as never, async () => 1)).toThrow(/option "tags"/)
    expect(() => evalTask({ name: 'bad', logInputs: 'a' } as never, async () => 1)).toThrow(
      /option "logInputs"/,
    )
  })

  it('asserting a score no scorer produces throws a TypeError naming it', () => {
    expect(() =>
      evalTask(
        { name: 'judged', scorers: [scorer('quality', () => 1)], assertScores: ['qualty'] },
        async () => 1,
      ),
    ).toThrow(/asserts score "qualty", which none of its scorers produces \(scorers: quality\)/)
  })
})
