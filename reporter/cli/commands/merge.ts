/**
 * `strikes merge --db <target> <shard.duckdb>...`: imports the sessions of shard databases into one
 * database, the shards of one CI run becoming one session. Exit 0 when merged (or nothing was new), 2 on
 * any error — a bad or conflicting input, shards missing without --allow-partial — with the target as it
 * was.
 */
import { resolve } from 'node:path'
import { mergeDatabases } from '../../merge/merge-databases.js'
import { DEFAULT_DB_PATH } from '../../store/defaults.js'
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.js'

/** The `merge` command. */
export const mergeCommand: Command = {
  name: 'merge',
  summary: 'merge shard databases (vitest --shard) into one database, one session per CI run',
  help: `Usage: strikes merge --db <target.duckdb> <shard.duckdb>... [--allow-partial]

Imports every session of the given databases into the target (created when missing; the
shards are only read). The shards of one session group (one CI run: STRIKES_SESSION_GROUP,
GitHub Actions GITHUB_RUN_ID + GITHUB_RUN_ATTEMPT, GitLab CI_PIPELINE_ID, else the git sha
and shard count) become one session whose runs keep their shard; other sessions are imported
as they are. Merging the same file again adds nothing. The merged session's gates are then
evaluated with the thresholds the shards stored (see them again with strikes gate).

A group with shards missing is refused, naming them, unless --allow-partial (the keys of
the missing shards' files are then "not run"). Shards of different groups are merged as
separate sessions, and the command says so. On any error nothing is written.
Exit code: 0 merged, 2 error.

Options:
  --db <file>        the target database (default .strikes/strikes.duckdb)
  --allow-partial    merge a group even when some of its shards are missing
  --json             print what was merged as JSON
  -h, --help         show this help

Example:
  strikes merge --db merged.duckdb shard-1/strikes.duckdb shard-2/strikes.duckdb shard-3/strikes.duckdb
  strikes gate --db merged.duckdb && strikes report --db merged.duckdb`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('merge', args, {
      'allow-partial': { type: 'boolean' },
      json: { type: 'boolean' },
    })
    if (values.help === true) {
      io.out(this.help)
      return EXIT_OK
    }
    if (positionals.length === 0) {
      throw new UsageError(
        'merge: give the shard databases, e.g. strikes merge --db merged.duckdb shard-*/strikes.duckdb',
      )
    }
    const outcome = await mergeDatabases(
      resolve(io.cwd, values.db ?? DEFAULT_DB_PATH),
      positionals.map((path) => resolve(io.cwd, path)),
      { allowPartial: values['allow-partial'] === true, lockTimeoutMs: 10_000 },
    )
    if (values.json === true) {
      io.out(
        JSON.stringify(
          {
            sessions: outcome.sessions,
            groups: outcome.plan.groups.map((group) => ({
              group: group.group,
              sessionId: group.sessionId,
              count: group.count,
              merged: group.imports.map((member) => member.index),
              present: group.present,
              missing: group.missing,
            })),
            imported: outcome.plan.singles.map((single) => single.session.sessionId),
            skipped: outcome.plan.skipped.map((skipped) => skipped.session.sessionId),
            warnings: outcome.warnings,
          },
          null,
          2,
        ),
      )
    } else io.out([...outcome.warnings, ...outcome.lines].join('\n'))
    return EXIT_OK
  },
}
