/**
 * Runs README blocks marked `run`: a block that imports from `vitest` runs as an `.eval.ts` file under the
 * real Vitest binary with the strikes plugin and reporter; any other block is transpiled and run with
 * `node`. Failures are reported at the block's line in the document.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import ts from 'typescript'
import { runNode, VITEST_BIN } from '../helpers/fixture-project.js'
import { type BlockProject, writeBlockProject } from './block-project.js'
import type { BlockChain } from './code-blocks.js'

/** A `run` block that failed. */
export interface BlockFailure {
  /** Line of the block's opening fence. */
  readonly fence: number
  /** The document line the error points at (its first stack frame in the block), when known. */
  readonly line?: number
  readonly message: string
}

/** True when the block is a Vitest test file (it imports from `vitest`). */
export function isVitestBlock(chain: BlockChain): boolean {
  return chain.blocks.some((block) => /from\s+['"]vitest['"]/.test(block.code))
}

/** Runs the chains marked `run`; returns the failures (none when all ran cleanly). */
export async function runBlocks(chains: readonly BlockChain[], timeoutMs = 60_000): Promise<BlockFailure[]> {
  const runnable = chains.filter((chain) => chain.run)
  const underVitest = runnable.filter(isVitestBlock)
  const withNode = runnable.filter((chain) => !isVitestBlock(chain))
  const failures = (
    await Promise.all([
      runWithVitest(underVitest, timeoutMs),
      ...withNode.map((chain) => runWithNode(chain, timeoutMs)),
    ])
  ).flat()
  return failures.sort((a, b) => a.fence - b.fence)
}

async function runWithNode(chain: BlockChain, timeoutMs: number): Promise<BlockFailure[]> {
  const project = writeBlockProject([chain], 'readme-node', 'ts')
  const file = project.files[0] as BlockProject['files'][number]
  const script = file.path.replace(/\.ts$/, '.mjs')
  const output = ts.transpileModule(readFileSync(file.path, 'utf8'), {
    // The inline source map makes stack traces point at the block's own lines.
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true },
    fileName: file.path,
  })
  writeFileSync(script, output.outputText)
  const result = await runNode(['--enable-source-maps', script], project.dir, { timeoutMs })
  if (result.code === 0) return []
  const message = `node exited ${result.code ?? result.signal}\n${tail(result.stderr || result.stdout)}`
  return [{ fence: file.chain.blocks[0]?.line ?? 0, line: pointedLine(file, message), message }]
}

/** The document line of the first stack frame in the block's program, if the message has one. */
function pointedLine(file: BlockProject['files'][number], message: string): number | undefined {
  const name = basename(file.path)
  for (const match of message.matchAll(/([\w.-]+\.ts):(\d+)/g)) {
    if (match[1] === name) return file.documentLine(Number(match[2]) - 1).line
  }
  return undefined
}

interface JsonReport {
  testResults?: {
    name: string
    status: string
    message?: string
    assertionResults?: { status: string; fullName: string; failureMessages?: string[] }[]
  }[]
}

async function runWithVitest(chains: readonly BlockChain[], timeoutMs: number): Promise<BlockFailure[]> {
  if (chains.length === 0) return []
  const project = writeBlockProject(chains, 'readme-vitest', 'eval.ts')
  writeFileSync(
    join(project.dir, 'vitest.config.ts'),
    "import { strikes } from 'strikes/plugin'\nimport { defineConfig } from 'vitest/config'\n\nexport default defineConfig({ plugins: [strikes({ project: 'readme' })] })\n",
  )
  const reportPath = join(project.dir, 'report.json')
  const result = await runNode(
    [
      VITEST_BIN,
      'run',
      '--root',
      project.dir,
      '--reporter=strikes',
      '--reporter=json',
      `--outputFile.json=${reportPath}`,
    ],
    project.dir,
    { timeoutMs },
  )
  let report: JsonReport
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport
  } catch {
    return [
      {
        fence: chains[0]?.blocks[0]?.line ?? 0,
        message: `vitest exited ${result.code} without a report\n${tail(result.stderr || result.stdout)}`,
      },
    ]
  }
  const failures: BlockFailure[] = []
  for (const file of project.files) {
    const fence = file.chain.blocks[0]?.line ?? 0
    const entry = report.testResults?.find((item) => basename(item.name) === basename(file.path))
    if (entry === undefined) {
      failures.push({ fence, message: 'vitest did not run this block' })
      continue
    }
    const failed = (entry.assertionResults ?? []).filter((test) => test.status === 'failed')
    if (entry.status !== 'passed' || failed.length > 0) {
      const details = failed.map(
        (test) => `${test.fullName}: ${tail((test.failureMessages ?? []).join('\n'))}`,
      )
      const message = [entry.message, ...details].filter(Boolean).join('\n') || `status ${entry.status}`
      failures.push({ fence, line: pointedLine(file, message), message })
    }
  }
  if (failures.length === 0 && result.code !== 0) {
    failures.push({
      fence: chains[0]?.blocks[0]?.line ?? 0,
      message: `vitest exited ${result.code}\n${tail(result.stderr || result.stdout)}`,
    })
  }
  return failures
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n')
}
