/**
 * Labels name a task in metric keys: a metric `token_count` logged in a task labelled `tokenize` is
 * mirrored on the run as `tokenize.token_count`.
 */

const OUTSIDE_LABEL_ALPHABET = /[^a-z0-9_]+/g
const EDGE_UNDERSCORES = /^_+|_+$/g

/** Cleans a name into a label: lowercase, every run of characters outside `a-z0-9_` becomes `_`, edges trimmed. */
export function cleanLabel(value: string): string {
  return value.toLowerCase().replace(OUTSIDE_LABEL_ALPHABET, '_').replace(EDGE_UNDERSCORES, '')
}

/**
 * Derives the label of a task or span from an explicit label or its name; throws a `TypeError` naming
 * the culprit when the result would be empty (for example a name made only of punctuation).
 */
export function deriveLabel(name: string, label: string | undefined, what: string): string {
  const source = label ?? name
  const cleaned = cleanLabel(source)
  if (cleaned === '') {
    const field = label === undefined ? 'name' : 'label'
    throw new TypeError(
      `strikes: the ${field} ${JSON.stringify(source)} of ${what} cleans to an empty label; ` +
        `give it a ${label === undefined ? '`label`' : 'label'} with letters, digits or "_"`,
    )
  }
  return cleaned
}
