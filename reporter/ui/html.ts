/**
 * HTML built from tagged templates: every interpolated value is escaped unless it is itself `Html` built
 * by this tag, so user data (model outputs, task names, errors) can never become markup. There is no way
 * to mark an arbitrary string as safe; pages are made only of literal template text and escaped values.
 */

let trusted: (text: string) => Html

/** A piece of markup built by {@link html}; only this module can create one. */
export class Html {
  readonly #text: string
  private constructor(text: string) {
    this.#text = text
  }
  static {
    trusted = (text) => new Html(text)
  }
  /** The markup. */
  toString(): string {
    return this.#text
  }
}

/** What a template may interpolate: markup, text (escaped), numbers, lists; `false`, `null`, `undefined` render nothing. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[]

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
}

/** Escapes text for element content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => ESCAPES[char] as string)
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.toString()
  if (value === null || value === undefined || value === false || value === true) return ''
  if (typeof value === 'number') return escapeHtml(String(value))
  if (typeof value === 'string') return escapeHtml(value)
  let out = ''
  for (const item of value) out += render(item)
  return out
}

/** The tag: `html\`<td>${name}</td>\`` escapes `name`; nested `html` values are kept as markup. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? ''
  for (let index = 0; index < values.length; index++) {
    out += render(values[index] as HtmlValue)
    out += strings[index + 1] ?? ''
  }
  return trusted(out)
}

/** Markup of a whole document (a string ready to send). */
export function documentText(page: Html): string {
  return page.toString()
}

/** Joins markup pieces with a separator (itself markup or escaped text). */
export function joinHtml(parts: readonly HtmlValue[], separator: HtmlValue = ''): Html {
  const sep = render(separator)
  return trusted(parts.map(render).join(sep))
}
