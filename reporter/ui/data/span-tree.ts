/**
 * The spans under a span, read a level at a time (each level one query over the run's spans, the first
 * children of each parent by start time), bounded in depth, children per parent and nodes in all — a test
 * that ran a million tasks shows its first ones and the count of the rest. Each node carries its metric
 * points, a preview of its values, and the GenAI facts of a model call (model, tokens, cost, cache).
 */
import type { TaskValuesView } from '../../report/report-model.js'
import type { UiDatabase } from './database-lease.js'
import { sqlStringList } from './rows-by-number.js'
import { loadSpanValues, spanKey } from './span-values.js'

/** Bounds of a tree. */
export const TREE_LIMITS = {
  maxDepth: 12,
  maxChildren: 100,
  maxNodes: 400,
  valueChars: 2_000,
  valuesPerSpan: 20,
} as const

/** A model call's facts, read from its GenAI attributes. */
export interface ModelCallFacts {
  readonly model: string | undefined
  readonly provider: string | undefined
  readonly inputTokens: number | undefined
  readonly outputTokens: number | undefined
  readonly costUsd: number | undefined
  readonly latencyMs: number | undefined
  readonly cacheHit: boolean | undefined
  readonly finishReasons: string | undefined
}

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

/**
 * Builds the tree under `root` (already read) in run `runId`; the root's own values are read with `rootChars`
 * characters each, the other nodes' with {@link TREE_LIMITS}.valueChars.
 */
export async function loadSpanTree(
  db: UiDatabase,
  runId: string,
  root: TreeNode,
  rootChars: number,
): Promise<{ nodes: number; truncated: boolean }> {
  const byId = new Map<string, TreeNode>([[root.spanId, root]])
  let level = [root]
  let nodes = 1
  let truncated = false
  for (let depth = 0; depth < TREE_LIMITS.maxDepth && level.length > 0; depth++) {
    const room = TREE_LIMITS.maxNodes - nodes
    if (room <= 0) {
      truncated = true
      break
    }
    const rows = await db.database.query<NodeRow>(
      `SELECT span_id, parent_id, kind, name, label, status, left(error, 300) AS error, started_at, duration_ms,
         left(attributes::VARCHAR, 4000) AS attributes, count(*) OVER (PARTITION BY parent_id) AS siblings
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
      if (nodes >= TREE_LIMITS.maxNodes) {
        truncated = true
        continue
      }
      const node = nodeFromRow(runId, row)
      parent.children.push(node)
      parent.hiddenChildren -= 1
      byId.set(node.spanId, node)
      next.push(node)
      nodes += 1
    }
    level = next
  }
  await attachDetails(db, runId, [...byId.values()], (spanId) =>
    spanId === root.spanId ? rootChars : TREE_LIMITS.valueChars,
  )
  return { nodes, truncated }
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

async function attachDetails(
  db: UiDatabase,
  runId: string,
  nodes: readonly TreeNode[],
  charsOf: (spanId: string) => number,
): Promise<void> {
  const ids = nodes.map((node) => node.spanId)
  const metrics = await db.database.query<{ span_id: string; name: string; value: number | null }>(
    `SELECT span_id, name, avg(value) AS value FROM metrics
     WHERE run_id = ? AND span_id IN (${sqlStringList(ids)})
     GROUP BY span_id, name ORDER BY span_id, min(seq), name`,
    [runId],
  )
  const values = await loadSpanValues(
    db,
    nodes.map((node) => ({ runId, spanId: node.spanId })),
    { chars: (ref) => charsOf(ref.spanId), perSpan: TREE_LIMITS.valuesPerSpan },
  )
  const byId = new Map(nodes.map((node) => [node.spanId, node]))
  const grouped = new Map<string, { name: string; value: number | null }[]>()
  for (const row of metrics) {
    const list = grouped.get(row.span_id) ?? []
    list.push({ name: row.name, value: row.value })
    grouped.set(row.span_id, list)
  }
  for (const [id, node] of byId) {
    node.metrics = grouped.get(id) ?? []
    node.values = values.get(spanKey({ runId, spanId: id }))
  }
}

/** The GenAI facts of a span's attributes, if it is a model call. */
export function modelFacts(attributes: string | null): ModelCallFacts | undefined {
  if (attributes === null || !attributes.includes('gen_ai.')) return undefined
  let parsed: Record<string, unknown>
  try {
    const value: unknown = JSON.parse(attributes)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    parsed = value as Record<string, unknown>
  } catch {
    return undefined
  }
  const text = (key: string) => (typeof parsed[key] === 'string' ? (parsed[key] as string) : undefined)
  const number = (key: string) =>
    typeof parsed[key] === 'number' && Number.isFinite(parsed[key]) ? (parsed[key] as number) : undefined
  const reasons = parsed['gen_ai.response.finish_reasons']
  return {
    model: text('gen_ai.response.model') ?? text('gen_ai.request.model'),
    provider: text('gen_ai.provider.name') ?? text('gen_ai.system'),
    inputTokens: number('gen_ai.usage.input_tokens'),
    outputTokens: number('gen_ai.usage.output_tokens'),
    costUsd: number('strikes.ai.cost_usd'),
    latencyMs: number('strikes.ai.latency_ms'),
    cacheHit:
      typeof parsed['strikes.cache.hit'] === 'boolean' ? (parsed['strikes.cache.hit'] as boolean) : undefined,
    finishReasons: Array.isArray(reasons) ? reasons.map(String).join(', ') : undefined,
  }
}
