/**
 * The text strikes stores for an error Vitest serialised (an error outside tests, a test attempt's
 * error): `Name: message`, then the stack's `at …` frames — the same on the worker and the reporter side.
 */

/** The fields of a serialised error that the text is made of. */
export interface ErrorLike {
  readonly name?: unknown
  readonly message?: unknown
  readonly stack?: unknown
}

/** `Name: message` followed by the stack's frames. */
export function errorText(error: ErrorLike): string {
  const name = typeof error.name === 'string' && error.name !== '' ? error.name : 'Error'
  const message = typeof error.message === 'string' ? error.message : String(error.message ?? '')
  const head = `${name}: ${message}`
  const stack = typeof error.stack === 'string' ? error.stack : ''
  const frames = stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n')
  return frames === '' ? head : `${head}\n${frames}`
}
