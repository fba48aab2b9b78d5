/**
 * The structure of the sources, checked so that it cannot rot: test-worker code (`src/`) never loads
 * main-process code (`reporter/`), the main process takes from `src/` only the shared contract
 * (`src/shared/`), no file imports itself through a circle, and no file grows past ~350 lines.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { REPO_ROOT } from '../helpers/fixture-project.js'
import { importCircles, importGraph, loadedBy, sourceFiles } from './import-graph.js'

const graph = importGraph(sourceFiles('src', 'reporter'))

/** What an eval file loads, with the packages none of them may load when it loads. */
const WORKER_ENTRIES: Record<string, readonly string[]> = {
  'src/index.ts': ['@duckdb/node-api', 'handlebars', 'zod', '@opentelemetry/sdk-trace-base'],
  'src/scorers/index.ts': ['@duckdb/node-api', 'handlebars', 'zod'],
  'src/ai/index.ts': ['@duckdb/node-api', 'handlebars'],
  'src/vitest/setup.ts': ['@duckdb/node-api', 'handlebars', 'zod', '@opentelemetry/sdk-trace-base'],
  'src/vitest/runner.ts': ['@duckdb/node-api', 'handlebars', 'zod', '@opentelemetry/sdk-trace-base'],
}

describe('the boundary between test workers and the main process', () => {
  test('no file of src/ imports a file of reporter/, in any form (static, type-only or import())', () => {
    const crossings = [...graph]
      .filter(([file]) => file.startsWith('src/'))
      .flatMap(([file, edges]) =>
        edges
          .filter((edge) => edge.relative && edge.target.startsWith('reporter/'))
          .map((edge) => `${file} → ${edge.target}`),
      )
    expect(crossings).toEqual([])
  })

  test('reporter/ imports from src/ only the shared contract in src/shared/', () => {
    const crossings = [...graph]
      .filter(([file]) => file.startsWith('reporter/'))
      .flatMap(([file, edges]) =>
        edges
          .filter(
            (edge) =>
              edge.relative && edge.target.startsWith('src/') && !edge.target.startsWith('src/shared/'),
          )
          .map((edge) => `${file} → ${edge.target}`),
      )
    expect(crossings).toEqual([])
  })

  test('the one door to the main process is src/main-process.ts, through the package entry strikes/reporter', () => {
    const selfImport = /(?:from|import\()\s*['"]strikes(?:\/[^'"]*)?['"]|['"]strikes\/reporter['"]/
    const doors = sourceFiles('src').filter((file) =>
      selfImport.test(readFileSync(join(REPO_ROOT, file), 'utf8')),
    )
    expect(doors).toEqual(['src/main-process.ts'])
  })

  test.each(Object.entries(WORKER_ENTRIES))(
    '%s loads none of %j when it loads, and no reporter/ file ever',
    (entry, forbidden) => {
      const everything = loadedBy(graph, entry, true)
      expect([...everything.files].filter((file) => !file.startsWith('src/'))).toEqual([])
      const { packages } = loadedBy(graph, entry, false)
      const loaded = (name: string): boolean =>
        [...packages].some((specifier) => specifier === name || specifier.startsWith(`${name}/`))
      expect(forbidden.filter(loaded)).toEqual([])
    },
  )

  test('task options are checked without zod, and the OpenTelemetry SDK is loaded only for export', () => {
    const { packages } = loadedBy(graph, 'src/index.ts', false)
    expect(
      [...packages].filter((name) => name.startsWith('zod') || name.startsWith('@opentelemetry/')),
    ).toEqual([])
  })
})

describe('the shape of the code', () => {
  test('no import circle between files (type-only imports included)', () => {
    expect(importCircles(graph)).toEqual([])
  })

  test('no file of src/ or reporter/ is over 350 lines', () => {
    const long = [...graph.keys()]
      .map((file) => ({ file, lines: readFileSync(join(REPO_ROOT, file), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 350)
    expect(long).toEqual([])
  })
})
