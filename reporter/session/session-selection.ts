/**
 * What a session was asked to run: the eval files of each recording project, which of them were
 * selected, and whether that was the whole suite. A session that ran a subset — file filters, `-t`,
 * `--changed`, `vitest related`, `--project`, `--shard`, a watch-mode rerun — is **partial**: its gates
 * judge only what ran, and a threshold whose key belongs to a file that did not run is `not run`.
 */
import type { SessionFileRow } from '../store/sessions.js'

/** Why a session ran a subset of the eval files, as stored in `sessions.selection`. */
export interface SelectionFacts {
  /** Human-readable reasons, e.g. `file filter`, `-t "quality"`, `--shard=1/3`, `watch-mode rerun`. */
  readonly reasons: readonly string[]
  /** The test name pattern (`-t`), when one was given. */
  readonly testNamePattern: string | null
  /** The shard this session ran (`--shard=index/count`). */
  readonly shard: { readonly index: number; readonly count: number } | null
  /** A rerun in watch mode (of changed files, or after a filter typed at the prompt). */
  readonly watchRerun: boolean
  /** The `--project` filter, when one was given. */
  readonly projectFilter: readonly string[]
}

/** What a session was asked to run. */
export interface SessionSelection {
  /** The session ran a subset of the eval files, or only some of their tests. */
  readonly partial: boolean
  readonly facts: SelectionFacts
  /** Every eval file of each recording project, and whether this session was asked to run it. */
  readonly files: readonly SessionFileRow[]
}

/** The selection of a session that ran everything it knows of (a `withRun` script, a leftover). */
export const WHOLE_SELECTION: SessionSelection = Object.freeze({
  partial: false,
  facts: Object.freeze({
    reasons: [],
    testNamePattern: null,
    shard: null,
    watchRerun: false,
    projectFilter: [],
  }),
  files: [],
})
