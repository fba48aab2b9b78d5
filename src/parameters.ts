/**
 * Input names of a task: the wrapped function's own parameter names, read from its source text (as the
 * reference SDK names inputs). Destructured and rest parameters cannot be named this way.
 */

const SINGLE_PARAM_ARROW = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/

/** Characters after which a `/` starts a regular expression rather than a division. */
const BEFORE_REGEXP = new Set([
  '',
  '(',
  ',',
  '=',
  ':',
  '[',
  '!',
  '&',
  '|',
  '?',
  '{',
  '}',
  ';',
  '+',
  '-',
  '*',
  '%',
  '<',
  '>',
  '~',
  '^',
])

/**
 * Reads the parameter names of a function from its source; `undefined` when any parameter is
 * destructured or a rest parameter, or the source cannot be read.
 */
export function readParameterNames(fn: (...args: never[]) => unknown): string[] | undefined {
  let source: string
  try {
    source = Function.prototype.toString.call(fn)
  } catch {
    return undefined
  }
  if (source.includes('[native code]')) return undefined
  const single = SINGLE_PARAM_ARROW.exec(source)
  if (single?.[1] !== undefined) return [single[1]]
  const open = indexOfOutsideLiterals(source, '(')
  if (open === -1) return undefined
  const list = readBalanced(source, open)
  if (list === undefined) return undefined
  const names: string[] = []
  for (const raw of splitTopLevel(list)) {
    const param = stripComments(raw).trim()
    if (param === '') continue
    if (param.startsWith('...') || param.startsWith('{') || param.startsWith('[')) return undefined
    const name = /^([A-Za-z_$][\w$]*)/.exec(param)?.[1]
    if (name === undefined) return undefined
    names.push(name)
  }
  return names
}

/** Input names for one call: the read names, else `input` for a single argument, else `arg0`, `arg1`, … */
export function inputNamesFor(names: readonly string[] | undefined, count: number): string[] {
  const result: string[] = []
  for (let i = 0; i < count; i++) {
    const name = names?.[i]
    result.push(name ?? (names === undefined && count === 1 ? 'input' : `arg${i}`))
  }
  return result
}

/**
 * If a string, template, comment or regular expression literal starts at `i`, the index of its last
 * character; otherwise `undefined`.
 */
function literalEnd(source: string, i: number): number | undefined {
  const ch = source[i]
  if (ch === '"' || ch === "'" || ch === '`') return skipString(source, i)
  if (ch !== '/') return undefined
  const next = source[i + 1]
  if (next === '/' || next === '*') return skipComment(source, i)
  return BEFORE_REGEXP.has(previousSignificant(source, i)) ? skipRegExp(source, i) : undefined
}

/** Index of the first `target` outside literals, or -1. */
function indexOfOutsideLiterals(source: string, target: string): number {
  for (let i = 0; i < source.length; i++) {
    const end = literalEnd(source, i)
    if (end !== undefined) i = end
    else if (source[i] === target) return i
  }
  return -1
}

/** Text between the bracket at `open` and its match, skipping literals and comments. */
function readBalanced(source: string, open: number): string | undefined {
  let depth = 0
  for (let i = open; i < source.length; i++) {
    const end = literalEnd(source, i)
    if (end !== undefined) {
      i = end
      continue
    }
    const ch = source[i]
    if (ch === '(' || ch === '[' || ch === '{') depth++
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--
      if (depth === 0) return source.slice(open + 1, i)
    }
  }
  return undefined
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < list.length; i++) {
    const end = literalEnd(list, i)
    if (end !== undefined) {
      i = end
      continue
    }
    const ch = list[i]
    if (ch === '(' || ch === '[' || ch === '{') depth++
    else if (ch === ')' || ch === ']' || ch === '}') depth--
    else if (ch === ',' && depth === 0) {
      parts.push(list.slice(start, i))
      start = i + 1
    }
  }
  parts.push(list.slice(start))
  return parts
}

function previousSignificant(source: string, before: number): string {
  for (let i = before - 1; i >= 0; i--) {
    const ch = source[i] as string
    if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') return ch
  }
  return ''
}

function skipString(source: string, start: number): number {
  const quote = source[start]
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++
    else if (source[i] === quote) return i
  }
  return source.length
}

function skipRegExp(source: string, start: number): number {
  let inClass = false
  for (let i = start + 1; i < source.length; i++) {
    const ch = source[i]
    if (ch === '\\') i++
    else if (ch === '[') inClass = true
    else if (ch === ']') inClass = false
    else if (ch === '/' && !inClass) return i
    else if (ch === '\n') return i
  }
  return source.length
}

function skipComment(source: string, start: number): number {
  if (source[start + 1] === '/') {
    const end = source.indexOf('\n', start)
    return end === -1 ? source.length : end
  }
  const end = source.indexOf('*/', start + 2)
  return end === -1 ? source.length : end + 1
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
}
