/**
 * Type-checks README code blocks with the TypeScript compiler API, as a user's NodeNext project would
 * compile them, and reports each error at its line in the document.
 */
import ts from 'typescript'
import type { BlockProject } from './block-project.js'

/** A type error, placed in the document. */
export interface BlockError {
  /** 1-based line in the document. */
  readonly line: number
  /** Line of the block's opening fence. */
  readonly fence: number
  readonly message: string
}

/** Compiler options of a user's project: ESM, NodeNext resolution, strict. */
export const USER_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  types: ['node'],
}

/** Type-checks every file of the project in one program; returns the errors in document order. */
export function typeCheckBlocks(project: BlockProject): BlockError[] {
  const program = ts.createProgram(
    project.files.map((file) => file.path),
    USER_COMPILER_OPTIONS,
  )
  const byPath = new Map(project.files.map((file) => [file.path, file]))
  const errors: BlockError[] = []
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`
    const file = diagnostic.file === undefined ? undefined : byPath.get(diagnostic.file.fileName)
    if (diagnostic.file === undefined || file === undefined || diagnostic.start === undefined) {
      // A global problem (options, a missing type package): not tied to a block, but still a failure.
      errors.push({ line: 0, fence: 0, message })
      continue
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
    errors.push({ ...file.documentLine(line), message })
  }
  return errors.sort((a, b) => a.line - b.line)
}
