/**
 * Attribute names strikes sets on exported spans (documented for OTLP consumers). The span's kind,
 * label, run, session and tags are columns in DuckDB; the others are kept in `spans.attributes` too.
 */
export const ATTR = {
  kind: 'strikes.kind',
  label: 'strikes.label',
  runId: 'strikes.run_id',
  sessionId: 'strikes.session_id',
  tags: 'strikes.tags',
  trial: 'strikes.trial',
  cancelled: 'strikes.cancelled',
} as const
