/**
 * A local OpenAI-compatible HTTP server for tests (127.0.0.1, random port), driven through the real
 * `@ai-sdk/openai` provider: Chat Completions (`/v1/chat/completions`) and Responses (`/v1/responses`),
 * plain and streamed (server-sent events), tool calls, and JSON answers for `response_format` /
 * `text.format` schemas (`generateObject`). Answers are deterministic: the first two sentences of the
 * last user message, a call of the first tool until a tool result comes back, or a JSON object filling
 * the schema — unless a test sets `answer`. A marker in the prompt injects a fault:
 *
 * `[fault:429]` / `[fault:500]` every time, `[fault:429-once]` the first time a prompt is seen,
 * `[fault:hang]` no answer at all, `[fault:hang-stream]` a few chunks then nothing, `[fault:reset]` a few
 * chunks then the connection is destroyed, `[fault:malformed-tail]` the whole answer, then a malformed
 * chunk, then the end, `[fault:malformed-mid]` a malformed chunk between two parts of the text,
 * `[fault:slow]` chunks 30 ms apart. `[n]` in an answer's text is replaced by the number of answers given
 * so far, so fresh answers and cached ones can be told apart.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as the server saw it. */
export interface RecordedRequest {
  readonly api: 'chat' | 'responses'
  readonly headers: IncomingHttpHeaders
  readonly body: Record<string, unknown>
  /** The text of the last user message. */
  readonly prompt: string
  readonly stream: boolean
}

/** What the model answers. */
export interface Reply {
  text?: string
  toolCalls?: { name: string; arguments: Record<string, unknown> }[]
}

/** A running server. */
export interface OpenAIServer {
  /** Base URL for `createOpenAI({ baseURL })`, e.g. `http://127.0.0.1:40123/v1`. */
  readonly baseURL: string
  readonly requests: RecordedRequest[]
  /** Requests that reached a model answer (faults not counted). */
  readonly answered: () => number
  /** Overrides the default answer. */
  answer: ((request: RecordedRequest) => Reply) | undefined
  /** Milliseconds to wait before answering (so concurrent callers overlap). */
  delayMs: number
  close(): Promise<void>
}

/** Starts the server on a random local port. */
export async function startOpenAIServer(): Promise<OpenAIServer> {
  const requests: RecordedRequest[] = []
  const seen = new Map<string, number>()
  const open = new Set<ServerResponse>()
  let answered = 0
  const state: { answer: OpenAIServer['answer']; delayMs: number } = { answer: undefined, delayMs: 0 }
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', async () => {
      const api = request.url?.endsWith('/responses')
        ? 'responses'
        : request.url?.endsWith('/chat/completions')
          ? 'chat'
          : undefined
      if (api === undefined || request.method !== 'POST') {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end(errorBody('no such route', 'not_found'))
        return
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
      const recorded: RecordedRequest = {
        api,
        headers: request.headers,
        body,
        prompt: lastUserText(api, body),
        stream: body.stream === true,
      }
      requests.push(recorded)
      const fault = /\[fault:([a-z0-9-]+)\]/.exec(recorded.prompt)?.[1]
      const times = (seen.get(recorded.prompt) ?? 0) + 1
      seen.set(recorded.prompt, times)
      if (fault === '429' || (fault === '429-once' && times === 1)) {
        response
          .writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '10' })
          .end(errorBody('Rate limit reached', 'rate_limit_exceeded'))
        return
      }
      if (fault === '500') {
        response
          .writeHead(500, { 'content-type': 'application/json' })
          .end(errorBody('The server had an error', 'server_error'))
        return
      }
      open.add(response)
      response.on('close', () => open.delete(response))
      if (fault === 'hang') return
      if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs))
      answered++
      const reply = state.answer?.(recorded) ?? defaultReply(api, body, recorded.prompt)
      if (reply.text !== undefined) reply.text = reply.text.replaceAll('[n]', String(answered))
      const usage = {
        input: words(JSON.stringify(body.messages ?? body.input)),
        output: words(reply.text ?? '') + 5,
      }
      const model = `${String(body.model)}-2026`
      if (!recorded.stream) {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(
          JSON.stringify(
            api === 'chat'
              ? chatResponse(model, reply, usage, answered)
              : responsesResponse(model, reply, usage, answered),
          ),
        )
        return
      }
      const events =
        api === 'chat'
          ? chatEvents(model, reply, usage, answered)
          : responsesEvents(model, reply, usage, answered)
      void streamEvents(response, events, fault)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    answered: () => answered,
    get answer() {
      return state.answer
    },
    set answer(answer) {
      state.answer = answer
    },
    get delayMs() {
      return state.delayMs
    },
    set delayMs(ms) {
      state.delayMs = ms
    },
    close: async () => {
      for (const response of open) response.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

type Usage = { input: number; output: number }

/** Writes server-sent events, misbehaving as the fault says. */
async function streamEvents(
  response: ServerResponse,
  events: string[],
  fault: string | undefined,
): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const send = (data: string) => response.write(`data: ${data}\n\n`)
  const last = events.length - 1
  for (const [index, event] of events.entries()) {
    if (response.destroyed) return
    if ((fault === 'hang-stream' || fault === 'reset') && index === 3) {
      if (fault === 'reset') response.socket?.destroy()
      return
    }
    if (fault === 'malformed-mid' && index === 2) send('{"choices": [ this is not json')
    if (fault === 'malformed-tail' && index === last) send('{"truncated": ')
    send(event)
    if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, 30))
  }
  response.end()
}

