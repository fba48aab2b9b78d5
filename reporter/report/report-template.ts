/**
 * The Handlebars templates of the report. Every mustache is a double-stash (`{{value}}`), so every value is
 * HTML-escaped; there is no triple-stash at all, and no script. The stylesheet is joined in here, at load
 * time, as a constant — it is not a template value.
 */
import { REPORT_STYLES } from './report-styles.js'

/** The Content-Security-Policy of the page: no scripts, no requests, inline styles only. */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

/** A `TextView`: a `<pre>`, or a collapsed `<details>` whose summary is the first line. */
export const TEXT_PARTIAL = `{{#if collapsed}}<details class="text"><summary><span class="preview">\
{{summary}}</span>{{#if note}} <span class="note">{{note}}</span>{{/if}}</summary><pre>\
{{text}}</pre></details>{{else}}<pre>{{text}}</pre>{{#if note}}<div class="note">{{note}}</div>{{/if}}{{/if}}`

/** A `TaskValuesView`: named inputs, then named outputs. */
export const VALUES_PARTIAL = `<div class="values">
{{#each inputs}}<div><div class="value-name">input <code>{{name}}</code></div>{{> text value}}</div>
{{/each}}{{#if moreInputs}}<p class="more">{{moreInputs}}</p>
{{/if}}{{#each outputs}}<div><div class="value-name">output <code>{{name}}</code></div>{{> text value}}</div>
{{/each}}{{#if moreOutputs}}<p class="more">{{moreOutputs}}</p>
{{/if}}</div>`

/** A `HistogramView` as an inline SVG. */
export const HISTOGRAM_PARTIAL = `<svg class="hist" width="{{width}}" height="{{height}}" viewBox="0 0 \
{{width}} {{height}}" role="img" aria-label="{{label}}"><title>{{label}}</title>{{#each bars}}\
<rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>\
{{title}}</title></rect>{{/each}}</svg>`

/**
 * A `RunComparisonView`: per key the difference, interval and verdict; then the inputs that moved most, side
 * by side.
 */
export const COMPARISON_PARTIAL = `<h3>{{title}}</h3>
<p class="muted">{{basis}}</p>
<table class="metrics comparison">
<thead><tr><th scope="col">key</th><th scope="col" class="num">inputs</th>\
<th scope="col" class="num">baseline</th><th scope="col" class="num">candidate</th>\
<th scope="col" class="num">difference [95% CI]</th><th scope="col" class="num">p</th>\
<th scope="col" class="num">MDE</th><th scope="col">verdict</th></tr></thead>
<tbody>
{{#each keys}}<tr class="{{verdictClass}}"><th scope="row"><code>{{name}}</code></th><td class="num">\
{{n}}</td><td class="num">{{baseline}}</td><td class="num">{{candidate}}</td><td class="num">{{diff}}</td>\
<td class="num">{{p}}</td><td class="num">{{mde}}</td><td><span class="delta {{verdictClass}}">\
{{verdict}}</span> <span class="note">{{method}}</span>{{#if notes}}<div class="note">\
{{notes}}</div>{{/if}}</td></tr>
{{/each}}</tbody>
</table>
{{#if moreKeys}}<p class="more">{{moreKeys}}</p>
{{/if}}{{#each inputs}}<div class="group">
<h4><code>{{key}}</code> <span class="muted">{{heading}} inputs</span></h4>
<table class="changed">
<thead><tr><th scope="col" class="num">change</th><th scope="col">input</th>\
<th scope="col">baseline output</th><th scope="col">candidate output</th></tr></thead>
<tbody>
{{#each rows}}<tr class="{{change}}"><td class="num"><span class="delta {{change}}">{{diff}}</span>\
<div class="note">{{scores}}</div></td><td class="io">{{> text input}}</td>\
<td class="io">{{> text baselineOutput}}</td><td class="io">{{> text candidateOutput}}</td></tr>
{{/each}}</tbody>
</table>
</div>
{{/each}}{{#if moreInputs}}<p class="more">{{moreInputs}}</p>
{{/if}}`

