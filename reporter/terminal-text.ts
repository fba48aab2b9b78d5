/**
 * Text from the database (or a spool) as a terminal shows it. Stored strings come from models, users and
 * possibly crafted files: printed raw, an escape sequence could set the window title (OSC 0), write the
 * clipboard (OSC 52), erase or overwrite lines (`\r`, CSI K) or hide text. Every string the CLI or the
 * summary prints goes through {@link terminalText}: control characters (C0, DEL, C1), bidirectional
 * overrides and line separators are shown as visible escapes (`\x1b`, `\r`, `\u202e`), and long
 * strings are cut for display (full values stay in the database).
 */

/**
 * Characters that must never reach a terminal raw: C0 controls (newline and tab are decided by the
 * caller), DEL, C1 controls, line and paragraph separators, and bidirectional embedding / override /
 * isolate controls.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this is for
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this is for
const UNSAFE_OR_BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

function visible(character: string): string {
  switch (character) {
    case '\n':
      return '\\n'
    case '\r':
      return '\\r'
    case '\t':
      return '\\t'
    case '\u001b':
      return '\\x1b'
  }
  const code = character.charCodeAt(0)
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`
}

/** How {@link terminalText} treats line breaks and length. */
export interface TerminalTextOptions {
  /** Keep `\n` and `\t` as they are (multi-line text such as an error with its stack); default: escape them. */
  readonly keepLineBreaks?: boolean
  /** Cut to this many characters (code points), saying how long the full text is; default: no cut. */
  readonly maxChars?: number
}

/** `text` safe to print on a terminal: control characters made visible, optionally cut (see the file header). */
export function terminalText(text: string, options: TerminalTextOptions = {}): string {
  const pattern = options.keepLineBreaks === true ? UNSAFE : UNSAFE_OR_BREAKS
  const cut = options.maxChars === undefined ? text : cutText(text, options.maxChars)
  return cut.replace(pattern, visible)
}

/**
 * `text` cut to at most `maxChars` code points (never inside a surrogate pair), saying how long the full
 * text is (`fullLength`, default its own length — give it when the text was already cut in SQL):
 * `a very long na… (200,000 characters)`; unchanged when short enough.
 */
export function cutText(text: string, maxChars: number, fullLength = text.length): string {
  if (fullLength <= maxChars && text.length <= maxChars) return text
  let end = 0
  let count = 0
  while (end < text.length && count < maxChars) {
    const code = text.charCodeAt(end)
    end += code >= 0xd800 && code <= 0xdbff && end + 1 < text.length ? 2 : 1
    count += 1
  }
  if (end >= text.length && fullLength <= text.length) return text
  return `${text.slice(0, end)}… (${fullLength.toLocaleString('en-US')} characters)`
}

/**
 * A name read from the database for printing: NULL as `—`, cut to {@link DISPLAY_NAME_CHARS} (with
 * `fullLength` when SQL already cut it), control characters made visible.
 */
export function displayName(text: string | null | undefined, fullLength?: number | bigint | null): string {
  if (text === null || text === undefined) return '—'
  const length = fullLength === null || fullLength === undefined ? text.length : Number(fullLength)
  return terminalText(cutText(text, DISPLAY_NAME_CHARS, length))
}

/** SQL: at most enough of a text column for {@link displayName} (so huge values never reach JavaScript). */
export function displaySql(column: string): string {
  return `left(${column}, ${DISPLAY_NAME_CHARS + 1})`
}

/**
 * JSON text safe for a terminal: the control characters `JSON.stringify` leaves raw (DEL, C1, line
 * separators, bidirectional controls) written as `\u` escapes, which read back as the same text.
 */
export function terminalJson(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** Longest name (run, key, task) the CLI and the summary print in full. */
export const DISPLAY_NAME_CHARS = 120