function defaultReply(api: 'chat' | 'responses', body: Record<string, unknown>, prompt: string): Reply {
  const tools = (body.tools ?? []) as { type?: string; name?: string; function?: { name: string } }[]
  const format =
    api === 'chat'
      ? (body.response_format as { json_schema?: { schema?: unknown } } | undefined)?.json_schema?.schema
      : (body.text as { format?: { schema?: unknown } } | undefined)?.format?.schema
  if (format !== undefined) return { text: JSON.stringify(fill(format)) }
  const result = toolResult(api, body)
  if (tools.length > 0 && result === undefined) {
    const name = tools[0]?.function?.name ?? tools[0]?.name ?? 'tool'
    return { toolCalls: [{ name, arguments: { query: prompt.slice(0, 40) } }] }
  }
  if (result !== undefined) return { text: `The tool said: ${result}` }
  if (/Score: <a number/.test(prompt))
    return { text: 'Reasoning: the output follows the rubric.\nScore: 0.8' }
  const sentences = prompt.replace(/\[fault:[a-z0-9-]+\]/g, '').match(/[^.!?]+[.!?]+/g) ?? [prompt]
  return { text: sentences.slice(0, 2).join('').trim() }
}

/** A value matching a JSON schema (first enum value, `x` strings, 1s, true, one-item arrays). */
function fill(schema: unknown): unknown {
  const s = schema as {
    type?: string | string[]
    properties?: Record<string, unknown>
    items?: unknown
    enum?: unknown[]
  }
  if (Array.isArray(s.enum)) return s.enum[0]
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([key, value]) => [key, fill(value)]))
    case 'array':
      return [fill(s.items ?? {})]
    case 'number':
    case 'integer':
      return 1
    case 'boolean':
      return true
    default:
      return 'x'
  }
}

function toolResult(api: 'chat' | 'responses', body: Record<string, unknown>): string | undefined {
  if (api === 'chat') {
    const messages = (body.messages ?? []) as { role: string; content?: unknown }[]
    const last = messages[messages.length - 1]
    return last?.role === 'tool' ? String(last.content) : undefined
  }
  const input = (body.input ?? []) as { type?: string; output?: unknown }[]
  const last = input[input.length - 1]
  return last?.type === 'function_call_output' ? String(last.output) : undefined
}

function lastUserText(api: 'chat' | 'responses', body: Record<string, unknown>): string {
  const messages = ((api === 'chat' ? body.messages : body.input) ?? []) as {
    role?: string
    content?: unknown
  }[]
  const user = [...messages].reverse().find((message) => message.role === 'user')
  const content = user?.content
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((part: { text?: string }) => part.text ?? '').join('')
  return ''
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length
}

function errorBody(message: string, code: string): string {
  return JSON.stringify({ error: { message, type: code, param: null, code } })
}

