/**
 * `TaskSpanList`: the spans of a batch (`mapRun`, `manyRun`, …), an array with ranking helpers.
 */
import type { TaskSpan } from './task-span.js'

/** How spans are ranked. */
export interface RankOptions {
  /** Metric to rank by (its average on each span); default: the average of all metrics. */
  by?: string
  /** `'desc'` (default): highest first; `'asc'`: lowest first. */
  order?: 'asc' | 'desc'
}

/** An array of task spans with ranking helpers. */
export class TaskSpanList<R = unknown> extends Array<TaskSpan<R>> {
  /** `map`, `filter`, `slice`, … return plain arrays, as their types say (a mapped list holds no spans). */
  static override get [Symbol.species](): ArrayConstructor {
    return Array
  }

  /** Makes a list from spans (keeping their order). */
  static fromSpans<R>(spans: Iterable<TaskSpan<R>>): TaskSpanList<R> {
    const list = new TaskSpanList<R>()
    for (const span of spans) list.push(span)
    return list
  }

  /**
   * A new list ranked by a metric's average (or the average of all metrics); spans without the metric
   * come last; ties keep their order in this list.
   */
  sorted(options: RankOptions = {}): TaskSpanList<R> {
    const direction = options.order === 'asc' ? 1 : -1
    const keyed = Array.from(this, (span, index) => ({ span, index, key: span.averageMetric(options.by) }))
    keyed.sort((a, b) => {
      if (a.key === undefined || b.key === undefined) {
        if (a.key === b.key) return a.index - b.index
        return a.key === undefined ? 1 : -1
      }
      if (a.key !== b.key) return (a.key - b.key) * direction
      return a.index - b.index
    })
    return TaskSpanList.fromSpans(keyed.map((entry) => entry.span))
  }

  /** The best `n` spans by `sorted(options)`. */
  topN(n: number, options: RankOptions = {}): TaskSpanList<R> {
    if (!Number.isInteger(n) || n < 0)
      throw new TypeError(`strikes: topN needs a count >= 0, got ${String(n)}`)
    return TaskSpanList.fromSpans(this.sorted(options).slice(0, n))
  }

  /** Outputs of the spans that succeeded, in list order. */
  outputs(): R[] {
    const outputs: R[] = []
    for (const span of this) if (!span.failed) outputs.push(span.output as R)
    return outputs
  }

  /** Spans that failed. */
  failed(): TaskSpanList<R> {
    return TaskSpanList.fromSpans(this.filter((span) => span.failed))
  }

  /** Spans that succeeded. */
  succeeded(): TaskSpanList<R> {
    return TaskSpanList.fromSpans(this.filter((span) => !span.failed))
  }
}
