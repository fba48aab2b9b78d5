/**
 * The parts of the Compare page: the two-session picker, the table of keys (means, difference, change, and
 * the statistics' interval, p-value and verdict when given), and the inputs of one key side by side.
 */
import { countOf, formatNumber, formatSigned, formatTime } from '../../display-format.js'
import type { KeyComparison } from '../data/comparison.js'
import type { UiDatabase } from '../data/database-lease.js'
import { type InputPair, loadInputPairs, PAIR_CHANGES, type PairChange } from '../data/input-pairs.js'
import { loadSpanValues, spanKey } from '../data/span-values.js'
import { type Html, html, joinHtml } from '../html.js'
import { BadRequestError } from '../server/http-errors.js'
import { compareUrl, type Params, spanUrl } from './links.js'
import { valuesBlock } from './value-view.js'

/** What the Compare page's address holds. */
export interface CompareState {
  readonly baselineId: string
  readonly candidateId: string
  readonly run: string | undefined
  readonly key: string | undefined
  readonly change: string | undefined
  /** Offset of the first pair shown. */
  readonly at: number
  /** Keys the address marks as lower-is-better. */
  readonly lowered: readonly string[]
}

const PAIRS_PER_PAGE = 20
const CHANGE_WORDS: Record<PairChange, string> = {
  regressed: 'regressed',
  improved: 'improved',
  unchanged: 'unchanged',
  unscored: 'not scored',
  only_baseline: 'only in baseline',
  only_candidate: 'only in candidate',
}

function params(state: CompareState, changes: Params = {}): Params {
  return {
    base: state.baselineId,
    cand: state.candidateId,
    run: state.run,
    key: state.key,
    change: state.change,
    lower: state.lowered,
    ...changes,
  }
}

/** Two selects choosing the baseline and the candidate. */
export function sessionPicker(
  sessions: readonly {
    session_id: string
    started_at: Date | null
    status: string | null
    git_sha: string | null
  }[],
  baselineId: string | undefined,
  candidateId: string,
): Html {
  const options = (selected: string | undefined) =>
    joinHtml(
      sessions.map(
        (session) =>
          html`<option value="${session.session_id}"${session.session_id === selected ? html` selected` : ''}>${formatTime(session.started_at)} · ${session.status ?? '?'}${session.git_sha === null ? '' : ` · ${session.git_sha.slice(0, 7)}`} · ${session.session_id.slice(0, 8)}</option>`,
      ),
    )
  return html`<form class="filters pick" method="get" action="/compare">
<label>Baseline<select name="base">${options(baselineId)}</select></label>
<label>Candidate<select name="cand">${options(candidateId)}</select></label>
<button type="submit">Compare</button>
</form>`
}

