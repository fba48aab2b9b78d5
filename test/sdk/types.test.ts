/**
 * Types flow: the argument and return types of the wrapped function are kept on every method. Checked by
 * `npx tsc -p test/tsconfig.json` (and run as ordinary tests, where `expectTypeOf` is a no-op).
 */
import { describe, expectTypeOf, it } from 'vitest'
import {
  evalTask,
  type RunHandle,
  type RunInfo,
  scorer,
  type Task,
  type TaskSpan,
  type TaskSpanList,
  taskSpan,
  withRun,
} from '../../src/index.js'

const tokenize = evalTask(async function tokenize(text: string) {
  return text.split(' ')
})
const upper = evalTask({ name: 'upper' }, async (text: string) => text.toUpperCase())
const add = evalTask(async function add(a: number, b: number) {
  return a + b
})
const syncTask = evalTask(function length(text: string) {
  return text.length
})

describe('types', () => {
  it('evalTask keeps the argument and awaited return types', () => {
    expectTypeOf(tokenize).toEqualTypeOf<Task<[text: string], string[]>>()
    expectTypeOf(upper).toEqualTypeOf<Task<[text: string], string>>()
    expectTypeOf(add).toEqualTypeOf<Task<[a: number, b: number], number>>()
    expectTypeOf(syncTask).toEqualTypeOf<Task<[text: string], number>>()
  })

  it('parameters with defaults and optional parameters keep their own types', () => {
    const summarize = evalTask(async function summarize(doc: string, maxWords = 50) {
      return doc.slice(0, maxWords)
    })
    expectTypeOf(summarize).toEqualTypeOf<Task<[doc: string, maxWords?: number], string>>()
    const optional = evalTask({ name: 'optional' }, (text: string, suffix?: string) => text + (suffix ?? ''))
    expectTypeOf(optional).toEqualTypeOf<Task<[text: string, suffix?: string], string>>()
    expectTypeOf(summarize.map(['a'])).toEqualTypeOf<Promise<string[]>>()
    expectTypeOf(summarize.many(2, 'a', 3)).toEqualTypeOf<Promise<string[]>>()
    // @ts-expect-error the default makes maxWords a number
    void (() => summarize('a', 'x'))
  })

  it('calling the task gives Promise<R> and checks the arguments', () => {
    expectTypeOf(upper('a')).toEqualTypeOf<Promise<string>>()
    expectTypeOf(add(1, 2)).toEqualTypeOf<Promise<number>>()
    expectTypeOf(syncTask).parameters.toEqualTypeOf<[text: string]>()
    // @ts-expect-error a number is not a string
    void (() => upper(1))
    // @ts-expect-error add needs two arguments
    void (() => add(1))
  })

  it('run, runAlways, try and tryRun', () => {
    expectTypeOf(upper.run('a')).toEqualTypeOf<Promise<TaskSpan<string>>>()
    expectTypeOf(upper.runAlways('a')).toEqualTypeOf<Promise<TaskSpan<string>>>()
    expectTypeOf(upper.try('a')).toEqualTypeOf<Promise<string | undefined>>()
    expectTypeOf(upper.tryRun('a')).toEqualTypeOf<Promise<TaskSpan<string> | undefined>>()
    expectTypeOf<TaskSpan<string>['output']>().toEqualTypeOf<string | undefined>()
  })

  it('map, mapRun, tryMap and tryMapRun in the item, spread and count forms', () => {
    expectTypeOf(upper.map(['a'])).toEqualTypeOf<Promise<string[]>>()
    expectTypeOf(tokenize.map(['a b'])).toEqualTypeOf<Promise<string[][]>>()
    expectTypeOf(upper.map(new Set(['a']), { concurrency: 2 })).toEqualTypeOf<Promise<string[]>>()
    expectTypeOf(add.map([[1, 2]], { spread: true })).toEqualTypeOf<Promise<number[]>>()
    expectTypeOf(upper.map(3, 'a')).toEqualTypeOf<Promise<string[]>>()
    expectTypeOf(upper.mapRun(['a'])).toEqualTypeOf<Promise<TaskSpanList<string>>>()
    expectTypeOf(upper.mapRun(10, 'a')).toEqualTypeOf<Promise<TaskSpanList<string>>>()
    expectTypeOf(upper.tryMap(['a'])).toEqualTypeOf<Promise<string[]>>()
    expectTypeOf(upper.tryMapRun(5, 'a')).toEqualTypeOf<Promise<TaskSpanList<string>>>()
    // @ts-expect-error items must be the first argument's type
    void (() => upper.map([1]))
    // @ts-expect-error spread items must be whole argument tuples
    void (() => add.map([[1, 'x']], { spread: true }))
    // @ts-expect-error the count form takes the task's arguments
    void (() => add.map(3, 1, 'x'))
  })

  it('many, manyRun, tryMany, tryManyRun, retry and topN', () => {
    expectTypeOf(add.many(3, 1, 2)).toEqualTypeOf<Promise<number[]>>()
    expectTypeOf(add.manyRun(3, 1, 2)).toEqualTypeOf<Promise<TaskSpanList<number>>>()
    expectTypeOf(add.tryMany(3, 1, 2)).toEqualTypeOf<Promise<number[]>>()
    expectTypeOf(add.tryManyRun(3, 1, 2)).toEqualTypeOf<Promise<TaskSpanList<number>>>()
    expectTypeOf(add.retry(3, 1, 2)).toEqualTypeOf<Promise<number>>()
    expectTypeOf(add.topN(5, 2, 1, 2)).toEqualTypeOf<Promise<number[]>>()
    // @ts-expect-error many passes the task's arguments
    void (() => add.many(3, 'x', 2))
  })

  it('streamMap yields TaskSpan<R>', () => {
    expectTypeOf(upper.streamMap(['a'])).toEqualTypeOf<AsyncGenerator<TaskSpan<string>, void, undefined>>()
  })

  it('with() keeps the types', () => {
    expectTypeOf(add.with({ tags: ['x'] })).toEqualTypeOf<Task<[a: number, b: number], number>>()
    expectTypeOf(add.with({ append: true, concurrency: 2 })).toEqualTypeOf<typeof add>()
  })

  it('TaskSpanList methods keep the output type', () => {
    expectTypeOf<TaskSpanList<string>['outputs']>().returns.toEqualTypeOf<string[]>()
    expectTypeOf<TaskSpanList<string>['sorted']>().returns.toEqualTypeOf<TaskSpanList<string>>()
    expectTypeOf<TaskSpanList<string>['topN']>().returns.toEqualTypeOf<TaskSpanList<string>>()
    expectTypeOf<TaskSpanList<string>['failed']>().returns.toEqualTypeOf<TaskSpanList<string>>()
    expectTypeOf<TaskSpanList<string>['succeeded']>().returns.toEqualTypeOf<TaskSpanList<string>>()
    expectTypeOf<TaskSpanList<string>[number]>().toEqualTypeOf<TaskSpan<string>>()
  })

  it('scorers on a task are typed by its output', () => {
    const length = scorer('length', (output: string) => output.length)
    evalTask({ name: 'typed', scorers: [length] }, async (text: string) => text)
    const numeric = scorer('numeric', (output: number) => output)
    // @ts-expect-error a number scorer cannot score a string output
    evalTask({ name: 'mismatched', scorers: [numeric] }, async (text: string) => text)
  })

  it('a scorer typed by the arguments, and an inline expected hook, type-check with an inline function', () => {
    const exact = scorer<string, [string]>('exact', (output, { input }) => output === input.toUpperCase())
    const typed = evalTask({ scorers: [exact] }, async function upper(text: string) {
      return text.toUpperCase()
    })
    expectTypeOf(typed).toEqualTypeOf<Task<[text: string], string>>()
    const hooked = evalTask(
      { scorers: [exact], expected: ({ input }) => input.toUpperCase() },
      async (text: string) => text,
    )
    expectTypeOf(hooked).toEqualTypeOf<Task<[text: string], string>>()
    // @ts-expect-error a scorer of string arguments does not fit a task of numbers
    void (() => evalTask({ scorers: [exact] }, async (n: number) => String(n)))
  })

  it('the key option is checked against the arguments, and trials keep map returning one output per item', () => {
    interface Row {
      id: number
      question: string
    }
    const answer = evalTask({ key: (row: Row) => row.id }, async function answer(row: Row) {
      return row.question.length
    })
    expectTypeOf(answer).toEqualTypeOf<Task<[row: Row], number>>()
    expectTypeOf(answer.map([{ id: 1, question: 'q' }], { trials: 3 })).toEqualTypeOf<Promise<number[]>>()
    // @ts-expect-error the key must be a string or a number
    void (() => evalTask({ key: (row: Row) => [row.id] }, async (row: Row) => row.id))
    // @ts-expect-error the key takes the task's arguments
    void (() => evalTask({ key: (id: string) => id }, async (row: Row) => row.id))
  })

  it('taskSpan and withRun return what their body returns', () => {
    expectTypeOf(taskSpan('s', async () => 1)).toEqualTypeOf<Promise<number>>()
    expectTypeOf(taskSpan('s', (span) => span.name.length)).toEqualTypeOf<Promise<number>>()
    expectTypeOf(taskSpan('s', { tags: ['t'] }, async (span) => span.name)).toEqualTypeOf<Promise<string>>()
    expectTypeOf(withRun({ name: 'r' }, async (run) => run)).toEqualTypeOf<Promise<RunHandle>>()
    expectTypeOf<RunHandle>().toExtend<RunInfo>()
  })
})