/** The page, rendered with a `ReportModel`. */
export const REPORT_TEMPLATE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>strikes report · {{session.startedAt}} · {{session.status}}</title>
<style>${REPORT_STYLES}</style>
</head>
<body>
<header class="page">
<div class="title"><h1>strikes report</h1> <span class="badge {{session.statusClass}}">\
{{session.status}}</span> <span class="badge {{session.gateClass}}">gate: {{session.gate}}</span></div>
<dl class="facts">
<div><dt>Started</dt><dd>{{session.startedAt}}</dd></div>
<div><dt>Duration</dt><dd>{{session.duration}}</dd></div>
<div><dt>Git commit</dt><dd><code>{{session.gitSha}}</code></dd></div>
<div><dt>Contents</dt><dd>{{session.runCount}} · {{session.taskCount}} · {{session.failedTaskCount}}</dd>\
</div>
<div><dt>Session</dt><dd><code>{{session.id}}</code></dd></div>
<div><dt>Versions</dt><dd>strikes {{session.strikesVersion}} · vitest {{session.vitestVersion}}</dd></div>
</dl>
{{#if runs.length}}<nav class="toc" aria-label="Runs"><ol>
{{#each runs}}<li><a href="#{{anchor}}"><span class="dot {{statusClass}}"></span>\
{{name}}</a> <span class="muted">{{tasks}}</span>{{#if failedTasksText}} · <span class="fail-text">\
{{failedTasksText}}</span>{{/if}}{{#if regressionText}} · <span class="fail-text">\
{{regressionText}}</span>{{/if}}</li>
{{/each}}</ol>{{#if moreRuns}}<p class="more">{{moreRuns}}</p>{{/if}}</nav>
{{else}}<p class="muted">This session recorded no runs.</p>
{{/if}}</header>
<main>
{{#each runs}}<section class="run" id="{{anchor}}">
<h2><span class="badge {{statusClass}}">{{status}}</span> <span class="run-name">{{name}}</span></h2>
<p class="run-facts">project <b>{{project}}</b> · {{duration}} · {{tasks}}\
{{#if failedTasksText}} (<span class="fail-text">{{failedTasksText}}</span>){{/if}} · {{tests}}\
{{#if failedTestsText}} (<span class="fail-text">{{failedTestsText}}</span>){{/if}}\
{{#if flakyTestsText}} (<span class="muted">{{flakyTestsText}}</span>){{/if}}\
{{#each tags}} <span class="tag">{{this}}</span>{{/each}}</p>
{{#if params}}<p class="run-facts params">params <code>{{params}}</code></p>
{{/if}}{{#if crashed}}<p class="callout">The worker running this file died before it finished; everything it \
recorded until then is shown.</p>
{{/if}}{{#if error}}<div class="callout run-error"><b>Error outside tests</b> (an import, a suite hook or an \
unhandled rejection; every task recorded before it is kept){{> text error}}</div>
{{/if}}
<h3>Metrics</h3>
{{#if metrics.length}}<p class="muted">{{previous}}{{#if regressionText}} · <span class="fail-text">\
{{regressionText}}</span>{{/if}}</p>
<table class="metrics">
<thead><tr><th scope="col">key</th><th scope="col" class="num">count</th><th scope="col" class="num">avg</th>\
<th scope="col" class="num">95% CI</th><th scope="col">avg vs previous</th>\
<th scope="col" class="num">min</th><th scope="col" class="num">p50</th><th scope="col" class="num">p95</th>\
<th scope="col" class="num">max</th><th scope="col">distribution</th></tr></thead>
<tbody>
{{#each metrics}}<tr{{#if regression}} class="regression"{{/if}}><th scope="row"><code>{{name}}</code></th>\
<td class="num">{{count}}</td><td class="num">{{avg}}</td><td class="num ci">{{ci}}{{#if ciNote}}\
<div class="note">{{ciNote}}</div>{{/if}}</td><td class="change">{{#if change}}\
<span class="delta {{change.changeClass}}" title="{{change.title}}">{{change.arrow}} {{change.delta}}</span>\
{{#if regression}} <span class="flag">regression</span>{{/if}}<div class="note">was {{change.previousAvg}}\
</div>{{else}}<span class="muted">—</span>{{/if}}</td><td class="num">{{min}}</td><td class="num">\
{{p50}}</td><td class="num">{{p95}}</td><td class="num">{{max}}</td><td>{{> histogram histogram}}</td></tr>
{{/each}}</tbody>
</table>
{{#if moreMetrics}}<p class="more">{{moreMetrics}}</p>
{{/if}}{{else}}<p class="muted">No run-level metrics were logged.</p>
{{/if}}{{#if comparison}}{{> comparison comparison}}
{{/if}}{{#if failures.length}}<h3>Failures <span class="muted">({{failureCount}})</span></h3>
{{#each failures}}<article class="failure">
<div class="failure-head">{{#if isTest}}test <b>{{test}}</b>{{else}}{{kind}} <b>\
{{task}}</b> <span class="muted">in test</span> {{test}}{{/if}}</div>
<p class="error">{{#if error.collapsed}}{{errorLine}}{{else}}{{error.text}}{{/if}}</p>
{{#if error.collapsed}}<details><summary>full error{{#if error.note}} <span class="note">\
{{error.note}}</span>{{/if}}</summary><pre>{{error.text}}</pre></details>
{{/if}}{{#if stack}}<details class="stack"><summary>stack trace{{#if stack.note}} <span class="note">\
{{stack.note}}</span>{{/if}}</summary><pre>{{stack.text}}</pre></details>
{{/if}}{{#if hasValues}}{{> values values}}
{{/if}}</article>
{{/each}}{{#if moreFailures}}<p class="more">{{moreFailures}}</p>
{{/if}}{{/if}}{{#if flakyTests.length}}<h3>Flaky tests <span class="muted">(passed after retries)</span></h3>
<ul class="flaky">
{{#each flakyTests}}<li><b>{{test}}</b> <span class="muted">{{passedOn}}</span><ul>{{#each failedAttempts}}\
<li><code>{{this}}</code></li>{{/each}}</ul></li>
{{/each}}</ul>
{{/if}}{{#if candidateGroups.length}}<h3>Top candidates</h3>
{{#each candidateGroups}}<div class="group">
<h4><code>{{label}}</code> <span class="muted">{{taskName}} · {{total}} successful · ranked {{basis}}\
</span></h4>
<table class="candidates">
<thead><tr><th scope="col" class="num">#</th><th scope="col">input</th><th scope="col">output</th>\
<th scope="col">scores</th></tr></thead>
<tbody>
{{#each candidates}}<tr><td class="rank">{{rank}}</td><td class="io">{{#each values.inputs}}\
<div class="value-name">{{name}}</div>{{> text value}}{{/each}}{{#if values.moreInputs}}<p class="more">\
{{values.moreInputs}}</p>{{/if}}</td><td class="io">{{#each values.outputs}}<div class="value-name">\
{{name}}</div>{{> text value}}{{/each}}{{#if values.moreOutputs}}<p class="more">\
{{values.moreOutputs}}</p>{{/if}}</td><td><ul class="scores">{{#each scores}}\
<li{{#if ranked}} class="ranked"{{/if}}>{{name}} <b>{{value}}</b></li>{{/each}}</ul>{{#if moreScores}}\
<p class="more">{{moreScores}}</p>{{/if}}</td></tr>
{{/each}}</tbody>
</table>
{{#if more}}<p class="more">{{more}}</p>
{{/if}}</div>
{{/each}}{{#if moreLabels}}<p class="more">{{moreLabels}}</p>
{{/if}}{{/if}}</section>
{{/each}}</main>
<footer>Generated {{generatedAt}} by strikes {{strikesVersion}} · top {{topN}} candidates per task label · \
regenerate with <code>npx strikes report --session {{session.id}}</code> · this page runs no scripts and \
loads nothing.</footer>
</body>
</html>
`