/** The table of run-level keys. */
export function keyTable(state: CompareState, keys: readonly KeyComparison[]): Html {
  if (keys.length === 0)
    return html`<h2>Keys</h2><p class="muted">Neither session recorded run-level metrics.</p>`
  const withStatistics = keys.some((entry) => entry.statistics !== undefined)
  const rows = keys.map((entry) => {
    const selected = entry.run === state.run && entry.key === state.key
    const statistics = entry.statistics
    const stats = withStatistics
      ? html`<td class="num">${statistics === undefined || statistics.ci_low === null || statistics.ci_high === null ? '—' : `${formatSigned(statistics.ci_low)} to ${formatSigned(statistics.ci_high)}`}</td>
<td class="num">${statistics === undefined ? '—' : formatP(statistics.p_adjusted ?? statistics.p_value)}</td>
<td>${statistics === undefined ? '—' : html`<span class="badge ${statistics.verdict === 'regressed' ? 'failed' : statistics.verdict === 'improved' ? 'passed' : 'none'}">${statistics.verdict.replace('_', ' ')}</span>`}</td>`
      : ''
    return html`<tr class="${entry.change === 'regressed' ? 'regressed' : ''}${selected ? ' focused' : ''}">
<td>${entry.run}</td>
<th scope="row"><code>${entry.key}</code>${entry.lowerIsBetter ? html` <span class="note">lower is better</span>` : ''}</th>
<td class="num">${formatNumber(entry.baselineMean)} <span class="muted">(${formatNumber(entry.baselinePoints)})</span></td>
<td class="num">${formatNumber(entry.candidateMean)} <span class="muted">(${formatNumber(entry.candidatePoints)})</span></td>
<td class="num">${entry.difference === null ? '—' : html`<span class="delta ${entry.change === 'regressed' ? 'regression' : entry.change === 'improved' ? 'improvement' : 'same'}">${formatSigned(entry.difference)}</span>`}</td>
<td><span class="${entry.change}">${entry.change.replace('_', ' ')}</span></td>
${stats}
<td>${entry.key.includes('.') ? html`<a href="${compareUrl(params(state, { run: entry.run, key: entry.key, change: undefined, at: undefined }))}">inputs</a>` : html`<span class="muted" title="logged on the run, not by tasks">—</span>`}</td>
</tr>`
  })
  return html`<h2>Keys</h2>
<div class="scroll"><table class="rows compare-keys"><thead><tr><th scope="col">Run</th><th scope="col">Key</th><th scope="col" class="num">Baseline mean (points)</th><th scope="col" class="num">Candidate mean (points)</th><th scope="col" class="num">Difference</th><th scope="col">Change</th>${withStatistics ? html`<th scope="col" class="num">95% interval</th><th scope="col" class="num" title="Holm-adjusted across the keys">p (Holm)</th><th scope="col">Verdict</th>` : ''}<th scope="col"><span class="skip">Inputs</span></th></tr></thead>
<tbody>${joinHtml(rows)}</tbody></table></div>
${withStatistics ? '' : html`<p class="note">Means and differences of means: the paired statistics (intervals, p-values, verdicts) could not be computed here — they read every metric point of both sessions, which past about a million tasks exceeds the memory the UI allows itself.</p>`}`
}

/** The inputs of the chosen key side by side (the first regressed task key when none is chosen). */
export async function inputsSection(
  db: UiDatabase,
  state: CompareState,
  keys: readonly KeyComparison[],
): Promise<Html> {
  const chosen =
    keys.find((entry) => entry.run === state.run && entry.key === state.key) ??
    (state.key === undefined
      ? (keys.find((entry) => entry.key.includes('.') && entry.change === 'regressed') ??
        keys.find((entry) => entry.key.includes('.')))
      : undefined)
  if (chosen === undefined) {
    return state.key === undefined
      ? html`<h2>Inputs</h2><p class="muted">No task-level key to compare input by input.</p>`
      : html`<h2>Inputs</h2><p class="muted">Key ${state.key} of run ${state.run ?? '—'} is in neither session.</p>`
  }
  const change = state.change === undefined || state.change === 'all' ? undefined : state.change
  if (change !== undefined && !(PAIR_CHANGES as readonly string[]).includes(change)) {
    throw new BadRequestError(
      `"change" must be one of ${PAIR_CHANGES.join(', ')} or all, not "${change.slice(0, 40)}"`,
    )
  }
  const dot = chosen.key.indexOf('.')
  const query = {
    baselineId: state.baselineId,
    candidateId: state.candidateId,
    project: chosen.project,
    run: chosen.run,
    label: chosen.key.slice(0, dot),
    metric: chosen.key.slice(dot + 1),
    lowerIsBetter: chosen.lowerIsBetter,
  }
  const page = await loadInputPairs(db, query, change as PairChange | undefined, state.at, PAIRS_PER_PAGE)
  const here = { ...state, run: chosen.run, key: chosen.key }
  const total = Object.values(page.counts).reduce((sum, count) => sum + count, 0)
  const filters = [
    html`<a href="${compareUrl(params(here, { change: undefined, at: undefined }))}"${change === undefined ? html` aria-current="true"` : ''}>all ${formatNumber(total)}</a>`,
    ...PAIR_CHANGES.filter((name) => page.counts[name] > 0).map(
      (name) =>
        html`<a class="${name}" href="${compareUrl(params(here, { change: name, at: undefined }))}"${change === name ? html` aria-current="true"` : ''}>${CHANGE_WORDS[name]} ${formatNumber(page.counts[name])}</a>`,
    ),
  ]
  const spans = page.pairs.flatMap((pair) => [
    ...(pair.baselineSpan === null || page.baselineRun === null
      ? []
      : [{ runId: page.baselineRun, spanId: pair.baselineSpan }]),
    ...(pair.candidateSpan === null || page.candidateRun === null
      ? []
      : [{ runId: page.candidateRun, spanId: pair.candidateSpan }]),
  ])
  const values = await loadSpanValues(db, spans, { chars: 600, perSpan: 3 })
  const shownTo = state.at + page.pairs.length
  const inCategory = change === undefined ? total : page.counts[change as PairChange]
  const lower = new Set(state.lowered)
  const toggled = lower.has(chosen.key)
    ? [...lower].filter((key) => key !== chosen.key)
    : [...lower, chosen.key]
  return html`<h2 id="inputs">Inputs of <code>${chosen.key}</code> in ${chosen.run}</h2>
<p class="note">Each input's mean ${query.metric} over its calls (trials) in each session; ${chosen.lowerIsBetter ? 'lower' : 'higher'} is better (<a href="${compareUrl(params(here, { lower: toggled, at: undefined }))}">treat ${chosen.lowerIsBetter ? 'higher' : 'lower'} as better</a>).</p>
<nav class="actions" aria-label="Which inputs">${joinHtml(filters)}</nav>
${page.pairs.length === 0 ? html`<p class="muted">No inputs here.</p>` : joinHtml(page.pairs.map((pair) => pairView(pair, page.baselineRun, page.candidateRun, values)))}
<nav class="pager" aria-label="Pages of inputs">
${state.at === 0 ? '' : html`<a href="${compareUrl(params(here, { at: Math.max(0, state.at - PAIRS_PER_PAGE) || undefined }))}" rel="prev">← Previous</a>`}
<span class="counts">${formatNumber(page.pairs.length === 0 ? 0 : state.at + 1)}–${formatNumber(shownTo)} of ${countOf(inCategory, 'input')}</span>
${shownTo < inCategory ? html`<a href="${compareUrl(params(here, { at: shownTo }))}" rel="next">Next →</a>` : ''}
</nav>`
}

