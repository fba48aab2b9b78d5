import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import { type HostileSessions, recordHostileSessions } from './hostile-session.js'

/** The part of the page from the candidate group of `label` to the next group (or section end). */
function candidateGroup(html: string, label: string): string {
  const start = html.indexOf(`<h4><code>${label}</code>`)
  expect(start, `candidates of ${label}`).toBeGreaterThan(-1)
  const end = html.slice(start + 1).search(/<div class="group">|<\/section>/)
  return end === -1 ? html.slice(start) : html.slice(start, start + 1 + end)
}

/** The outputs shown in a candidate table, in rank order. */
function rankedOutputs(group: string): string[] {
  return [...group.matchAll(/<div class="value-name">output<\/div><pre>([^<]*)<\/pre>/g)].map(
    (match) => match[1] ?? '',
  )
}

/** The run section of the page whose run is `name`. */
function runSection(html: string, name: string): string {
  const start = html.indexOf(`<span class="run-name">${name}</span>`)
  expect(start, `section of ${name}`).toBeGreaterThan(-1)
  return html.slice(start, html.indexOf('</section>', start))
}

describe('the report of two sessions of the same eval files', () => {
  let sessions: HostileSessions
  let latest: string
  let first: string

  beforeAll(async () => {
    sessions = await recordHostileSessions(2)
    latest = readFileSync(await sessions.render('latest.html'), 'utf8')
    first = readFileSync(await sessions.render('first.html', sessions.sessionIds[0]), 'utf8')
  })

  test('the header names the session, its git commit, status and gate result', () => {
    expect(sessions.sessionIds).toHaveLength(2)
    expect(latest).toContain(`<dt>Session</dt><dd><code>${sessions.sessionIds[1]}</code>`)
    expect(latest).toMatch(/<dt>Git commit<\/dt><dd><code>[0-9a-f]{40}<\/code>/)
    expect(latest).toContain('<span class="badge failed">failed</span>')
    expect(latest).toContain('gate: not evaluated')
  })

  test('each run shows its status and task counts', () => {
    expect(runSection(latest, 'hostile.eval.ts')).toMatch(
      /5 tasks \(<span class="fail-text">1 failed<\/span>\)/,
    )
    expect(latest).toContain(
      '<span class="badge passed">passed</span> <span class="run-name">clean.eval.ts</span>',
    )
    expect(latest).toContain(
      '<span class="badge failed">failed</span> <span class="run-name">hostile.eval.ts</span>',
    )
  })

  test('each run-level key has count, avg, min, max, p50, p95 and a distribution chart', () => {
    const row = /<th scope="row"><code>summarize\.brevity<\/code><\/th>(.*?)<\/tr>/.exec(
      runSection(latest, 'clean.eval.ts'),
    )?.[1]
    // brevity = 1 / length of 'Tiny.' (5), 'A short one.' (12), 'Mid-sized …' (30), 'A much, …' (51)
    expect(row).toContain('<td class="num">4</td><td class="num">0.08407</td>')
    expect(row).toContain(
      '<td class="num">0.01961</td><td class="num">0.05833</td><td class="num">0.1825</td><td class="num">0.2</td>',
    )
    expect(row).toContain('<svg class="hist"')
    expect(row?.match(/<rect /g)?.length).toBe(4)
  })

  test('a key whose average dropped (a latency key: rose) since the previous session is marked as a regression', () => {
    const hostile = runSection(latest, 'hostile.eval.ts')
    expect(hostile).toMatch(
      /<tr class="regression"><th scope="row"><code>answer_b_onclick_alert_5\.quality<\/code><\/th>.*▼ −0\.3333 \(−33\.33%\)<\/span> <span class="flag">regression<\/span>/,
    )
    // latency_ms doubles between the sessions (10 × length × round): lower is better for a latency key.
    expect(hostile).toMatch(
      /<tr class="regression"><th scope="row"><code>answer_b_onclick_alert_5\.latency_ms<\/code><\/th>.*regression \(lower is better\).*▲ \+193\.3 \(\+100%\)/,
    )
    expect(hostile).toContain('2 regressions')
    // Unchanged keys are not.
    expect(runSection(latest, 'clean.eval.ts')).toMatch(
      /<code>summarize\.quality<\/code>.*&#x3D; 0<\/span><div/,
    )
    expect(runSection(latest, 'clean.eval.ts')).not.toContain('class="regression"')
  })

  test('the first session has nothing to compare with', () => {
    expect(first).toContain('no earlier session of this file to compare with')
    expect(first).not.toContain('class="flag"')
  })

  test('a failed task shows its test, error, stack trace and inputs', () => {
    const failure =
      /<article class="failure">\n<div class="failure-head">task <b>explode<\/b>.*?<\/article>/s.exec(
        latest,
      )?.[0]
    expect(failure).toContain(
      '<span class="muted">in test</span> hostile.eval.ts &gt; a task fails with markup',
    )
    expect(failure).toContain('<p class="error">Error: &lt;script&gt;alert(&quot;error&quot;)')
    expect(failure).toMatch(
      /<details class="stack"><summary>stack trace<\/summary><pre>Error: .*hostile\.eval\.ts:\d+:\d+/s,
    )
    expect(failure).toContain('<div class="value-name">input <code>prompt</code></div>')
  })

  test('a failed test whose error no task shows is a failure of its own', () => {
    expect(latest).toContain(
      '<div class="failure-head">test <b>hostile.eval.ts &gt; an assertion fails with markup &lt;img src&#x3D;x onerror&#x3D;alert(11)&gt;</b></div>',
    )
    expect(runSection(latest, 'hostile.eval.ts')).toContain(
      'Failures <span class="muted">(2 failures)</span>',
    )
  })

  test('candidates are ranked by rankBy[label], capped at topN with the rest counted', () => {
    const group = candidateGroup(runSection(latest, 'clean.eval.ts'), 'summarize')
    expect(group).toContain('ranked by brevity (rankBy, highest first)')
    expect(rankedOutputs(group)).toEqual(['Tiny.', 'A short one.', 'Mid-sized first sentence here.'])
    expect(group).toContain('and 1 more candidate')
    expect(group).toContain('<li class="ranked">brevity <b>0.2</b></li>')
  })

  test("without rankBy, candidates are ranked by the task's first scorer", async () => {
    const html = readFileSync(await sessions.render('by-scorer.html', undefined, { topN: 2 }), 'utf8')
    const group = candidateGroup(runSection(html, 'clean.eval.ts'), 'summarize')
    expect(group).toContain('ranked by quality (first scorer, highest first)')
    expect(rankedOutputs(group)).toEqual([
      'A much, much longer first sentence than the others.',
      'Mid-sized first sentence here.',
    ])
  })

  test('without any scorer, candidates are ranked by their average metric', () => {
    const group = candidateGroup(runSection(latest, 'hostile.eval.ts'), 'longform')
    expect(group).toContain('ranked by average metric (highest first)')
  })
})
