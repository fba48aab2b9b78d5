/**
 * Checks the code of a Markdown document: every ts block type-checks against the built package, and
 * blocks marked `run` run. Problems are listed as `<document>:<line>: …` so the README can be fixed
 * where it is wrong.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { writeBlockProject } from './block-project.js'
import { type BlockChain, chainBlocks, extractCodeBlocks } from './code-blocks.js'
import { runBlocks } from './run-blocks.js'
import { typeCheckBlocks } from './type-check-blocks.js'

/** The checked programs of a document. */
export interface DocumentBlocks {
  readonly source: string
  readonly chains: BlockChain[]
  /** Number of ts blocks, checked or not. */
  readonly blockCount: number
}

/** Reads a document's ts blocks and groups them into programs. */
export function readDocumentBlocks(path: string): DocumentBlocks {
  const source = basename(path)
  const blocks = extractCodeBlocks(readFileSync(path, 'utf8'), source)
  return { source, chains: chainBlocks(blocks, source), blockCount: blocks.length }
}

/** Type errors of the document's blocks, one line each (`README.md:42: TS2345: …`); empty when all compile. */
export function typeErrorsOf(document: DocumentBlocks): string[] {
  if (document.chains.length === 0) return []
  const project = writeBlockProject(document.chains, 'readme-types')
  return typeCheckBlocks(project).map((error) =>
    error.line === 0
      ? `${document.source}: ${error.message}`
      : `${document.source}:${error.line} (block at line ${error.fence}): ${error.message}`,
  )
}

/** Failures of the document's `run` blocks (`README.md:42: …`); empty when all ran cleanly. */
export async function runFailuresOf(document: DocumentBlocks): Promise<string[]> {
  const failures = await runBlocks(document.chains)
  return failures.map((failure) => {
    const at = failure.line === undefined ? '' : `, failing at line ${failure.line}`
    return `${document.source}:${failure.fence} (ts run block${at}): ${failure.message}`
  })
}
