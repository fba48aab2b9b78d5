/**
 * A model call's prompt and answer as the attributes backends read, built only when the span is exported:
 * the OpenTelemetry GenAI conventions' `gen_ai.system_instructions`, `gen_ai.input.messages` and
 * `gen_ai.output.messages` (JSON, parts typed `text`, `tool_call`, `tool_call_response`, `reasoning`,
 * `uri`, `blob`), OpenInference's flattened `llm.input_messages.<i>.message.*` /
 * `llm.output_messages.0.message.*` (Arize Phoenix), and `input.value` / `output.value` (Langfuse).
 * File contents are not copied (a `blob` part names its media type only).
 */
import type { AttributeValue } from '../metrics.js'
import { canonicalJson } from '../serialise.js'
import type { CallOptions } from './language-model.js'

/** A GenAI message part. */
type Part = Record<string, unknown> & { type: string }

/** A GenAI message. */
interface Message {
  role: string
  parts: Part[]
  finish_reason?: string
}

/** What the model answered. */
export interface AnswerContent {
  readonly text: string
  readonly toolCalls: readonly { toolCallId?: string; toolName: string; input: unknown }[]
  readonly finishReason: string | undefined
}

/** The content attributes of a model call. */
export function modelCallContent(
  prompt: CallOptions['prompt'],
  answer: AnswerContent,
): Record<string, AttributeValue> {
  const system: Part[] = []
  const input: Message[] = []
  for (const message of prompt) {
    if (message.role === 'system') system.push({ type: 'text', content: message.content })
    else input.push({ role: message.role, parts: message.content.map(promptPart) })
  }
  const outputParts: Part[] = []
  if (answer.text !== '') outputParts.push({ type: 'text', content: answer.text })
  for (const call of answer.toolCalls)
    outputParts.push({
      type: 'tool_call',
      id: call.toolCallId ?? null,
      name: call.toolName,
      arguments: call.input,
    })
  const output: Message = { role: 'assistant', parts: outputParts }
  if (answer.finishReason !== undefined) output.finish_reason = answer.finishReason
  const attributes: Record<string, AttributeValue> = {
    'gen_ai.input.messages': canonicalJson(input),
    'gen_ai.output.messages': canonicalJson([output]),
    'input.value': canonicalJson(system.length > 0 ? [{ role: 'system', parts: system }, ...input] : input),
    'input.mime_type': 'application/json',
    'output.value': answer.text,
    'output.mime_type': 'text/plain',
  }
  if (system.length > 0) attributes['gen_ai.system_instructions'] = canonicalJson(system)
  let index = 0
  for (const message of prompt) {
    const prefix = `llm.input_messages.${index++}.message`
    attributes[`${prefix}.role`] = message.role
    if (message.role === 'system') {
      attributes[`${prefix}.content`] = message.content
      continue
    }
    const text = message.content
      .map((part) => (part.type === 'text' ? part.text : ''))
      .filter((part) => part !== '')
      .join('\n')
    if (text !== '') attributes[`${prefix}.content`] = text
    let call = 0
    for (const part of message.content) {
      if (part.type === 'tool-call') {
        const at = `${prefix}.tool_calls.${call++}.tool_call`
        attributes[`${at}.id`] = part.toolCallId
        attributes[`${at}.function.name`] = part.toolName
        attributes[`${at}.function.arguments`] = canonicalJson(part.input)
      } else if (part.type === 'tool-result') {
        attributes[`${prefix}.tool_call_id`] = part.toolCallId
        attributes[`${prefix}.content`] = canonicalJson(toolOutput(part.output))
      }
    }
  }
  attributes['llm.output_messages.0.message.role'] = 'assistant'
  if (answer.text !== '') attributes['llm.output_messages.0.message.content'] = answer.text
  answer.toolCalls.forEach((call, i) => {
    const at = `llm.output_messages.0.message.tool_calls.${i}.tool_call`
    if (call.toolCallId !== undefined) attributes[`${at}.id`] = call.toolCallId
    attributes[`${at}.function.name`] = call.toolName
    attributes[`${at}.function.arguments`] = canonicalJson(call.input)
  })
  return attributes
}

type PromptPart = Exclude<CallOptions['prompt'][number], { role: 'system' }>['content'][number]

function promptPart(part: PromptPart): Part {
  switch (part.type) {
    case 'text':
      return { type: 'text', content: part.text }
    case 'reasoning':
      return { type: 'reasoning', content: part.text }
    case 'tool-call':
      return { type: 'tool_call', id: part.toolCallId, name: part.toolName, arguments: part.input }
    case 'tool-result':
      return { type: 'tool_call_response', id: part.toolCallId, response: toolOutput(part.output) }
    case 'file': {
      const data: unknown = part.data
      if (data instanceof URL) return { type: 'uri', uri: data.toString(), mime_type: part.mediaType }
      return { type: 'blob', mime_type: part.mediaType }
    }
    default:
      return { type: (part as { type: string }).type }
  }
}

/** The value of a tool result (`{ type: 'text' | 'json' | …, value }` in the AI SDK's prompt). */
function toolOutput(output: unknown): unknown {
  if (typeof output === 'object' && output !== null && 'value' in output)
    return (output as { value: unknown }).value
  return output
}
