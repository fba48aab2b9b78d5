/**
 * The spans under a span: from the shape of its whole trace when that is small enough (one read, which also
 * gives the spans the root ran in), else a level at a time (each level one query over the run's spans, the
 * first children of each parent by start time); bounded in depth, children per parent and nodes in all — a
 * test that ran a million tasks shows its first ones and the count of the rest. Each node carries its
 * metric points, a preview of its values, and the GenAI facts of a model call (model, tokens, cost, cache).
 */
import type { TaskValuesView } from '../../report/report-model.js'
import type { UiDatabase } from './database-lease.js'
import { type ModelCallFacts, modelFacts } from './model-call-facts.js'
import { rowsByNumber, sqlString, sqlStringList } from './rows-by-number.js'
import { loadSpanValues, spanKey } from './span-values.js'

/** Bounds of a tree. */
export const TREE_LIMITS = {
  maxDepth: 12,
  maxChildren: 100,
  maxNodes: 400,
  valueChars: 2_000,
  valuesPerSpan: 20,
} as const

/** A span in the tree. */
export interface TreeNode {
  readonly runId: string
  readonly spanId: string
  readonly kind: string
  readonly name: string
  readonly label: string
  readonly status: string | null
  readonly error: string | null
  readonly startedAt: Date | null
  readonly durationMs: number | null
  readonly model: ModelCallFacts | undefined
  readonly children: TreeNode[]
  /** Children not shown (bounds). */
  hiddenChildren: number
  metrics: readonly { readonly name: string; readonly value: number | null }[]
  values: TaskValuesView | undefined
}

interface NodeRow {
  span_id: string
  parent_id: string | null
  kind: string | null
  name: string | null
  label: string | null
  status: string | null
  error: string | null
  started_at: Date | null
  duration_ms: number | null
  attributes: string | null
  siblings: bigint | number
}

/** What the tree read besides its nodes. */
export interface SpanTree {
  readonly nodes: number
  readonly truncated: boolean
  /** The spans the root ran in, outermost first, when the trace gave them (else `undefined`). */
  readonly ancestors: readonly { spanId: string; kind: string; name: string }[] | undefined
  /** Every metric point of the root, scores first. */
  readonly rootPoints: readonly MetricPointRow[]
}

/** A metric point as read for the tree. */
export interface MetricPointRow {
  readonly span_id: string
  readonly name: string
  readonly value: number | null
  readonly step: number | null
  readonly source: string | null
  readonly attributes: string | null
}

/** Spans of one trace read at once at most; a bigger trace (a test of many tasks) is read a level at a time. */
const MAX_TRACE_SPANS = 20_000

const NODE_COLUMNS = `span_id, parent_id, kind, name, label, status, left(error, 300) AS error, started_at, duration_ms,
  left(attributes::VARCHAR, 4000) AS attributes`

/**
 * Builds the tree under `root` (already read) in run `runId`: from its whole trace in one read when the trace
 * is small enough (which also gives the spans the root ran in), else a level at a time. The root's own
 * values are read with `rootChars` characters each, the other nodes' with {@link TREE_LIMITS}.valueChars.
 */
export async function loadSpanTree(
  db: UiDatabase,
  runId: string,
  root: TreeNode,
  rootChars: number,
  traceId: string | null,
): Promise<SpanTree> {
  // The trace's shape first (ids, parents, names: small), then the full rows of the spans shown only.
  const trace =
    traceId === null
      ? []
      : await db.database.query<TraceRow>(
          `SELECT rowid AS row, span_id, parent_id, kind, name FROM spans WHERE run_id = ? AND trace_id = ?
           ORDER BY started_at, span_id LIMIT ${MAX_TRACE_SPANS + 1}`,
          [runId, traceId],
        )
  const whole =
    trace.length > 0 && trace.length <= MAX_TRACE_SPANS && trace.some((row) => row.span_id === root.spanId)
  const built = whole ? await fromTrace(db, runId, root, trace) : await byLevels(db, runId, root)
  const points = await attachDetails(db, runId, built.all, (spanId) =>
    spanId === root.spanId ? rootChars : TREE_LIMITS.valueChars,
  )
  return {
    nodes: built.all.length,
    truncated: built.truncated,
    ancestors: whole ? ancestorsIn(trace, root.spanId) : undefined,
    rootPoints: points.filter((point) => point.span_id === root.spanId),
  }
}

