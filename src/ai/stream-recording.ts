/**
 * Recording a streaming model call while its parts pass through unchanged. The call's span ends when the
 * stream does: failed on an error part or a read error — and then the calling task fails too, since the
 * AI SDK keeps stream errors from the code reading `textStream` —; succeeded with a warning attribute when
 * the only problem was a malformed chunk after the complete answer; and, when nobody reads to the end
 * (the reader cancelled, the calling task returned, or its test ended), marked `strikes.cancelled` with
 * the text and usage received so far, the model stream being cancelled so it stops costing tokens.
 */
import { describeThrown } from '../serialise.js'
import { StreamAnswer } from './answer.js'
import { AI_ATTR } from './gen-ai-attributes.js'
import type { StreamPart } from './language-model.js'
import type { ModelCall } from './model-call.js'

/** What happens around a recorded stream. */
export interface StreamHooks {
  /** Gets every part of a complete answer without errors before the stream closes (to cache it). */
  readonly onComplete?: ((parts: StreamPart[]) => Promise<void>) | undefined
  /** Runs once when the stream is over, however it ended (to release a cache claim). */
  readonly onEnd?: (() => void) | undefined
  /** Runs when the answer completed (a retry of a failed call succeeded: its failure is withdrawn). */
  readonly onSuccess?: (() => void) | undefined
}

/** The stream the caller reads: `source`'s parts, recorded on `call`. */
export function recordStream(
  source: ReadableStream<StreamPart>,
  call: ModelCall,
  hooks: StreamHooks = {},
): ReadableStream<StreamPart> {
  const reader = source.getReader()
  const answer = new StreamAnswer()
  const parts: StreamPart[] | undefined = hooks.onComplete === undefined ? undefined : []
  let over = false
  const finish = (): void => {
    if (over) return
    over = true
    hooks.onEnd?.()
  }
  /** Ends the span with what arrived and stops the model stream. */
  const abandon = (reason: unknown): void => {
    if (!call.span.open) return
    call.succeed(answer.outcome(), true)
    finish()
    reader.cancel(reason).catch(() => undefined)
  }
  // The test ended with the stream still open, or the calling task returned without reading to the end.
  call.span.onCancel((error) => abandon(error))
  call.caller?.whenEnded(() => abandon('the calling task ended'))

  return new ReadableStream<StreamPart>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>
      try {
        next = await reader.read()
      } catch (error) {
        call.fail(error, answer.outcome(), true)
        finish()
        controller.error(error)
        return
      }
      if (next.done) {
        if (answer.error !== undefined) {
          call.fail(answer.error, answer.outcome(), true)
        } else if (answer.malformed !== undefined && !answer.hasContent) {
          call.fail(answer.malformed, answer.outcome(), true)
        } else {
          if (answer.malformed !== undefined)
            call.note(
              AI_ATTR.streamWarning,
              `a malformed chunk after the answer: ${describeThrown(answer.malformed)}`,
            )
          else if (parts !== undefined && answer.finished) await hooks.onComplete?.(parts)
          hooks.onSuccess?.()
          call.succeed(answer.outcome())
        }
        finish()
        controller.close()
        return
      }
      const part = next.value
      if (answer.add(part)) call.noteChunk()
      parts?.push(part)
      controller.enqueue(part)
    },
    async cancel(reason) {
      if (call.span.open) call.succeed(answer.outcome(), true)
      finish()
      await reader.cancel(reason)
    },
  })
}

/** A stream of cached parts. */
export function replay(parts: StreamPart[]): ReadableStream<StreamPart> {
  return new ReadableStream<StreamPart>({
    start(controller) {
      for (const part of parts) controller.enqueue(part)
      controller.close()
    },
  })
}
