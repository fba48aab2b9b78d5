/**
 * The Compare page (`/compare?base=<id>&cand=<id>`; default: the latest session against the one before it):
 * per run and key both means, their difference and whether it moved the right way (with the interval,
 * p-value and verdict when the statistics give them); then, for a chosen task-level key, the inputs side by
 * side with both outputs and scores, filterable to regressed, improved or unchanged.
 */
import { metricDirection } from '../../report/metric-change.js'
import { compareKeys } from '../data/comparison.js'
import { findSession, loadSessionGates, previousSession, thresholdsOf } from '../data/session-detail.js'
import { EVERY_SESSION } from '../data/session-list.js'
import { html } from '../html.js'
import { BadRequestError } from '../server/http-errors.js'
import {
  intParam,
  type PageContext,
  type PageResponse,
  pageResponse,
  textParam,
} from '../server/page-context.js'
import { type CompareState, inputsSection, keyTable, sessionPicker } from './compare-view.js'
import { shortId } from './fragments.js'
import { compareUrl, sessionUrl } from './links.js'

/** Renders the Compare page. */
export async function comparePage(context: PageContext): Promise<PageResponse> {
  const { url } = context
  return context.lease.use(async (db) => {
    const sessions = await db.database.query<{
      session_id: string
      started_at: Date | null
      status: string | null
      git_sha: string | null
    }>(
      `WITH every_session AS (${EVERY_SESSION}) SELECT session_id, started_at, status, git_sha FROM every_session
       ORDER BY coalesce(epoch_us(started_at), 0) DESC, session_id DESC LIMIT 200`,
    )
    const candRef = textParam(url, 'cand') ?? sessions[0]?.session_id
    if (candRef === undefined) {
      return pageResponse(db, context, {
        title: 'Compare',
        section: 'compare',
        kind: 'compare',
        body: html`<h1>Compare</h1><p class="muted">No sessions recorded yet: there is nothing to compare.</p>`,
      })
    }
    const cand = await findSession(db, candRef)
    const candidateId = 'found' in cand ? cand.found : cand.redirect
    const baseRef = textParam(url, 'base') ?? (await previousSession(db, candidateId))
    if (baseRef === undefined) {
      return pageResponse(db, context, {
        title: 'Compare',
        section: 'compare',
        kind: 'compare',
        body: html`<h1>Compare</h1><p class="muted">Session ${shortId(candidateId)} is the first one recorded: there is no earlier session to compare it with. Pick two sessions:</p>${sessionPicker(sessions, undefined, candidateId)}`,
      })
    }
    const base = await findSession(db, baseRef)
    const baselineId = 'found' in base ? base.found : base.redirect
    if (
      'redirect' in cand ||
      'redirect' in base ||
      textParam(url, 'base') === undefined ||
      textParam(url, 'cand') === undefined
    ) {
      const params = Object.fromEntries(url.searchParams)
      return { redirect: compareUrl({ ...params, base: baselineId, cand: candidateId }) }
    }
    if (baselineId === candidateId) throw new BadRequestError('choose two different sessions to compare')
    const thresholds = thresholdsOf(await loadSessionGates(db, candidateId))
    const lowered = new Set(url.searchParams.getAll('lower'))
    const lowerIsBetter = (key: string) =>
      lowered.has(key) || metricDirection(key, thresholds) === 'lower-is-better'
    const keys = await compareKeys(db, context.statistics, baselineId, candidateId, lowerIsBetter)
    const state: CompareState = {
      baselineId,
      candidateId,
      run: textParam(url, 'run'),
      key: textParam(url, 'key'),
      change: textParam(url, 'change'),
      at: intParam(url, 'at', 0, 0, Number.MAX_SAFE_INTEGER),
      lowered: [...lowered],
    }
    const body = html`<div class="crumbs"><a href="/">Sessions</a> › compare</div>
<h1>Compare <a href="${sessionUrl(baselineId)}">${shortId(baselineId)}</a> → <a href="${sessionUrl(candidateId)}">${shortId(candidateId)}</a></h1>
<p class="note">Baseline ${shortId(baselineId)}, candidate ${shortId(candidateId)}: runs matched by file, inputs matched by label and input. <a href="${compareUrl({ base: candidateId, cand: baselineId })}">Swap</a></p>
${sessionPicker(sessions, baselineId, candidateId)}
${keyTable(state, keys)}
${await inputsSection(db, state, keys)}`
    return pageResponse(db, context, {
      title: `Compare ${baselineId.slice(0, 8)} → ${candidateId.slice(0, 8)}`,
      section: 'compare',
      kind: 'compare',
      body,
    })
  })
}
