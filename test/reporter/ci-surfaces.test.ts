/**
 * The CI surfaces hold stored text (keys, run names, messages) that may be hostile: the JUnit XML stays
 * well-formed and drops characters XML cannot hold, an annotation cannot forge a second workflow command,
 * and the job summary cannot inject HTML or break its tables.
 */
import { describe, expect, test } from 'vitest'
import { gatesJunitXml } from '../../reporter/ci/gates-junit.js'
import { gateAnnotations } from '../../reporter/ci/github-annotations.js'
import { jobSummaryMarkdown } from '../../reporter/ci/job-summary.js'
import type { GateResult } from '../../reporter/gate/evaluate-gates.js'

const HOSTILE = 'k<script>"&\'\u0001\u0007|`]]>\r\n::error::forged,%0A'

function result(overrides: Partial<GateResult> = {}): GateResult {
  return {
    key: HOSTILE,
    expression: 'avg >= 0.8',
    runId: 'run-1',
    runName: `evals/${HOSTILE}.eval.ts`,
    observed: 0.5,
    expected: 0.8,
    baselineSessionId: undefined,
    verdict: 'fail',
    passed: false,
    message: `avg 0.5 is not >= 0.8 ${HOSTILE}`,
    statistics: undefined,
    ...overrides,
  }
}

describe('JUnit XML of the gates', () => {
  test('hostile text is escaped and characters XML cannot hold are dropped', () => {
    const xml = gatesJunitXml([result(), result({ verdict: 'not run', passed: true, observed: undefined })], {
      sessionId: 's1',
      files: new Map([['run-1', `evals/${HOSTILE}.eval.ts`]]),
    })
    expect(xml.includes('\u0001') || xml.includes('\u0007')).toBe(false)
    expect(xml).not.toContain('<script>')
    expect(xml).toContain('k&lt;script&gt;&quot;&amp;')
    expect(xml).toContain('failures="1"')
    expect(xml).toContain('skipped="1"')
    // Every tag the XML has is one the writer writes.
    const tags = new Set([...xml.matchAll(/<\/?([a-z?]+)/g)].map((match) => match[1]))
    expect([...tags].sort()).toEqual([
      '?xml',
      'failure',
      'properties',
      'property',
      'skipped',
      'testcase',
      'testsuite',
      'testsuites',
    ])
  })
})

describe('GitHub annotations', () => {
  test('one ::error line per failed gate, with newlines, % and property separators escaped', () => {
    const lines = gateAnnotations(
      [result(), result({ verdict: 'pass', passed: true })],
      new Map([['run-1', 'a,b:c.ts']]),
    )
    expect(lines).toHaveLength(1)
    const [line] = lines as [string]
    expect(line.split('\n')).toHaveLength(1)
    expect(line.startsWith('::error file=a%2Cb%3Ac.ts,title=strikes gate failed%3A ')).toBe(true)
    expect(line).toContain('%0D%0A::error::forged,%250A')
  })
})

describe('the job summary', () => {
  test('hostile text cannot add HTML elements or table cells', () => {
    const markdown = jobSummaryMarkdown({
      sessionId: 's1',
      status: 'failed',
      gatePassed: false,
      results: [result()],
      runs: [],
      partial: undefined,
      dbPath: '/x/.strikes/strikes.duckdb',
      reportPaths: [],
      cwd: '/x',
    })
    expect(markdown).not.toContain('<script>')
    const row = markdown.split('\n').find((line) => line.startsWith('| ❌'))
    expect(row?.split(' | ')).toHaveLength(7)
  })
})