function chatResponse(model: string, reply: Reply, usage: Usage, n: number): object {
  const toolCalls = (reply.toolCalls ?? []).map((call, i) => ({
    id: `call_${n}_${i}`,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }))
  return {
    id: `chatcmpl-${n}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text ?? null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      },
    ],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
    },
  }
}

function chatEvents(model: string, reply: Reply, usage: Usage, n: number): string[] {
  const base = { id: `chatcmpl-${n}`, object: 'chat.completion.chunk', created: 1_700_000_000, model }
  const chunk = (delta: object, finish: string | null = null) =>
    JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })
  const events = [chunk({ role: 'assistant', content: '' })]
  for (const piece of (reply.text ?? '').match(/\S+\s*/g) ?? []) events.push(chunk({ content: piece }))
  ;(reply.toolCalls ?? []).forEach((call, i) => {
    events.push(
      chunk({
        tool_calls: [
          {
            index: i,
            id: `call_${n}_${i}`,
            type: 'function',
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          },
        ],
      }),
    )
  })
  events.push(chunk({}, (reply.toolCalls ?? []).length > 0 ? 'tool_calls' : 'stop'))
  events.push(
    JSON.stringify({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: usage.input,
        completion_tokens: usage.output,
        total_tokens: usage.input + usage.output,
      },
    }),
  )
  events.push('[DONE]')
  return events
}

function responsesUsage(usage: Usage): object {
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.input + usage.output,
  }
}

function responsesOutput(reply: Reply, n: number): object[] {
  const output: object[] = []
  if (reply.text !== undefined)
    output.push({
      type: 'message',
      id: `msg_${n}`,
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: reply.text, annotations: [] }],
    })
  ;(reply.toolCalls ?? []).forEach((call, i) => {
    output.push({
      type: 'function_call',
      id: `fc_${n}_${i}`,
      call_id: `call_${n}_${i}`,
      name: call.name,
      arguments: JSON.stringify(call.arguments),
      status: 'completed',
    })
  })
  return output
}

function responsesResponse(model: string, reply: Reply, usage: Usage, n: number): object {
  return {
    id: `resp_${n}`,
    object: 'response',
    created_at: 1_700_000_000,
    status: 'completed',
    model,
    output: responsesOutput(reply, n),
    incomplete_details: null,
    usage: responsesUsage(usage),
  }
}

function responsesEvents(model: string, reply: Reply, usage: Usage, n: number): string[] {
  const response = { id: `resp_${n}`, object: 'response', created_at: 1_700_000_000, model }
  const events: object[] = [
    {
      type: 'response.created',
      sequence_number: 0,
      response: { ...response, status: 'in_progress', output: [] },
    },
  ]
  let index = 0
  if (reply.text !== undefined) {
    const item = { type: 'message', id: `msg_${n}`, status: 'in_progress', role: 'assistant', content: [] }
    events.push({ type: 'response.output_item.added', output_index: index, item })
    for (const piece of reply.text.match(/\S+\s*/g) ?? [])
      events.push({
        type: 'response.output_text.delta',
        item_id: `msg_${n}`,
        output_index: index,
        content_index: 0,
        delta: piece,
        logprobs: [],
      })
    events.push({
      type: 'response.output_item.done',
      output_index: index,
      item: {
        ...item,
        status: 'completed',
        content: [{ type: 'output_text', text: reply.text, annotations: [] }],
      },
    })
    index++
  }
  ;(reply.toolCalls ?? []).forEach((call, i) => {
    const item = {
      type: 'function_call',
      id: `fc_${n}_${i}`,
      call_id: `call_${n}_${i}`,
      name: call.name,
      arguments: '',
    }
    events.push({ type: 'response.output_item.added', output_index: index, item })
    events.push({
      type: 'response.function_call_arguments.delta',
      item_id: item.id,
      output_index: index,
      delta: JSON.stringify(call.arguments),
    })
    events.push({
      type: 'response.output_item.done',
      output_index: index,
      item: { ...item, arguments: JSON.stringify(call.arguments), status: 'completed' },
    })
    index++
  })
  events.push({
    type: 'response.completed',
    sequence_number: events.length,
    response: {
      ...response,
      status: 'completed',
      output: responsesOutput(reply, n),
      incomplete_details: null,
      usage: responsesUsage(usage),
    },
  })
  return events.map((event) => JSON.stringify(event))
}
