/**
 * The gates as JUnit XML (`.strikes/gates.xml` by default), so any CI that reads JUnit shows them: one
 * test suite per run, one test case per gate and run, a failed gate as a `failure` with observed against
 * expected, a gate whose file did not run as `skipped`. Keys no run recorded are in a suite of their own.
 * Every text is escaped, and characters XML cannot hold are dropped.
 */
import type { GateResult } from '../gate/evaluate-gates.js'
import { writeFileAtomically } from '../report/write-file-atomically.js'
import { ciGates } from './gate-lines.js'

/** What the XML says about the session. */
export interface JunitSession {
  readonly sessionId: string
  /** Run id → the run's test file, relative to the Vitest root (the `file` attribute). */
  readonly files: ReadonlyMap<string, string>
}

const NO_RUN = '(no run)'

/** The JUnit XML of a session's gate results. */
export function gatesJunitXml(results: readonly GateResult[], session: JunitSession): string {
  const gates = ciGates(results)
  const suites = new Map<string, typeof gates>()
  for (const gate of gates) {
    const name = gate.result.runName ?? NO_RUN
    suites.set(name, [...(suites.get(name) ?? []), gate])
  }
  const count = (list: typeof gates, outcome: string) =>
    list.filter((gate) => gate.outcome === outcome).length
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="strikes gates" tests="${gates.length}" failures="${count(gates, 'failed')}" ` +
      `errors="0" skipped="${count(gates, 'skipped')}" time="0">`,
  ]
  for (const [name, list] of suites) {
    lines.push(
      `  <testsuite name="${attribute(`strikes gates: ${name}`)}" tests="${list.length}" ` +
        `failures="${count(list, 'failed')}" errors="0" skipped="${count(list, 'skipped')}" time="0">`,
      '    <properties>' +
        `<property name="strikes.session_id" value="${attribute(session.sessionId)}"/>` +
        '</properties>',
    )
    for (const gate of list) {
      const { result } = gate
      const file = result.runId === undefined ? undefined : session.files.get(result.runId)
      const fileAttribute = file === undefined ? '' : ` file="${attribute(file)}"`
      const head =
        `    <testcase classname="${attribute(`strikes.gates.${name}`)}" ` +
        `name="${attribute(`${result.key}: ${gate.gate}`)}"${fileAttribute} time="0"`
      const detail = `${result.verdict}: ${gate.figures}; ${result.message}`
      if (gate.outcome === 'failed') {
        lines.push(
          `${head}>`,
          `      <failure type="${attribute(result.verdict)}" ` +
            `message="${attribute(`${result.key} ${gate.gate}: ${gate.figures}`)}">${text(detail)}</failure>`,
          '    </testcase>',
        )
      } else if (gate.outcome === 'skipped') {
        lines.push(`${head}>`, `      <skipped message="${attribute(result.message)}"/>`, '    </testcase>')
      } else if (result.verdict !== 'pass') {
        lines.push(`${head}>`, `      <system-out>${text(detail)}</system-out>`, '    </testcase>')
      } else {
        lines.push(`${head}/>`)
      }
    }
    lines.push('  </testsuite>')
  }
  lines.push('</testsuites>', '')
  return lines.join('\n')
}

/** Writes the gates' JUnit XML through a temporary file and a rename; returns the path written. */
export function writeGatesJunit(path: string, results: readonly GateResult[], session: JunitSession): string {
  return writeFileAtomically(path, gatesJunitXml(results, session))
}

/** Characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

function text(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function attribute(value: string): string {
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
}
