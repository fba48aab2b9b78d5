/**
 * Label derivation: `label = clean(label ?? name)`.
 */
import { describe, expect, it } from 'vitest'
import { cleanLabel, evalTask, logMetric, taskSpan, withRun } from '../../src/index.js'

describe('cleanLabel', () => {
  it.each([
    ['Summarize Doc', 'summarize_doc'],
    ['tokenize', 'tokenize'],
    ['already_snake_case', 'already_snake_case'],
    ['CamelCaseName', 'camelcasename'],
    ['  Hello,   World!  ', 'hello_world'],
    ['v2.1-beta', 'v2_1_beta'],
    ['__private__', 'private'],
    ['a__b', 'a__b'],
    ['a - b', 'a_b'],
    ['Ünïcode Näme', 'n_code_n_me'],
    ['emoji 🎉 task', 'emoji_task'],
    ['123', '123'],
    ['', ''],
    ['!!!', ''],
  ])('%j cleans to %j', (input, expected) => {
    expect(cleanLabel(input)).toBe(expected)
  })
})

describe('task labels', () => {
  it("a task's name is its function's name and its label is derived from it", () => {
    const tokenize = evalTask(async function tokenize(text: string) {
      return text
    })
    expect(tokenize.taskName).toBe('tokenize')
    expect(tokenize.label).toBe('tokenize')
    expect(tokenize.name).toBe('tokenize')
  })

  it("the name 'Summarize Doc' gives the label summarize_doc", () => {
    const summarize = evalTask({ name: 'Summarize Doc' }, async (doc: string) => doc)
    expect(summarize.taskName).toBe('Summarize Doc')
    expect(summarize.label).toBe('summarize_doc')
  })

  it('an explicit label wins over the name, and is cleaned too', () => {
    const summarize = evalTask({ name: 'Summarize Doc', label: 'summarize' }, async (doc: string) => doc)
    expect(summarize.label).toBe('summarize')
    const shouting = evalTask({ name: 'x', label: 'Sum Up!' }, async () => 1)
    expect(shouting.label).toBe('sum_up')
  })

  it('the options name wins over the function name', () => {
    const task = evalTask({ name: 'Pretty Name' }, async function ugly_name() {
      return 1
    })
    expect(task.taskName).toBe('Pretty Name')
    expect(task.label).toBe('pretty_name')
  })

  it("an anonymous function is named 'task'", () => {
    const anonymousArrow = evalTask(async () => 1)
    expect(anonymousArrow.taskName).toBe('task')
    expect(anonymousArrow.label).toBe('task')
    const anonymousWithOptions = evalTask({ tags: ['x'] }, async () => 1)
    expect(anonymousWithOptions.taskName).toBe('task')
  })

  it('a name that cleans to an empty label throws a TypeError naming it', () => {
    expect(() => evalTask({ name: '!!!' }, async () => 1)).toThrow(TypeError)
    expect(() => evalTask({ name: '!!!' }, async () => 1)).toThrow(/name "!!!".*cleans to an empty label/)
  })

  it('an explicit label that cleans to empty throws a TypeError naming the label', () => {
    expect(() => evalTask({ name: 'fine', label: '---' }, async () => 1)).toThrow(
      /label "---" of task "fine" cleans to an empty label/,
    )
    expect(() => evalTask({ name: 'fine', label: '' }, async () => 1)).toThrow(TypeError)
  })

  it('spans carry the label of their task', async () => {
    const summarize = evalTask({ name: 'Summarize Doc' }, async (doc: string) => doc)
    const span = await summarize.run('x')
    expect(span.name).toBe('Summarize Doc')
    expect(span.label).toBe('summarize_doc')
  })

  it('the label prefixes the metrics mirrored on the run', async () => {
    const summarize = evalTask({ name: 'Summarize Doc' }, async (doc: string) => {
      logMetric('words', doc.split(' ').length)
      return doc
    })
    const summary = await withRun({ name: 'labels' }, async (run) => {
      await summarize('a b c')
      return run.metricSummary()
    })
    expect(Object.keys(summary)).toEqual(['summarize_doc.words'])
  })
})

describe('taskSpan labels', () => {
  it('derives the label from the name, or cleans an explicit label', async () => {
    const derived = await taskSpan('Load Data', async (span) => span.label)
    expect(derived).toBe('load_data')
    const explicit = await taskSpan('Load Data', { label: 'Loader' }, async (span) => span.label)
    expect(explicit).toBe('loader')
  })

  it('a name that cleans to empty rejects with a TypeError naming it', async () => {
    await expect(taskSpan('???', async () => 1)).rejects.toThrow(/name "\?\?\?" of taskSpan "\?\?\?"/)
  })
})
