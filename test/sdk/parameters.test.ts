/**
 * Input names: a task's inputs are named after the wrapped function's parameters (read from its source),
 * else `input` for one argument or `arg0`, `arg1`, …; plus the `inputNames`, `logInputs` and `logOutput`
 * options and the run's autolog.
 */
import { describe, expect, it } from 'vitest'
import { evalTask, withRun } from '../../src/index.js'
import { readParameterNames } from '../../src/parameters.js'

describe('readParameterNames', () => {
  it.each([
    [
      'a plain function',
      function plain(a: number, b: string) {
        return [a, b]
      },
      ['a', 'b'],
    ],
    [
      'default values',
      function defaults(a = 1, b = 'x, y', c = Math.max(1, 2)) {
        return [a, b, c]
      },
      ['a', 'b', 'c'],
    ],
    [
      'a default holding a string with brackets',
      function tricky(a = ')(}{', b = `${'('}`) {
        return [a, b]
      },
      ['a', 'b'],
    ],
    [
      'a default holding an arrow function',
      function callback(a = (x: number, y: number) => x + y, b = 2) {
        return [a, b]
      },
      ['a', 'b'],
    ],
    [
      'a default holding a regular expression with brackets',
      function pattern(a = /[)(]/g, b = /\(/, c = 4 / 2) {
        return [a, b, c]
      },
      ['a', 'b', 'c'],
    ],
    [
      'a method named by a string with brackets',
      {
        'call(me)'(x: number, y: number) {
          return x + y
        },
      }['call(me)'],
      ['x', 'y'],
    ],
    ['an arrow function', (first: string, second: string) => first + second, ['first', 'second']],
    ['a single-parameter arrow function', (text: string) => text, ['text']],
    [
      'an async function',
      async function fetchIt(url: string, retries: number) {
        return [url, retries]
      },
      ['url', 'retries'],
    ],
    ['an async arrow function', async (query: string, limit: number) => [query, limit], ['query', 'limit']],
    [
      'a function without parameters',
      function none() {
        return 1
      },
      [],
    ],
    [
      'a method',
      {
        method(alpha: number, beta: number) {
          return alpha + beta
        },
      }.method,
      ['alpha', 'beta'],
    ],
    [
      'comments between parameters',
      function commented(
        /* the doc */ doc: string, // trailing
        size: number,
      ) {
        return [doc, size]
      },
      ['doc', 'size'],
    ],
  ])('reads %s', (_, fn, expected) => {
    expect(readParameterNames(fn as (...args: never[]) => unknown)).toEqual(expected)
  })

  it('reads a single-parameter arrow written without parentheses', () => {
    const source = new Function('return text => text.length')() as (text: string) => number
    expect(readParameterNames(source)).toEqual(['text'])
    const asyncSource = new Function('return async value => value')() as (value: unknown) => unknown
    expect(readParameterNames(asyncSource)).toEqual(['value'])
    const namedAsync = new Function('return async => async')() as (value: unknown) => unknown
    expect(readParameterNames(namedAsync)).toEqual(['async'])
  })

  it('cannot read destructured or rest parameters, native or bound functions', () => {
    expect(readParameterNames(({ a }: { a: number }) => a)).toBeUndefined()
    expect(readParameterNames(([a]: number[]) => a)).toBeUndefined()
    expect(readParameterNames((x: number, { y }: { y: number }) => x + y)).toBeUndefined()
    expect(readParameterNames((...rest: number[]) => rest)).toBeUndefined()
    expect(readParameterNames(Math.max)).toBeUndefined()
    expect(
      readParameterNames(
        function bound(this: unknown, a: number) {
          return a
        }.bind(null),
      ),
    ).toBeUndefined()
  })
})

describe('input names of a task', () => {
  it('names inputs after the parameters of a plain function', async () => {
    const task = evalTask(async function summarize(doc: string, maxWords: number) {
      return doc.slice(0, maxWords)
    })
    expect((await task.run('abc', 2)).inputs).toEqual({ doc: 'abc', maxWords: 2 })
  })

  it('names inputs after parameters with default values, logging only the arguments given', async () => {
    const task = evalTask(async function withDefaults(doc: string, limit = 10) {
      return doc.length + limit
    })
    expect((await task.run('abc')).inputs).toEqual({ doc: 'abc' })
    expect((await task.run('abc', 3)).inputs).toEqual({ doc: 'abc', limit: 3 })
  })

  it('names inputs of an arrow function and of a single-parameter arrow function', async () => {
    const arrow = evalTask(async (question: string, context: string) => question + context)
    expect((await arrow.run('q', 'c')).inputs).toEqual({ question: 'q', context: 'c' })
    const single = evalTask(async (prompt: string) => prompt)
    expect((await single.run('p')).inputs).toEqual({ prompt: 'p' })
  })

  it("a destructured single parameter is logged as 'input'", async () => {
    const task = evalTask(async ({ question }: { question: string }) => question)
    expect((await task.run({ question: 'why' })).inputs).toEqual({ input: { question: 'why' } })
  })

  it('destructured parameters among several are logged as arg0, arg1, …', async () => {
    const task = evalTask(async ({ a }: { a: number }, { b }: { b: number }) => a + b)
    expect((await task.run({ a: 1 }, { b: 2 })).inputs).toEqual({ arg0: { a: 1 }, arg1: { b: 2 } })
  })

  it('rest parameters are logged as arg0, arg1, … (or input for one argument)', async () => {
    const task = evalTask(async (...values: number[]) => values.length)
    expect((await task.run(1, 2, 3)).inputs).toEqual({ arg0: 1, arg1: 2, arg2: 3 })
    expect((await task.run(1)).inputs).toEqual({ input: 1 })
  })

  it('arguments beyond the named parameters are logged as arg<i>', async () => {
    const task = evalTask(async function one(a: unknown, ..._more: unknown[]) {
      return a
    })
    // a rest parameter makes the list unreadable
    expect((await task.run(1, 2)).inputs).toEqual({ arg0: 1, arg1: 2 })
    const named = evalTask({ inputNames: ['first'] }, async (...args: unknown[]) => args)
    expect((await named.run(1, 2)).inputs).toEqual({ first: 1, arg1: 2 })
  })

  it('the inputNames option names positional arguments', async () => {
    const task = evalTask(
      { name: 'named', inputNames: ['doc', 'size'] },
      async (a: string, b: number) => a + b,
    )
    expect((await task.run('x', 1)).inputs).toEqual({ doc: 'x', size: 1 })
  })

  it("logInputs: ['a'] logs only the listed inputs", async () => {
    const task = evalTask({ name: 'partial', logInputs: ['a'] }, async (a: number, b: number) => a + b)
    expect((await task.run(1, 2)).inputs).toEqual({ a: 1 })
  })

  it('logInputs: false logs no inputs', async () => {
    const task = evalTask({ name: 'silent', logInputs: false }, async (a: number) => a)
    const span = await task.run(1)
    expect(span.inputs).toEqual({})
    expect(span.outputs).toEqual({ output: 1 })
  })

  it('logOutput: false logs no output but still returns it', async () => {
    const task = evalTask({ name: 'quiet', logOutput: false }, async (a: number) => a * 2)
    const span = await task.run(2)
    expect(span.outputs).toEqual({})
    expect(span.output).toBe(4)
    expect(span.inputs).toEqual({ a: 2 })
  })

  it('a call without arguments logs no inputs', async () => {
    const task = evalTask(async function noArgs() {
      return 1
    })
    expect((await task.run()).inputs).toEqual({})
  })

  it("the run's autolog: false makes tasks log only what the task itself asks for", async () => {
    const plain = evalTask(async function plain(a: number) {
      return a
    })
    const explicit = evalTask({ name: 'explicit', logInputs: true, logOutput: true }, async (a: number) => a)
    const [plainSpan, explicitSpan] = await withRun({ name: 'no-autolog', autolog: false }, async () => [
      await plain.run(1),
      await explicit.run(2),
    ])
    expect(plainSpan?.inputs).toEqual({})
    expect(plainSpan?.outputs).toEqual({})
    expect(explicitSpan?.inputs).toEqual({ a: 2 })
    expect(explicitSpan?.outputs).toEqual({ output: 2 })
  })
})
