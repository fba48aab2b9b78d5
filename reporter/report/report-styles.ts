/**
 * The report's stylesheet, inlined into the page (the Content-Security-Policy allows inline styles and
 * nothing else): light and dark colour schemes, and a print layout with every collapsed value open.
 */
export const REPORT_STYLES = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --accent: #0969da; --bar: #0969da;
  --bad-bg: #ffebe9; --good-bg: #dafbe1;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23;
    --pass: #3fb950; --fail: #f85149; --warn: #d29922; --accent: #4493f8; --bar: #4493f8;
    --bad-bg: #3c1618; --good-bg: #12261e;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.page, main, footer { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
code, pre {
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12.5px;
}
h1 { font-size: 22px; margin: 0; }
h2 { font-size: 18px; margin: 0 0 4px; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
h3 { font-size: 15px; margin: 20px 0 8px; }
h4 { font-size: 14px; margin: 12px 0 6px; }
a { color: var(--accent); }
.muted, .note { color: var(--muted); }
.note { font-size: 12px; }
.page { padding-top: 20px; padding-bottom: 8px; }
.title { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 12px 0; }
.facts div { min-width: 0; }
.facts dt { color: var(--muted); font-size: 12px; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.badge {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap;
}
.passed { color: var(--pass); }
.failed, .crashed { color: var(--fail); }
.skipped, .running, .other, .none { color: var(--muted); }
.toc ol { margin: 0; padding-left: 20px; }
.toc li { margin: 2px 0; }
.dot {
  display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: currentColor;
  margin-right: 6px;
}
.fail-text { color: var(--fail); font-weight: 600; }
.run { border-top: 1px solid var(--border); padding: 20px 0 12px; }
.run-name { overflow-wrap: anywhere; }
.run-facts { margin: 0; color: var(--muted); }
.run-facts b { color: var(--fg); }
.tag {
  display: inline-block; background: var(--panel); border: 1px solid var(--border); border-radius: 4px;
  padding: 0 6px; font-size: 12px; color: var(--fg);
}
.params code { overflow-wrap: anywhere; }
.callout { border-left: 4px solid var(--fail); background: var(--bad-bg); padding: 6px 10px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--border); }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.metrics th[scope="row"] { font-weight: normal; overflow-wrap: anywhere; }
.metrics tr.regression { background: var(--bad-bg); }
.metrics tr.regression th[scope="row"] { box-shadow: inset 4px 0 0 var(--fail); }
.change { white-space: nowrap; font-variant-numeric: tabular-nums; }
.delta.regression { color: var(--fail); font-weight: 700; }
.delta.improvement { color: var(--pass); }
.delta.same { color: var(--muted); }
.flag {
  display: inline-block; background: var(--fail); color: #ffffff; border-radius: 3px; padding: 0 5px;
  font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.02em;
}
.hist { display: block; color: var(--bar); }
.hist rect { fill: currentColor; }
.failure {
  border: 1px solid var(--border); border-left: 4px solid var(--fail); border-radius: 6px; padding: 8px 12px;
  margin: 8px 0;
}
.failure-head { overflow-wrap: anywhere; }
.error {
  color: var(--fail); font-weight: 600; margin: 4px 0; overflow-wrap: anywhere; white-space: pre-wrap;
}
pre {
  margin: 2px 0; padding: 6px 8px; background: var(--panel); border: 1px solid var(--border);
  border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 28em; overflow: auto;
}
details { margin: 4px 0; }
summary { cursor: pointer; overflow-wrap: anywhere; }
summary .preview { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.values { display: grid; gap: 6px; margin-top: 6px; }
.value-name { font-size: 12px; color: var(--muted); }
.comparison tr.regression { background: var(--bad-bg); }
.comparison tr.regression th[scope="row"] { box-shadow: inset 4px 0 0 var(--fail); }
.comparison tr.improvement th[scope="row"] { box-shadow: inset 4px 0 0 var(--pass); }
.delta.insufficient { color: var(--muted); }
.changed .io { width: 30%; max-width: 0; }
.ci { white-space: nowrap; }
.candidates td { min-width: 0; }
.candidates .rank { width: 2.5em; font-weight: 700; text-align: right; }
.candidates .io { width: 38%; max-width: 0; }
.scores { list-style: none; margin: 0; padding: 0; white-space: nowrap; }
.scores li.ranked b { color: var(--accent); }
.scores li.ranked::after { content: " ranked"; color: var(--muted); font-size: 11px; }
.more { color: var(--muted); font-style: italic; margin: 6px 0; }
footer {
  color: var(--muted); font-size: 12px; border-top: 1px solid var(--border); padding-top: 12px;
  padding-bottom: 24px; margin-top: 12px;
}
@media print {
  :root {
    --bg: #ffffff; --fg: #000000; --muted: #444444; --border: #bbbbbb; --panel: #f4f4f4; --bad-bg: #fde8e8;
    --good-bg: #e6f6e9;
  }
  html { color-scheme: light; }
  body { font-size: 11px; }
  .page, main, footer { max-width: none; padding: 0; }
  .toc { display: none; }
  pre { max-height: none; overflow: visible; }
  details::details-content { content-visibility: visible; display: contents; }
  summary { list-style: none; }
  .failure, tr, .group { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`
