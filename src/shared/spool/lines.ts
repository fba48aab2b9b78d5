/**
 * Line encoders of the spool: one function per record kind, compiled once from the kind's fields in
 * `format.ts`, so a line costs what a hand-written template costs (the recorder writes one or more lines
 * per task call) and no field can be forgotten. Only user text goes through `JSON.stringify`; ids,
 * numbers and booleans are written as they are.
 */
import { type FieldSpec, RECORD_KINDS, type RecordKind, type RecordOf } from './format.js'

/** Turns a record into its line (without the newline). */
export type LineEncoder<K extends RecordKind> = (record: RecordOf<K>) => string

/** Helpers the compiled encoders call. */
interface EncoderHelpers {
  /** JSON of user text. */
  readonly text: (value: string) => string
  /** JSON of a record of attributes. */
  readonly object: (value: Readonly<Record<string, unknown>>) => string
}

/** The JavaScript expression that writes one field's value (`v`) as JSON. */
function valueCode(spec: FieldSpec, v: string): string {
  switch (spec.type) {
    case 'id':
      return `'"' + ${v} + '"'`
    case 'text':
      return `h.text(${v})`
    case 'texts':
      return `(${v}.length === 0 ? '[]' : h.text(${v}))`
    case 'object':
      return `h.object(${v})`
    default:
      // number, integer, micros, boolean, json: their text is their JSON.
      return `('' + ${v})`
  }
}

/** The source of an encoder: one expression concatenating the line. */
function encoderSource(tag: string, fields: Readonly<Record<string, FieldSpec>>): string {
  const parts = [`'{"t":"${tag}"'`]
  for (const [name, spec] of Object.entries(fields)) {
    const v = `r[${JSON.stringify(name)}]`
    const value =
      spec.nullable === true ? `(${v} === null ? 'null' : ${valueCode(spec, v)})` : valueCode(spec, v)
    const field = `',"${name}":' + ${value}`
    parts.push(spec.optional === true ? `(${v} === undefined ? '' : ${field})` : field)
  }
  parts.push(`'}'`)
  return `return ${parts.join(' + ')}`
}

function compile<K extends RecordKind>(kind: K, helpers: EncoderHelpers): LineEncoder<K> {
  const spec = RECORD_KINDS[kind]
  return new Function('h', 'r', encoderSource(spec.tag, spec.fields)).bind(
    undefined,
    helpers,
  ) as LineEncoder<K>
}

/** The line encoder of every record kind. */
export type LineEncoders = { readonly [K in RecordKind]: LineEncoder<K> }

/** Compiles the encoders of every kind; `object` writes attribute records (it must not throw). */
export function compileLineEncoders(object: EncoderHelpers['object']): LineEncoders {
  const helpers: EncoderHelpers = { text: JSON.stringify, object }
  return {
    span: compile('span', helpers),
    metric: compile('metric', helpers),
    runMetric: compile('runMetric', helpers),
    object: compile('object', helpers),
    taskIo: compile('taskIo', helpers),
  }
}
