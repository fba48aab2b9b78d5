/**
 * `strikes compare --json` is written in blocks of entries, never as one string: across block boundaries
 * the text must be exactly `JSON.stringify(comparison, null, 2)` — one valid document, every key and input
 * once, in order.
 */
import { describe, expect, test } from 'vitest'
import { type SessionComparison, writeComparisonJson } from '../../reporter/cli/session-comparison.js'
import type { ComparedKey } from '../../reporter/stats/compare-runs.js'

/** A compared key with the fields the JSON reads; `inputs` changed inputs. */
function comparedKey(index: number, inputs: number): ComparedKey {
  const changed = Array.from({ length: inputs }, (_, input) => ({
    inputKey: `input-${index}-${input}`,
    baseline: 0.5,
    candidate: 0.25,
    diff: -0.25,
    baselineOutput: `before ${input}`,
    candidateOutput: undefined,
  }))
  const key = {
    run: 'a.eval.ts',
    key: `label.key_${index}`,
    project: index % 2 === 0 ? null : 'p',
    nPaired: 3,
    nOnlyBaseline: 0,
    nOnlyCandidate: 1,
    baselineMean: 0.5,
    candidateMean: index % 3 === 0 ? Number.NaN : 0.25,
    meanDiff: -0.25,
    seDiff: undefined,
    ciLow: -0.4,
    ciHigh: -0.1,
    pValue: 0.01,
    pAdjusted: 0.02,
    mde: 0.1,
    verdict: 'regressed',
    method: 'paired t',
    direction: 'higher-is-better',
    relative: -0.5,
    notes: index % 4 === 0 ? ['a note'] : [],
    changed,
  }
  return key as unknown as ComparedKey
}

function written(comparison: SessionComparison): string {
  const blocks: string[] = []
  writeComparisonJson(comparison, (text) => blocks.push(text))
  return blocks.join('\n')
}

function comparisonOf(keys: readonly ComparedKey[]): SessionComparison {
  return {
    baseline: { session: 'base', startedAt: null, gitSha: null },
    candidate: { session: 'cand', startedAt: null, gitSha: null },
    keys,
  }
}

describe('writeComparisonJson', () => {
  test.each([
    ['no keys', 0, 0],
    ['one key without inputs', 1, 0],
    ['999 keys', 999, 1],
    ['exactly 1,000 keys', 1000, 0],
    ['2,500 keys with 2 changed inputs each (5,000 inputs)', 2500, 2],
  ])('%s: the text is JSON.stringify(…, null, 2) of the whole comparison', (_name, count, inputs) => {
    const keys = Array.from({ length: count }, (_, index) => comparedKey(index, inputs))
    const text = written(comparisonOf(keys))
    const parsed = JSON.parse(text) as { keys: unknown[]; inputs: unknown[] }
    expect(parsed.keys).toHaveLength(count)
    expect(parsed.inputs).toHaveLength(count * inputs)
    expect(text).toBe(JSON.stringify(parsed, null, 2))
    if (count > 0) {
      expect(parsed.keys[count - 1]).toMatchObject({ key: `label.key_${count - 1}`, verdict: 'regressed' })
    }
  })
})
