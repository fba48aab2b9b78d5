/**
 * Input names of a task: the wrapped function's own parameter names, read from its source text (as the
 * reference SDK names inputs). Destructured and rest parameters cannot be named this way.
 */

const SINGLE_PARAM_ARROW = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/

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
  if (single?.[1] !== undefined && single[1] !== 'async') return [single[1]]
  const open = source.indexOf('(')
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

/** Text between the bracket at `open` and its match, skipping strings, templates and comments. */
function readBalanced(source: string, open: number): string | undefined {
  let depth = 0
  for (let i = open; i < source.length; i++) {
    const ch = source[i]
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(source, i)
      continue
    }
    if (ch === '/' && (source[i + 1] === '/' || source[i + 1] === '*')) {
      i = skipComment(source, i)
      continue
    }
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
    const ch = list[i]
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(list, i)
      continue
    }
    if (ch === '/' && (list[i + 1] === '/' || list[i + 1] === '*')) {
      i = skipComment(list, i)
      continue
    }
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

function skipString(source: string, start: number): number {
  const quote = source[start]
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++
    else if (source[i] === quote) return i
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
