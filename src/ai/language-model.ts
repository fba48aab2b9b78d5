/**
 * The AI SDK (`ai` v6) language-model types strikes works with, derived from the `ai` package's own
 * middleware types so that nothing beyond `ai` itself needs to be installed.
 */
import type { LanguageModelMiddleware, wrapLanguageModel } from 'ai'

/** A language model object of the AI SDK v6 (specification `v3`), e.g. `openai('gpt-4o-mini')`. */
export type LanguageModelV3 = Parameters<typeof wrapLanguageModel>[0]['model']

type WrapGenerate = NonNullable<LanguageModelMiddleware['wrapGenerate']>
type WrapStream = NonNullable<LanguageModelMiddleware['wrapStream']>

/** The options of one model call (prompt and settings), as the model receives them. */
export type CallOptions = Parameters<WrapGenerate>[0]['params']

/** What a non-streaming model call returns. */
export type GenerateResult = Awaited<ReturnType<WrapGenerate>>

/** What a streaming model call returns. */
export type StreamResult = Awaited<ReturnType<WrapStream>>

/** One part of a streaming model call. */
export type StreamPart = StreamResult['stream'] extends ReadableStream<infer P> ? P : never

/** Token usage as the model reports it. */
export type Usage = GenerateResult['usage']

/** Why the model stopped. */
export type FinishReason = GenerateResult['finishReason']
