/**
 * `withRun`: a run outside Vitest with the semantics of an `.eval.ts` file.
 *
 * The first test must stay first: it pins that the very first `withRun` of a process, before any span
 * exists, already carries its run.
 */
import { describe, expect, it } from 'vitest'
import { currentRun, evalTask, logMetric, logParam, withRun } from '../../src/index.js'

describe('withRun in a fresh process', () => {
  it('the first withRun of a process, before any span exists, is the current run inside its callback', async () => {
    const inside = await withRun({ name: 'first' }, async (run) => ({ current: currentRun(), id: run.id }))
    expect(inside.current?.id).toBe(inside.id)
  })
})

describe('withRun', () => {
  it('gives its callback the run and resolves with what the callback returns', async () => {
    const result = await withRun({ name: 'script', project: 'demo', file: 'script.ts' }, async (run) => {
      expect(run.name).toBe('script')
      expect(run.project).toBe('demo')
      expect(run.file).toBe('script.ts')
      expect(typeof run.id).toBe('string')
      expect(typeof run.sessionId).toBe('string')
      return 42
    })
    expect(result).toBe(42)
  })

  it('currentRun() inside returns { id, name, project, file, sessionId }, and undefined after', async () => {
    const info = await withRun({ name: 'info', project: 'p' }, async (run) => {
      const current = currentRun()
      expect(current).toEqual({
        id: run.id,
        name: 'info',
        project: 'p',
        file: 'info',
        sessionId: run.sessionId,
      })
      return current
    })
    expect(info?.name).toBe('info')
    expect(currentRun()).toBeUndefined()
  })

  it('the project defaults to the package.json name of the working directory', async () => {
    const project = await withRun({ name: 'project' }, async (run) => run.project)
    expect(project).toBe('strikes')
  })

  it('tasks inside record their span in the run and mirror their metrics on it', async () => {
    const task = evalTask(async function scoreIt(x: number) {
      logMetric('x', x)
      return x
    })
    const { spans, runId, summary } = await withRun({ name: 'tasks' }, async (run) => ({
      spans: await task.mapRun([1, 2, 3]),
      runId: run.id,
      summary: run.metricSummary(),
    }))
    expect(spans.every((span) => span.runId === runId)).toBe(true)
    expect(summary).toEqual({ 'scoreit.x': { count: 3, avg: 2, min: 1, max: 3, last: 3 } })
  })

  it('params and tags given as options are on the run; logParam adds to them', async () => {
    const { params, tags } = await withRun(
      { name: 'params', params: { model: 'm' }, tags: ['t'] },
      async (run) => {
        logParam('temperature', 0)
        return { params: { ...run.params }, tags: [...run.tags] }
      },
    )
    expect(params).toEqual({ model: 'm', temperature: 0 })
    expect(tags).toEqual(['t'])
  })

  it('rejects with the error of the callback', async () => {
    const error = new Error('script failed')
    await expect(
      withRun({ name: 'failing' }, async () => {
        throw error
      }),
    ).rejects.toBe(error)
    expect(currentRun()).toBeUndefined()
  })

  it('two runs at once keep their tasks and metrics apart', async () => {
    const task = evalTask(async function work(x: number) {
      logMetric('value', x)
      return x
    })
    const runOne = withRun({ name: 'one' }, async (run) => {
      await task.map([1, 1, 1])
      return run.metricSummary()
    })
    const runTwo = withRun({ name: 'two' }, async (run) => {
      await task.map([5, 5])
      return run.metricSummary()
    })
    const [one, two] = await Promise.all([runOne, runTwo])
    expect(one['work.value']).toMatchObject({ count: 3, avg: 1 })
    expect(two['work.value']).toMatchObject({ count: 2, avg: 5 })
  })

  it('needs a non-empty name', async () => {
    await expect(withRun({ name: '' }, async () => 1)).rejects.toThrow(
      /withRun needs options with a non-empty `name`/,
    )
  })
})
