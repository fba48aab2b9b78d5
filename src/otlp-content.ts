/**
 * The attributes of an exported span that backends show as its content, built from the span's inputs,
 * outputs and metrics when it is exported: OpenInference's `input.value` / `output.value` (with their
 * MIME types) and `openinference.span.kind`, which Arize Phoenix and Langfuse read; the OpenInference
 * `llm.*` names of a model call's model and tokens; and `strikes.metric.<name>` / `strikes.score.<name>`.
 * Inputs and outputs are left out when content export is off; every text is cut at `maxBytes`.
 */
import type { AttributeValue, Metric } from './metrics.js'
import { canonicalJson } from './serialise.js'
import type { EndedSpan } from './span-export.js'

/** How content attributes are built. */
export interface ContentSettings {
  /** Inputs, outputs, prompts and completions go with the spans. */
  readonly content: boolean
  /** Largest text attribute, in UTF-8 bytes (the plugin's `maxObjectBytes`). */
  readonly maxBytes: number
}

/** Attribute names of content. */
export const CONTENT_ATTR = {
  spanKind: 'openinference.span.kind',
  input: 'input.value',
  inputMime: 'input.mime_type',
  output: 'output.value',
  outputMime: 'output.mime_type',
  /** True when a text attribute was cut at `maxObjectBytes`. */
  truncated: 'strikes.content.truncated',
  metricPrefix: 'strikes.metric.',
  scorePrefix: 'strikes.score.',
} as const

const JSON_MIME = 'application/json'
const TEXT_MIME = 'text/plain'

/** Adds the content, metric and score attributes of a span to `attributes`. */
export function addContentAttributes(
  attributes: Record<string, AttributeValue>,
  ended: EndedSpan,
  settings: ContentSettings,
): void {
  const own = attributes as Readonly<Record<string, AttributeValue | undefined>>
  const operation = own['gen_ai.operation.name']
  attributes[CONTENT_ATTR.spanKind] =
    operation === 'execute_tool' ? 'TOOL' : operation !== undefined ? 'LLM' : 'CHAIN'
  if (operation !== undefined && operation !== 'execute_tool') addLlmAttributes(attributes, own)
  addMetrics(attributes, ended.metrics)
  if (!settings.content) return
  const cut = { any: false }
  const limit = (text: string): string => truncateUtf8(text, settings.maxBytes, cut)
  const input = valueText(ended.inputs, undefined)
  if (input !== undefined) {
    attributes[CONTENT_ATTR.input] = limit(input.text)
    attributes[CONTENT_ATTR.inputMime] = input.mime
  }
  const output = valueText(ended.outputs, 'output')
  if (output !== undefined) {
    attributes[CONTENT_ATTR.output] = limit(output.text)
    attributes[CONTENT_ATTR.outputMime] = output.mime
  }
  if (ended.content !== undefined) {
    for (const [key, value] of Object.entries(ended.content()))
      attributes[key] = typeof value === 'string' ? limit(value) : value
  }
  if (cut.any) attributes[CONTENT_ATTR.truncated] = true
}

/**
 * The text of logged values: a single string as it is (`text/plain`), anything else as JSON. A span whose
 * only value is `main` (the return value, `output`) shows that value rather than `{ "output": … }`.
 */
function valueText(
  values: Readonly<Record<string, unknown>>,
  main: string | undefined,
): { text: string; mime: string } | undefined {
  const names = Object.keys(values)
  if (names.length === 0) return undefined
  const only = names.length === 1 ? values[names[0] as string] : undefined
  const single = names.length === 1 && (main === undefined || names[0] === main)
  if (single && typeof only === 'string') return { text: only, mime: TEXT_MIME }
  return { text: canonicalJson(single ? only : values), mime: JSON_MIME }
}

/** `strikes.metric.<name>` (logged) and `strikes.score.<name>` (scorers): the value, or every value when several. */
function addMetrics(
  attributes: Record<string, AttributeValue>,
  metrics: Readonly<Record<string, readonly Metric[]>>,
): void {
  for (const [name, points] of Object.entries(metrics)) {
    const first = points[0]
    if (first === undefined) continue
    const key = `${first.source === 'scorer' ? CONTENT_ATTR.scorePrefix : CONTENT_ATTR.metricPrefix}${name}`
    attributes[key] = points.length === 1 ? first.value : points.map((point) => point.value)
  }
}

/** OpenInference's names of a model call's model, provider and tokens, from its GenAI attributes. */
function addLlmAttributes(
  attributes: Record<string, AttributeValue>,
  own: Readonly<Record<string, AttributeValue | undefined>>,
): void {
  const copy = (to: string, from: string): void => {
    const value = own[from]
    if (value !== undefined) attributes[to] = value
  }
  attributes['llm.model_name'] = (own['gen_ai.response.model'] ?? own['gen_ai.request.model'] ?? '') as string
  copy('llm.provider', 'gen_ai.provider.name')
  copy('llm.system', 'gen_ai.provider.name')
  copy('llm.token_count.prompt', 'gen_ai.usage.input_tokens')
  copy('llm.token_count.completion', 'gen_ai.usage.output_tokens')
  copy('llm.token_count.prompt_details.cache_read', 'gen_ai.usage.cache_read.input_tokens')
  const input = own['gen_ai.usage.input_tokens']
  const output = own['gen_ai.usage.output_tokens']
  if (typeof input === 'number' && typeof output === 'number')
    attributes['llm.token_count.total'] = input + output
}

/** `text` cut to at most `maxBytes` UTF-8 bytes (never inside a character), with `…` when cut. */
export function truncateUtf8(text: string, maxBytes: number, cut?: { any: boolean }): string {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most texts need no measuring.
  if (text.length * 3 <= maxBytes) return text
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= maxBytes) return text
  if (cut !== undefined) cut.any = true
  // Room for the ellipsis (3 bytes); back off to the first byte of a character.
  let end = Math.max(0, maxBytes - 3)
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end -= 1
  return `${bytes.subarray(0, end).toString('utf8')}…`
}
