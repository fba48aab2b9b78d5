/** Vercel AI SDK integration (filled by the AI SDK work). */
export {}
