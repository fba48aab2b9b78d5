/**
 * The import graph of the sources (`src/`, `reporter/`), read with the TypeScript compiler's parser:
 * every static import and re-export (type-only ones marked) and every `import()` of a literal, resolved
 * to files for relative specifiers and kept as package names otherwise.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { REPO_ROOT } from '../helpers/fixture-project.js'

/** One import of a file. */
export interface ImportEdge {
  /** A repository-relative path (`src/task.ts`) for relative imports, else the specifier (`zod`). */
  readonly target: string
  readonly relative: boolean
  /** `import type` / `export type`: erased when compiled. */
  readonly typeOnly: boolean
  /** `import()`: loaded when the code runs, not when the module loads. */
  readonly dynamic: boolean
}

/** Every `.ts` file under the given repository folders, repository-relative. */
export function sourceFiles(...folders: string[]): string[] {
  const found: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path)
    }
  }
  for (const folder of folders) walk(folder)
  return found.sort()
}

/** The imports of one source file. */
export function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const edges: ImportEdge[] = []
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean): void => {
    const isRelative = specifier.startsWith('.')
    const target = isRelative
      ? relative(REPO_ROOT, resolve(REPO_ROOT, dirname(file), specifier)).replace(/\.js$/, '.ts')
      : specifier
    edges.push({ target, relative: isRelative, typeOnly, dynamic })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const typeOnly =
        clause?.isTypeOnly === true ||
        (clause !== undefined &&
          clause.name === undefined &&
          clause.namedBindings !== undefined &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 &&
          clause.namedBindings.elements.every((element) => element.isTypeOnly))
      add(node.moduleSpecifier.text, typeOnly, false)
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const typeOnly =
        node.isTypeOnly ||
        (node.exportClause !== undefined &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((element) => element.isTypeOnly))
      add(node.moduleSpecifier.text, typeOnly, false)
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, false, true)
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true, false)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return edges
}

/** The graph of every source file's imports. */
export function importGraph(files: readonly string[]): Map<string, ImportEdge[]> {
  return new Map(files.map((file) => [file, importsOf(file)]))
}

/**
 * Files and packages loaded when `entry` loads (static, value imports only; `import()` not followed
 * unless `followDynamic`).
 */
export function loadedBy(
  graph: ReadonlyMap<string, readonly ImportEdge[]>,
  entry: string,
  followDynamic = false,
): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const pending = [entry]
  while (pending.length > 0) {
    const file = pending.pop() as string
    if (files.has(file)) continue
    files.add(file)
    for (const edge of graph.get(file) ?? []) {
      if (edge.typeOnly || (edge.dynamic && !followDynamic)) continue
      if (edge.relative) pending.push(edge.target)
      else packages.add(edge.target)
    }
  }
  return { files, packages }
}

/** Import circles (strongly connected components of more than one file, or a file importing itself). */
export function importCircles(graph: ReadonlyMap<string, readonly ImportEdge[]>): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const lowLinks = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const circles: string[][] = []
  const connect = (file: string): void => {
    indices.set(file, index)
    lowLinks.set(file, index)
    index++
    stack.push(file)
    onStack.add(file)
    for (const edge of graph.get(file) ?? []) {
      if (!edge.relative || !graph.has(edge.target)) continue
      if (!indices.has(edge.target)) {
        connect(edge.target)
        lowLinks.set(file, Math.min(lowLinks.get(file) as number, lowLinks.get(edge.target) as number))
      } else if (onStack.has(edge.target)) {
        lowLinks.set(file, Math.min(lowLinks.get(file) as number, indices.get(edge.target) as number))
      }
    }
    if (lowLinks.get(file) === indices.get(file)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop() as string
        onStack.delete(member)
        component.push(member)
      } while (member !== file)
      const selfImport = (graph.get(file) ?? []).some((edge) => edge.target === file)
      if (component.length > 1 || selfImport) circles.push(component.sort())
    }
  }
  for (const file of graph.keys()) if (!indices.has(file)) connect(file)
  return circles
}
