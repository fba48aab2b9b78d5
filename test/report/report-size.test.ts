import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { renderReportFile } from '../../reporter/report/render-report-file.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'
import { writeSyntheticSessions } from './synthetic-session.js'

const TASKS = 100_000
const FIVE_MB = 5 * 1024 * 1024

let dir: string
let db: string

beforeAll(async () => {
  mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
  dir = mkdtempSync(join(REPO_ROOT, 'test/.tmp/report-size-'))
  db = join(dir, 'strikes.duckdb')
  await writeSyntheticSessions(db, [
    { id: 'before', tasks: TASKS, startedAt: new Date('2026-01-01T10:00:00Z') },
    { id: 'big', tasks: TASKS, startedAt: new Date('2026-01-02T10:00:00Z'), qualityShift: -0.2 },
  ])
})

test('a session of 100,000 tasks renders to one file under 5 MB, with what was left out counted', async () => {
  const started = performance.now()
  const out = await renderReportFile({ db, sessionId: 'big', out: join(dir, 'report.html') })
  const elapsed = performance.now() - started
  const bytes = statSync(out).size
  console.log(
    `report of ${TASKS.toLocaleString('en-US')} tasks: ${(bytes / 1024).toFixed(1)} KiB, rendered in ${elapsed.toFixed(0)} ms`,
  )
  expect(bytes).toBeLessThan(FIVE_MB)
  const html = readFileSync(out, 'utf8')
  // 4,000 failures, 1,000 in each of the 4 runs: 20 shown per run, the rest counted.
  expect(html.match(/<article class="failure">/g)).toHaveLength(4 * 20)
  expect(html.match(/and 980 more failures/g)).toHaveLength(4)
  // 96,000 successful calls over 4 runs and 3 labels: 5 shown per label, the rest counted.
  expect(html.match(/<td class="rank">/g)).toHaveLength(4 * 3 * 5)
  expect(html.match(/and 7,99\d more candidates/g)).toHaveLength(4 * 3)
})