function pairView(
  pair: InputPair,
  baselineRun: string | null,
  candidateRun: string | null,
  values: Awaited<ReturnType<typeof loadSpanValues>>,
): Html {
  const side = (
    label: string,
    runId: string | null,
    spanId: string | null,
    score: number | null,
    trials: number,
  ) => {
    if (runId === null || spanId === null)
      return html`<div><h3>${label}</h3><p class="muted">not called in this session</p></div>`
    const view = values.get(spanKey({ runId, spanId }))
    return html`<div><h3>${label}: ${formatNumber(score)}${trials > 1 ? html` <span class="muted">(mean of ${trials} trials)</span>` : ''} · <a href="${spanUrl(runId, spanId)}">open</a></h3>${valuesBlock(view === undefined ? undefined : { inputs: [], outputs: view.outputs, moreInputs: '', moreOutputs: view.moreOutputs })}</div>`
  }
  const example = pair.baselineSpan ?? pair.candidateSpan
  const exampleRun = pair.baselineSpan === null ? candidateRun : baselineRun
  const inputs =
    example === null || exampleRun === null
      ? undefined
      : values.get(spanKey({ runId: exampleRun, spanId: example }))
  return html`<article class="pair ${pair.change}">
<div class="pair-head"><span class="badge ${pair.change === 'regressed' ? 'failed' : pair.change === 'improved' ? 'passed' : 'none'}">${CHANGE_WORDS[pair.change]}</span>${pair.difference === null ? '' : html`<b>${formatSigned(pair.difference)}</b>`}</div>
${valuesBlock(inputs === undefined ? undefined : { inputs: inputs.inputs, outputs: [], moreInputs: inputs.moreInputs, moreOutputs: '' })}
<div class="two">${side('Baseline', baselineRun, pair.baselineSpan, pair.baseline, pair.baselineTrials)}${side('Candidate', candidateRun, pair.candidateSpan, pair.candidate, pair.candidateTrials)}</div>
</article>`
}

/** A p-value as `strikes compare` prints it: four decimals, `<0.0001` below. */
function formatP(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—'
  return value < 0.0001 ? '<0.0001' : value.toFixed(4)
}
