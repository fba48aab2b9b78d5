#!/usr/bin/env node
/** The `strikes` executable: `query`, `runs`, `gate`, `compare`, `report`, `export` over the strikes DuckDB file. */
import { runCli } from './run-cli.js'

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
})
