/**
 * What `import('strikes')` costs an eval file, measured in a fresh Node process on the built package: a
 * module resolve hook lists every URL loaded, and none may be main-process code or a heavy dependency
 * the SDK does not need to record a task.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from 'vitest'
import { REPO_ROOT, runNode } from '../helpers/fixture-project.js'

/** Imports `entry` in a fresh process and prints every URL a module resolve hook saw, one per line. */
const LIST_LOADED_MODULES = `
import { register } from 'node:module'
import { MessageChannel } from 'node:worker_threads'
const seen = []
const { port1, port2 } = new MessageChannel()
port1.on('message', (url) => seen.push(url))
register('data:text/javascript,' + encodeURIComponent(\`
  let port
  export function initialize(data) { port = data.port }
  export async function resolve(specifier, context, next) {
    const resolved = await next(specifier, context)
    port.postMessage(resolved.url)
    return resolved
  }\`), { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] })
await import(process.argv[1])
await new Promise((done) => setTimeout(done, 100))
port1.close()
console.log(seen.join('\\n'))
`

test("a fresh process importing 'strikes' loads no reporter/ file and none of zod, handlebars, DuckDB or the OpenTelemetry SDK", async () => {
  const entry = pathToFileURL(join(REPO_ROOT, 'dist/src/index.js')).href
  const result = await runNode(['--input-type=module', '-e', LIST_LOADED_MODULES, entry], REPO_ROOT)
  expect(result.stderr).toBe('')
  const loaded = result.stdout.split('\n').filter((url) => url.startsWith('file:'))
  expect(loaded).toContain(entry)
  // The hook sees the SDK's own files and its dependencies.
  expect(loaded.filter((url) => url.includes('/dist/src/task.js'))).toHaveLength(1)
  expect(loaded.some((url) => url.includes('/node_modules/p-limit/'))).toBe(true)
  const forbidden = loaded.filter((url) =>
    /\/dist\/reporter\/|\/node_modules\/(zod|handlebars|@duckdb|@opentelemetry)\//.test(url),
  )
  expect(forbidden).toEqual([])
})
