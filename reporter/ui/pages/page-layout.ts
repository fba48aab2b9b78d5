/**
 * The frame of every page: head (stylesheet and script from the server itself, nothing inline), the top bar
 * with the database path and the live-update indicator, the banner that announces a new session, the main
 * content, and the keyboard shortcut dialog.
 */
import { strikesVersion } from '../../package-info.js'
import { ICON_ASSET, SCRIPT_ASSET, STYLE_ASSET } from '../assets/static-assets.js'
import { type Html, html } from '../html.js'

/** Which top-level section a page belongs to (highlighted in the navigation). */
export type Section = 'sessions' | 'compare' | 'none'

/** What a page puts into the frame. */
export interface PageFrame {
  readonly title: string
  readonly section: Section
  /** The page's kind, for the client script (`sessions`, `tasks`, `problem`, …). */
  readonly kind: string
  readonly body: Html
  /** The database file shown in the top bar. */
  readonly dbPath: string
  /** The data version the page was rendered from (the client compares it with live updates). */
  readonly version?: string
  /** Seconds after which the client reloads the page by itself (a locked or missing database). */
  readonly retrySeconds?: number
}

/** The whole HTML document of a page. */
export function renderPage(frame: PageFrame): Html {
  const current = (section: Section) => (frame.section === section ? 'page' : false)
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${frame.title} · strikes ui</title>
<link rel="stylesheet" href="${STYLE_ASSET.path}">
<link rel="icon" href="${ICON_ASSET.path}" type="image/svg+xml">
<script type="module" src="${SCRIPT_ASSET.path}"></script>
</head>
<body data-page="${frame.kind}" data-version="${frame.version ?? ''}"${frame.retrySeconds === undefined ? '' : html` data-retry="${frame.retrySeconds}"`}>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><div class="top-inner">
<a class="brand" href="/">strikes</a>
<nav class="main-nav" aria-label="Sections">
<a href="/"${ariaCurrent(current('sessions'))}>Sessions</a>
<a href="/compare"${ariaCurrent(current('compare'))}>Compare</a>
</nav>
<span class="db-path" title="The database this server reads (read-only)">${frame.dbPath}</span>
<span class="live" id="live" data-state="closed" role="status" aria-live="polite">live updates off</span>
</div></header>
<div class="banner" id="banner" hidden><div class="banner-inner" role="status" aria-live="polite"><span id="banner-text"></span><a id="banner-link" href="/">show</a></div></div>
<main id="main" tabindex="-1">
${frame.body}
</main>
<footer>strikes ${strikesVersion()} · read-only view of the database · press <kbd>?</kbd> for keyboard shortcuts</footer>
<dialog id="shortcuts" aria-labelledby="shortcuts-title">
<h2 id="shortcuts-title">Keyboard shortcuts</h2>
<dl class="kv">
<dt><kbd>/</kbd></dt><dd>search or filter on this page</dd>
<dt><kbd>j</kbd> <kbd>k</kbd></dt><dd>next / previous row</dd>
<dt><kbd>Enter</kbd></dt><dd>open the selected row</dd>
<dt><kbd>n</kbd> <kbd>p</kbd></dt><dd>next / previous page of rows</dd>
<dt><kbd>g</kbd> then <kbd>s</kbd></dt><dd>go to the sessions</dd>
<dt><kbd>g</kbd> then <kbd>c</kbd></dt><dd>go to compare</dd>
<dt><kbd>Esc</kbd></dt><dd>close this dialog, leave a field</dd>
</dl>
<form method="dialog"><button class="plain">Close</button></form>
</dialog>
</body>
</html>`
}

function ariaCurrent(value: 'page' | false): Html | '' {
  return value === false ? '' : html` aria-current="${value}"`
}
