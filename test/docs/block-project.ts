/**
 * A scratch project for README code blocks: a folder under `test/.tmp/` with a `package.json` (ESM) and
 * `node_modules/strikes` linked to this repository, so blocks import `strikes`, `strikes/scorers`,
 * `strikes/plugin` and `strikes/ai` as a user's project would (from the built `dist/`); other packages
 * (`vitest`, `ai`, `zod`) resolve from the repository's own `node_modules` above it.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from '../helpers/fixture-project.js'
import type { BlockChain } from './code-blocks.js'

/** Where one chain's program lives and how its lines map back to the document. */
export interface ChainFile {
  readonly chain: BlockChain
  /** Absolute path of the program. */
  readonly path: string
  /** Maps a 0-based line of the program to `{ line in the document, block's fence line }`. */
  documentLine(programLine: number): { line: number; fence: number }
}

/** A scratch project holding one file per chain. */
export interface BlockProject {
  readonly dir: string
  readonly files: ChainFile[]
}

/** Creates a scratch project and writes each chain as `block-<fence line>.<extension>`. */
export function writeBlockProject(
  chains: readonly BlockChain[],
  name: string,
  extension = 'ts',
): BlockProject {
  const root = join(REPO_ROOT, 'test/.tmp')
  mkdirSync(root, { recursive: true })
  const dir = mkdtempSync(join(root, `${name}-`))
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'readme-blocks', private: true, type: 'module' }),
  )
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(REPO_ROOT, join(dir, 'node_modules/strikes'), 'dir')
  const files = chains.map((chain) => writeChain(dir, chain, extension))
  return { dir, files }
}

function writeChain(dir: string, chain: BlockChain, extension: string): ChainFile {
  const head = chain.blocks[0]
  if (head === undefined) throw new Error('an empty block chain')
  const lines: string[] = []
  const origins: { line: number; fence: number }[] = []
  for (const block of chain.blocks) {
    block.code.split('\n').forEach((text, index) => {
      lines.push(text)
      origins.push({ line: block.line + 1 + index, fence: block.line })
    })
  }
  // Every program is a module, so blocks do not share a global scope.
  lines.push('export {}')
  const path = join(dir, `block-${head.line}.${extension}`)
  writeFileSync(path, `${lines.join('\n')}\n`)
  return {
    chain,
    path,
    documentLine: (programLine) =>
      origins[programLine] ?? origins.at(-1) ?? { line: head.line, fence: head.line },
  }
}
