/** Ingest of a `withRun` session (placeholder until the store lands). */
export interface StandaloneSession {
  db: string
  spoolRoot: string
  sessionId: string
  startedAt: Date
  status: 'passed' | 'failed'
}

export async function ingestStandaloneSession(_session: StandaloneSession): Promise<void> {}