/** A span of a trace, as its shape is read. */
interface TraceRow {
  row: bigint | number
  span_id: string
  parent_id: string | null
  kind: string | null
  name: string | null
}

/** The tree from the shape of its whole trace, with the full rows of the spans shown read by row number. */
async function fromTrace(
  db: UiDatabase,
  runId: string,
  root: TreeNode,
  trace: readonly TraceRow[],
): Promise<{ all: TreeNode[]; truncated: boolean }> {
  const children = new Map<string, TraceRow[]>()
  for (const row of trace) {
    if (row.parent_id === null) continue
    const list = children.get(row.parent_id) ?? []
    list.push(row)
    children.set(row.parent_id, list)
  }
  // Which spans are shown, under which parent, with how many left out.
  const shown: { row: TraceRow; parent: string }[] = []
  const hidden = new Map<string, number>()
  let truncated = false
  let level = [root.spanId]
  for (let depth = 0; depth < TREE_LIMITS.maxDepth && level.length > 0; depth++) {
    const next: string[] = []
    for (const parent of level) {
      const rows = children.get(parent) ?? []
      let kept = 0
      for (const row of rows.slice(0, TREE_LIMITS.maxChildren)) {
        if (shown.length + 1 >= TREE_LIMITS.maxNodes) {
          truncated = true
          break
        }
        shown.push({ row, parent })
        next.push(row.span_id)
        kept += 1
      }
      hidden.set(parent, rows.length - kept)
    }
    level = next
  }
  const full = await rowsByNumber<NodeRow & { row: bigint | number }>(
    db,
    'spans',
    `rowid AS row, ${NODE_COLUMNS}, 0 AS siblings`,
    shown.map((entry) => entry.row.row),
    shown.length === 0
      ? 'false'
      : `run_id = ${sqlString(runId)} AND span_id IN (${sqlStringList(shown.map((entry) => entry.row.span_id))})`,
  )
  const byRow = new Map(full.map((row) => [BigInt(row.row), row]))
  const nodes = new Map<string, TreeNode>([[root.spanId, root]])
  root.hiddenChildren = hidden.get(root.spanId) ?? 0
  for (const { row, parent } of shown) {
    const data = byRow.get(BigInt(row.row))
    const owner = nodes.get(parent)
    if (data === undefined || owner === undefined) continue
    const node = nodeFromRow(runId, data)
    node.hiddenChildren = hidden.get(node.spanId) ?? 0
    owner.children.push(node)
    nodes.set(node.spanId, node)
  }
  return { all: [...nodes.values()], truncated: truncated || level.length > 0 }
}

/** The chain of parents of `spanId` within its trace, outermost first. */
function ancestorsIn(
  trace: readonly TraceRow[],
  spanId: string,
): { spanId: string; kind: string; name: string }[] {
  const byId = new Map(trace.map((row) => [row.span_id, row]))
  const chain: { spanId: string; kind: string; name: string }[] = []
  let parent = byId.get(spanId)?.parent_id ?? null
  while (parent !== null && chain.length < 32) {
    const row = byId.get(parent)
    if (row === undefined || chain.some((entry) => entry.spanId === parent)) break
    chain.unshift({ spanId: row.span_id, kind: row.kind ?? 'span', name: row.name ?? '' })
    parent = row.parent_id
  }
  return chain
}

