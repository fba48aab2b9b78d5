/**
 * What the calling code belongs to, read from its frame: the run, the innermost task, the trial, and
 * whether its test already ended. `currentRun()` and `currentTask()` are the public faces of this.
 */
import { EMPTY_FRAME, type Frame } from './frame.js'
import type { Run, RunInfo } from './run.js'
import { runtime } from './runtime.js'
import type { TaskSpan } from './task-span.js'
import type { TestScope } from './test-scope.js'

/** The frame of the calling code. */
export function activeFrame(): Frame {
  return runtime.frames.getStore() ?? EMPTY_FRAME
}

/** Runs `fn` in `frame`: what it calls and awaits sees that frame. */
export function runInFrame<A extends unknown[], T>(frame: Frame, fn: (...args: A) => T, ...args: A): T {
  return runtime.frames.run(frame, fn, ...args)
}

/** The run the calling code belongs to (a `withRun` scope, else the current Vitest test file), if any. */
export function activeRun(): Run | undefined {
  return activeFrame().run ?? runtime.fileRun
}

/** Identity of the current run — `{ id, name, project, file, sessionId }` — or `undefined` outside any run. */
export function currentRun(): RunInfo | undefined {
  return activeRun()?.toInfo()
}

/** The innermost open task or `taskSpan` of the calling code (test-case spans excluded). */
export function innermostSpan(): TaskSpan | undefined {
  const span = activeFrame().span
  return span !== undefined && span.kind !== 'test' ? span : undefined
}

/** The trial index of the calling `many`/count-form call, if any. */
export function currentTrial(): number | undefined {
  return activeFrame().trial
}

/** The scope (test case, else run) the calling code is in, if it has ended. */
export function endedScope(run: Run | undefined): TestScope | undefined {
  const scope = activeFrame().test ?? run?.scope
  return scope?.closed === true ? scope : undefined
}
