/**
 * GitHub Actions annotations of the failed gates: one `::error` workflow command per failed gate and
 * run, attached to the run's eval file, so a red job has something to click. Printed only when
 * `GITHUB_ACTIONS=true`. Values are escaped as the workflow-command syntax requires, so stored text can
 * never forge a command of its own.
 */
import type { GateResult } from '../gate/evaluate-gates.js'
import { ciGates } from './gate-lines.js'

/** True when running as a GitHub Actions step. */
export function inGitHubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true'
}

/** The `::error` lines of the failed gates; `files` maps a run id to its file, relative to the repository. */
export function gateAnnotations(
  results: readonly GateResult[],
  files: ReadonlyMap<string, string>,
): string[] {
  return ciGates(results)
    .filter((gate) => gate.outcome === 'failed')
    .map(({ result, gate, figures }) => {
      const file = result.runId === undefined ? undefined : files.get(result.runId)
      const properties = [
        ...(file === undefined ? [] : [`file=${property(file)}`]),
        `title=${property(`strikes gate failed: ${result.key} ${gate}`)}`,
      ]
      const where = result.runName === undefined ? '' : ` in ${result.runName}`
      const message = `${result.key} ${gate}${where}: ${figures} — ${result.message}`
      return `::error ${properties.join(',')}::${data(message)}`
    })
}

/** Escapes a command's message (`%`, CR and LF). */
function data(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Escapes a command's property value (also `:` and `,`). */
function property(value: string): string {
  return data(value).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
