/**
 * The UI's stylesheet, served as a file from the server itself (`style-src 'self'`): light and dark colour
 * schemes from the system setting, visible keyboard focus, tables that scroll sideways inside their box so
 * the page holds at 1280×800, and the timeline and chart colours (SVG uses classes, never inline styles).
 */
export const UI_STYLES = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa; --hover: #eef2f6;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --accent: #0969da; --bar: #0969da; --bar2: #8250df;
  --bad-bg: #ffebe9; --good-bg: #dafbe1; --focus: #0969da; --model: #bf3989; --test: #59636e;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23; --hover: #1c2430;
    --pass: #3fb950; --fail: #f85149; --warn: #d29922; --accent: #4493f8; --bar: #4493f8; --bar2: #ab7df8;
    --bad-bg: #3c1618; --good-bg: #12261e; --focus: #4493f8; --model: #db61a2; --test: #9198a1;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; border-radius: 3px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
h1 { font-size: 20px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 16px; margin: 24px 0 8px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; z-index: 10; }
header.top { border-bottom: 1px solid var(--border); background: var(--panel); }
.top-inner, main, footer, .banner-inner { max-width: 1440px; margin: 0 auto; padding: 0 20px; }
.top-inner { display: flex; align-items: center; gap: 16px; min-height: 44px; flex-wrap: wrap; }
.brand { font-weight: 700; color: var(--fg); }
nav.main-nav { display: flex; gap: 12px; flex-wrap: wrap; }
nav.main-nav a[aria-current="page"] { color: var(--fg); font-weight: 600; }
.db-path { margin-left: auto; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; max-width: 40%; }
.live { font-size: 12px; color: var(--muted); white-space: nowrap; }
.live[data-state="open"]::before { content: "● "; color: var(--pass); }
.live[data-state="closed"]::before { content: "● "; color: var(--muted); }
.banner { background: var(--good-bg); border-bottom: 1px solid var(--border); }
.banner[hidden] { display: none; }
.banner-inner { padding-top: 6px; padding-bottom: 6px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
main { padding-top: 16px; padding-bottom: 32px; }
footer { color: var(--muted); font-size: 12px; border-top: 1px solid var(--border); padding-top: 10px; padding-bottom: 20px; }
.crumbs { color: var(--muted); font-size: 13px; margin-bottom: 6px; overflow-wrap: anywhere; }
.crumbs a { color: var(--muted); }
.crumbs a:hover { color: var(--accent); }
.facts { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 10px 0; }
.facts dt { color: var(--muted); font-size: 12px; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.muted, .note { color: var(--muted); }
.note { font-size: 12px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; line-height: 18px; }
.passed, .ok, .pass, .improved { color: var(--pass); }
.failed, .crashed, .error, .fail, .regressed { color: var(--fail); }
.skipped, .running, .other, .none, .unchanged, .interrupted { color: var(--muted); }
.kind { display: inline-block; font-size: 11px; border-radius: 3px; padding: 0 4px; border: 1px solid var(--border); color: var(--muted); }
.kind-model { color: var(--model); border-color: currentColor; }
.tag { display: inline-block; background: var(--panel); border: 1px solid var(--border); border-radius: 4px; padding: 0 6px; font-size: 12px; }
.callout { border-left: 4px solid var(--warn); background: var(--panel); padding: 8px 12px; margin: 12px 0; }
.callout.bad { border-left-color: var(--fail); background: var(--bad-bg); }
.actions { display: flex; gap: 14px; flex-wrap: wrap; margin: 8px 0 4px; }
.scroll { overflow-x: auto; max-width: 100%; border: 1px solid var(--border); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--border); }
tbody tr:last-child td, tbody tr:last-child th { border-bottom: none; }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; white-space: nowrap; background: var(--panel); position: sticky; top: 0; }
thead th a { color: inherit; }
thead th[aria-sort] a { color: var(--fg); }
th[aria-sort="ascending"] a::after { content: " ▲"; }
th[aria-sort="descending"] a::after { content: " ▼"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:hover, tbody tr.focused { background: var(--hover); }
tr.focused { outline: 2px solid var(--focus); outline-offset: -2px; }
td.preview { max-width: 18em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
td.name { min-width: 10em; max-width: 22em; overflow-wrap: anywhere; }
td.name .tags { display: block; white-space: nowrap; }
td.err { color: var(--fail); max-width: 30em; overflow-wrap: anywhere; }
tr.regression, tr.regressed { background: var(--bad-bg); }
tr.improved-row { background: var(--good-bg); }
.delta.regression { color: var(--fail); font-weight: 700; }
.delta.improvement { color: var(--pass); }
.delta.same { color: var(--muted); }
form.filters { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: flex-end; margin: 10px 0; padding: 10px; background: var(--panel); border: 1px solid var(--border); border-radius: 6px; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
select { max-width: 16em; }
form.pick select { max-width: 30em; }
input, select, button { font: inherit; font-size: 13px; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 4px; padding: 3px 6px; }
input[type="search"] { min-width: 18em; }
input.short { width: 6em; }
button { cursor: pointer; background: var(--accent); color: #ffffff; border-color: var(--accent); padding: 3px 12px; }
button.plain { background: var(--bg); color: var(--fg); border-color: var(--border); }
.pager { display: flex; gap: 16px; align-items: center; margin: 10px 0; flex-wrap: wrap; }
.counts { color: var(--muted); font-size: 13px; }
pre { margin: 2px 0; padding: 6px 8px; background: var(--panel); border: 1px solid var(--border); border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 30em; overflow: auto; }
pre.stack { max-height: 18em; }
details { margin: 4px 0; }
summary { cursor: pointer; overflow-wrap: anywhere; }
.values { display: grid; gap: 8px; margin-top: 6px; }
.value-name { font-size: 12px; color: var(--muted); }
.two { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
.hist { display: block; color: var(--bar); }
.hist rect { fill: currentColor; }
.chart { color: var(--bar); display: block; max-width: 100%; height: auto; }
.chart .axis { stroke: var(--border); stroke-width: 1; }
.chart .label { fill: var(--muted); font-size: 11px; }
.chart .line { fill: none; stroke: currentColor; stroke-width: 2; }
.chart .band { fill: currentColor; fill-opacity: 0.15; stroke: none; }
.chart .whisker { stroke: currentColor; stroke-width: 1; }
.chart circle { fill: var(--bg); stroke: currentColor; stroke-width: 2; }
.chart a:focus circle, .chart a:hover circle { fill: currentColor; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 12px; }
.chart-card { border: 1px solid var(--border); border-radius: 6px; padding: 8px 10px; min-width: 0; margin: 0; }
.chart-card h3 { margin: 0 0 4px; overflow-wrap: anywhere; }
.keys { display: flex; flex-wrap: wrap; gap: 4px 14px; max-height: 9em; overflow: auto; }
.keys label { font-size: 13px; white-space: nowrap; }
ol.tree, ol.tree ol { list-style: none; margin: 0; padding: 0; }
ol.tree ol { padding-left: 18px; border-left: 1px dotted var(--border); margin-left: 6px; }
.node > details > summary, .node > .root-row { display: grid; grid-template-columns: minmax(14em, 1fr) 320px 6em; gap: 10px; align-items: center; padding: 2px 4px; border-radius: 4px; }
.node > details > summary { list-style: none; }
.node > details > summary::before { content: "▸"; position: absolute; margin-left: -14px; color: var(--muted); }
.node > details[open] > summary::before { content: "▾"; }
.node > details > summary:hover { background: var(--hover); }
.node { position: relative; padding-left: 14px; }
.node-title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.node-body { margin: 4px 0 10px 18px; padding: 6px 10px; border-left: 2px solid var(--border); }
.timeline { display: block; color: var(--bar); }
.timeline .track { fill: var(--panel); }
.timeline .bar { fill: var(--bar); }
.timeline .bar.error { fill: var(--fail); }
.timeline .bar.model { fill: var(--model); }
.timeline .bar.test { fill: var(--test); }
.kv { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 4px 0; }
.kv dt { color: var(--muted); font-size: 12px; }
.kv dd { margin: 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
.pair { border: 1px solid var(--border); border-radius: 6px; padding: 8px 10px; margin: 8px 0; }
.pair.regressed { border-left: 4px solid var(--fail); }
.pair.improved { border-left: 4px solid var(--pass); }
.pair-head { display: flex; gap: 12px; flex-wrap: wrap; align-items: baseline; }
dialog { color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 8px; max-width: 32em; }
dialog::backdrop { background: rgba(0, 0, 0, 0.4); }
kbd { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; border: 1px solid var(--border); border-bottom-width: 2px; border-radius: 4px; padding: 0 4px; background: var(--panel); }
.problem { max-width: 60em; }
.problem h1 { color: var(--fail); }
@media (max-width: 900px) {
  .two { grid-template-columns: minmax(0, 1fr); }
  .node > details > summary, .node > .root-row { grid-template-columns: minmax(10em, 1fr) 160px 5em; }
  .db-path { display: none; }
}
`