/** The tree read a level at a time, each level one query over the run's spans. */
async function byLevels(
  db: UiDatabase,
  runId: string,
  root: TreeNode,
): Promise<{ all: TreeNode[]; truncated: boolean }> {
  const byId = new Map<string, TreeNode>([[root.spanId, root]])
  let level = [root]
  let truncated = false
  for (let depth = 0; depth < TREE_LIMITS.maxDepth && level.length > 0; depth++) {
    if (byId.size >= TREE_LIMITS.maxNodes) {
      truncated = true
      break
    }
    const rows = await db.database.query<NodeRow>(
      `SELECT ${NODE_COLUMNS}, count(*) OVER (PARTITION BY parent_id) AS siblings
       FROM spans WHERE run_id = ? AND parent_id IN (${sqlStringList(level.map((node) => node.spanId))})
       QUALIFY row_number() OVER (PARTITION BY parent_id ORDER BY started_at, span_id) <= ${TREE_LIMITS.maxChildren}
       ORDER BY parent_id, started_at, span_id`,
      [runId],
    )
    const next: TreeNode[] = []
    for (const row of rows) {
      const parent = row.parent_id === null ? undefined : byId.get(row.parent_id)
      if (parent === undefined || byId.has(row.span_id)) continue
      if (parent.children.length === 0) parent.hiddenChildren = Number(row.siblings)
      if (byId.size >= TREE_LIMITS.maxNodes) {
        truncated = true
        continue
      }
      const node = nodeFromRow(runId, row)
      parent.children.push(node)
      parent.hiddenChildren -= 1
      byId.set(node.spanId, node)
      next.push(node)
    }
    level = next
  }
  return { all: [...byId.values()], truncated }
}

/** A tree node of a span row (the root's is built by the caller from the span itself). */
export function treeNode(
  runId: string,
  fields: Omit<TreeNode, 'runId' | 'model' | 'children' | 'hiddenChildren' | 'metrics' | 'values'>,
  attributes: string | null,
): TreeNode {
  return {
    runId,
    ...fields,
    model: modelFacts(attributes),
    children: [],
    hiddenChildren: 0,
    metrics: [],
    values: undefined,
  }
}

function nodeFromRow(runId: string, row: NodeRow): TreeNode {
  return treeNode(
    runId,
    {
      spanId: row.span_id,
      kind: row.kind ?? 'span',
      name: row.name ?? '',
      label: row.label ?? '',
      status: row.status,
      error: row.error,
      startedAt: row.started_at,
      durationMs: row.duration_ms,
    },
    row.attributes,
  )
}

/** Reads the nodes' metric points and values into them; returns every point read (scores first). */
async function attachDetails(
  db: UiDatabase,
  runId: string,
  nodes: readonly TreeNode[],
  charsOf: (spanId: string) => number,
): Promise<MetricPointRow[]> {
  const ids = nodes.map((node) => node.spanId)
  const points = await db.database.query<MetricPointRow>(
    `SELECT span_id, name, value, step, source,
       CASE WHEN attributes IS NULL OR attributes::VARCHAR IN ('{}', 'null') THEN NULL
            ELSE left(attributes::VARCHAR, 2000) END AS attributes
     FROM metrics WHERE run_id = ? AND span_id IN (${sqlStringList(ids)})
     ORDER BY span_id, CASE WHEN source = 'scorer' THEN 0 ELSE 1 END, seq, name
     LIMIT 20000`,
    [runId],
  )
  const values = await loadSpanValues(
    db,
    nodes.map((node) => ({ runId, spanId: node.spanId })),
    { chars: (ref) => charsOf(ref.spanId), perSpan: TREE_LIMITS.valuesPerSpan },
  )
  const means = new Map<string, Map<string, { sum: number; n: number }>>()
  for (const point of points) {
    if (point.value === null) continue
    const byName = means.get(point.span_id) ?? new Map<string, { sum: number; n: number }>()
    const entry = byName.get(point.name) ?? { sum: 0, n: 0 }
    byName.set(point.name, { sum: entry.sum + point.value, n: entry.n + 1 })
    means.set(point.span_id, byName)
  }
  for (const node of nodes) {
    node.metrics = [...(means.get(node.spanId) ?? new Map<string, { sum: number; n: number }>())].map(
      ([name, entry]) => ({
        name,
        value: entry.sum / entry.n,
      }),
    )
    node.values = values.get(spanKey({ runId, spanId: node.spanId }))
  }
  return points
}
