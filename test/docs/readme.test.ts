/**
 * The README cannot rot: every ```ts / ```typescript block in it type-checks against the built package
 * (`strikes`, `strikes/scorers`, `strikes/plugin`, `strikes/ai`), and every block marked `run` runs.
 * Mark a fragment that is not meant to compile ```ts no-check; continue a program over several blocks
 * with ```ts continue. Set STRIKES_DOCS_README to check a draft elsewhere.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { REPO_ROOT } from '../helpers/fixture-project.js'
import { readDocumentBlocks, runFailuresOf, typeErrorsOf } from './readme-check.js'

const README = process.env.STRIKES_DOCS_README ?? join(REPO_ROOT, 'README.md')

describe(`the code blocks of ${README === join(REPO_ROOT, 'README.md') ? 'README.md' : README}`, () => {
  test('the README exists and has TypeScript examples', () => {
    expect(existsSync(README), `${README} is missing: the README is the project's front door`).toBe(true)
    expect(readDocumentBlocks(README).blockCount).toBeGreaterThan(0)
  })

  test.runIf(existsSync(README))('every ts block type-checks against the built package', () => {
    const errors = typeErrorsOf(readDocumentBlocks(README))
    expect(errors, `type errors in the README's code blocks:\n${errors.join('\n')}`).toEqual([])
  })

  test.runIf(existsSync(README))('every ts run block runs without error', async () => {
    const failures = await runFailuresOf(readDocumentBlocks(README))
    expect(failures, `failing run blocks in the README:\n${failures.join('\n\n')}`).toEqual([])
  })
})
