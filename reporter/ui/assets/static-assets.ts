/**
 * The files the UI serves besides its pages: the stylesheet, the client script and the icon. They ship as
 * strings compiled into `dist/` (no build step at the user's side); their URLs carry a hash of their content,
 * so a browser may keep them for good and never runs an old script against a new page.
 */
import { createHash } from 'node:crypto'
import { UI_SCRIPT } from './ui-script.js'
import { UI_STYLES } from './ui-styles.js'

/** One static file. */
export interface StaticAsset {
  readonly path: string
  readonly contentType: string
  readonly body: string
  /** Served with `Cache-Control: immutable` (its path changes with its content). */
  readonly immutable: boolean
}

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0969da"/><path d="M4 11l3-6 2 4 1-2 2 4" stroke="#fff" stroke-width="1.6" fill="none" stroke-linejoin="round"/></svg>`

function hashed(name: string, extension: string, body: string): string {
  return `/static/${name}-${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${extension}`
}

/** The stylesheet. */
export const STYLE_ASSET: StaticAsset = {
  path: hashed('strikes-ui', 'css', UI_STYLES),
  contentType: 'text/css; charset=utf-8',
  body: UI_STYLES,
  immutable: true,
}

/** The client script (an ES module). */
export const SCRIPT_ASSET: StaticAsset = {
  path: hashed('strikes-ui', 'js', UI_SCRIPT),
  contentType: 'text/javascript; charset=utf-8',
  body: UI_SCRIPT,
  immutable: true,
}

/** The page icon (browsers ask for one; without it they log a failed request). */
export const ICON_ASSET: StaticAsset = {
  path: '/favicon.svg',
  contentType: 'image/svg+xml',
  body: ICON,
  immutable: false,
}

const ASSETS = new Map([STYLE_ASSET, SCRIPT_ASSET, ICON_ASSET].map((asset) => [asset.path, asset]))

/** The static file served at `path`, if any. */
export function staticAsset(path: string): StaticAsset | undefined {
  return ASSETS.get(path)
}
