/**
 * The page shown when a page cannot be: an unknown id in the URL, a database locked by a running `vitest`,
 * missing, not DuckDB, of a newer schema or refused as crafted, or any other error. Each says what went
 * wrong, where, and what to do, in words — never a stack trace.
 */
import { DatabaseLockedError, DatabaseMissingError, NotDuckDBError } from '../../store/database.js'
import { NewerSchemaError, NotStrikesDatabaseError, UntrustedDatabaseError } from '../../store/trust.js'
import { DatabaseRefusedError } from '../data/database-trust.js'
import { html } from '../html.js'
import { BadRequestError, NotFoundError } from '../server/http-errors.js'
import { type PageFrame, renderPage } from './page-layout.js'

/** A problem as the page shows it. */
export interface Problem {
  readonly status: number
  readonly title: string
  readonly message: string
  readonly hint: string
  /** The page reloads itself after this many seconds (the problem may pass by itself). */
  readonly retrySeconds?: number
  /** Written to the server's log (unexpected errors only). */
  readonly log?: string
}

/** The first non-empty line of an error's message, without the `strikes: ` prefix. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const line = message.split('\n').find((part) => part.trim() !== '') ?? 'unknown error'
  return line.replace(/^strikes( ui)?: /, '').slice(0, 2_000)
}

/** How an error reads as a page. */
export function problemFromError(error: unknown): Problem {
  const message = firstLine(error)
  if (error instanceof NotFoundError) {
    return { status: 404, title: 'Not found', message, hint: 'Start again from the list of sessions.' }
  }
  if (error instanceof BadRequestError) {
    return {
      status: 400,
      title: 'This address does not make sense',
      message,
      hint: 'Start again from the page you came from.',
    }
  }
  if (error instanceof DatabaseLockedError) {
    return {
      status: 503,
      title: 'The database is being written',
      message: `Another process holds the database — most likely a running vitest landing its session. ${message}`,
      hint: 'This page tries again by itself every few seconds; nothing needs doing.',
      retrySeconds: 3,
    }
  }
  if (error instanceof DatabaseMissingError) {
    return {
      status: 503,
      title: 'No database yet',
      message,
      hint: 'Run your evals (npx vitest run) and this page shows them when they land, or restart with --db <file>.',
      retrySeconds: 5,
    }
  }
  if (error instanceof NewerSchemaError) {
    return {
      status: 500,
      title: 'Written by a newer strikes',
      message,
      hint: 'Nothing was changed in the file.',
    }
  }
  if (
    error instanceof DatabaseRefusedError ||
    error instanceof UntrustedDatabaseError ||
    error instanceof NotStrikesDatabaseError ||
    error instanceof NotDuckDBError
  ) {
    return {
      status: 500,
      title: 'This database is not one strikes reads',
      message,
      hint: 'Nothing was run from the file and nothing was changed in it.',
    }
  }
  if (
    /^(\w+ )?Error: /.test(message) ||
    /(Binder|Catalog|Conversion|IO|Parser|Permission|Invalid Input|Out of Memory) Error/.test(message)
  ) {
    return {
      status: 500,
      title: 'The database could not be read',
      message: `DuckDB said: ${message}`,
      hint: 'The file may be damaged, or not written by strikes. Nothing was changed in it.',
      log: message,
    }
  }
  return {
    status: 500,
    title: 'Something went wrong',
    message,
    hint: 'The server keeps running; go back or start again from the list of sessions.',
    log: message,
  }
}

/** The problem page. */
export function renderProblem(problem: Problem, dbPath: string): string {
  const frame: PageFrame = {
    title: problem.title,
    section: 'none',
    kind: 'problem',
    dbPath,
    ...(problem.retrySeconds === undefined ? {} : { retrySeconds: problem.retrySeconds }),
    body: html`<section class="problem" data-status="${problem.status}">
<h1>${problem.title}</h1>
<p class="message">${problem.message}</p>
<p>${problem.hint}</p>
${problem.retrySeconds === undefined ? '' : html`<p class="note" id="retry-note">Trying again in ${problem.retrySeconds} seconds…</p>`}
<p class="actions"><a href="/">All sessions</a><a href="/" data-back>Back</a></p>
</section>`,
  }
  return renderPage(frame).toString()
}
