/**
 * The README code checker itself, on a sample document written to `test/.tmp/`: blocks are found with
 * their lines and flags, type errors and failing `run` blocks are reported at their README line, and
 * `no-check` blocks are skipped.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { REPO_ROOT } from '../helpers/fixture-project.js'
import { chainBlocks, extractCodeBlocks } from './code-blocks.js'
import { readDocumentBlocks, runFailuresOf, typeErrorsOf } from './readme-check.js'

/** Writes a sample README and returns its path. */
function sampleReadme(markdown: string): string {
  const root = join(REPO_ROOT, 'test/.tmp')
  mkdirSync(root, { recursive: true })
  const path = join(mkdtempSync(join(root, 'sample-readme-')), 'README.md')
  writeFileSync(path, markdown)
  return path
}

const fence = '```'

describe('extractCodeBlocks', () => {
  test('finds ts and typescript blocks with their fence line and flags, and ignores other languages', () => {
    const blocks = extractCodeBlocks(
      [
        '# Title', //                                      1
        `${fence}sh`, //                                   2
        'npm i strikes', //                                3
        fence, //                                          4
        `${fence}ts`, //                                   5
        'const a = 1', //                                  6
        fence, //                                          7
        '- a list item:', //                               8
        `  ${fence}typescript run`, //                     9
        '  const b = 2', //                               10
        `  ${fence}`, //                                  11
        `${fence}ts no-check`, //                         12
        'this is not code', //                            13
        fence, //                                         14
        `${fence}ts continue`, //                         15
        'const c = a', //                                 16
        fence, //                                         17
      ].join('\n'),
    )
    expect(blocks.map((block) => ({ line: block.line, flags: [...block.flags], code: block.code }))).toEqual([
      { line: 5, flags: [], code: 'const a = 1' },
      { line: 9, flags: ['run'], code: 'const b = 2' },
      { line: 12, flags: ['no-check'], code: 'this is not code' },
      { line: 15, flags: ['continue'], code: 'const c = a' },
    ])
    const chains = chainBlocks(blocks)
    expect(chains.map((chain) => chain.blocks.map((block) => block.line))).toEqual([[5], [9, 15]])
    expect(chains.map((chain) => chain.run)).toEqual([false, true])
  })

  test('an unknown flag or an unclosed fence is an error naming the line', () => {
    expect(() => extractCodeBlocks(`text\n${fence}ts nocheck\nx\n${fence}`, 'README.md')).toThrow(
      'README.md:2: unknown flag "nocheck" on a ts code block; known flags: no-check, run, continue',
    )
    expect(() => extractCodeBlocks(`${fence}ts\nconst a = 1\n`, 'README.md')).toThrow(
      'README.md:1: the code fence opened here is never closed',
    )
  })
})

describe('checking a sample README', () => {
  const path = sampleReadme(
    [
      '# Sample', //                                                                            1
      '', //                                                                                    2
      `${fence}ts`, //                                                                          3
      "import { evalTask } from 'strikes'", //                                                  4
      "import { exactMatch } from 'strikes/scorers'", //                                        5
      'export const shout = evalTask({ scorers: [exactMatch()] }, async (text: string) => text.toUpperCase())', // 6
      fence, //                                                                                 7
      '', //                                                                                    8
      `${fence}ts`, //                                                                          9
      "import { evalTask } from 'strikes'", //                                                 10
      'const double = evalTask(async function double(n: number) { return n * 2 })', //          11
      "await double('two')", //                                                                12
      fence, //                                                                                13
      `${fence}ts no-check`, //                                                                14
      'const broken: number = "not checked"', //                                               15
      fence, //                                                                                16
      `${fence}ts run`, //                                                                     17
      "import { evalTask, withRun } from 'strikes'", //                                        18
      'const add = evalTask(async function add(a: number, b: number) { return a + b })', //   19
      fence, //                                                                                20
      `${fence}ts continue`, //                                                                21
      "const sum = await withRun({ name: 'sum' }, () => add(1, 2))", //                        22
      "if (sum !== 3) throw new Error('bad sum')", //                                          23
      fence, //                                                                                24
      `${fence}ts run`, //                                                                     25
      "import { evalTask } from 'strikes'", //                                                 26
      "import { expect, test } from 'vitest'", //                                              27
      'const shout = evalTask(async function shout(text: string) { return text.toUpperCase() })', // 28
      "test('shouts', async () => { expect(await shout.map(['a'])).toEqual(['A']) })", //      29
      fence, //                                                                                30
      `${fence}ts run`, //                                                                     31
      "throw new Error('this block fails on purpose')", //                                     32
      fence, //                                                                                33
      `${fence}ts run`, //                                                                     34
      "import { expect, test } from 'vitest'", //                                              35
      "test('fails', () => { expect(1).toBe(2) })", //                                         36
      fence, //                                                                                37
      `${fence}ts`, //                                                                         38
      'const base = 1', //                                                                     39
      fence, //                                                                                40
      `${fence}ts continue`, //                                                                41
      'const wrong: string = base', //                                                         42
      fence, //                                                                                43
    ].join('\n'),
  )
  const document = readDocumentBlocks(path)

  test('a type error is reported at its README line and block, also inside a continued block; no-check blocks are skipped', () => {
    const errors = typeErrorsOf(document)
    expect(errors).toHaveLength(2)
    expect(errors[0]).toMatch(
      /^README\.md:12 \(block at line 9\): TS2345: Argument of type 'string' is not assignable to parameter of type 'number'/,
    )
    expect(errors[1]).toMatch(
      /^README\.md:42 \(block at line 41\): TS2322: Type 'number' is not assignable to type 'string'/,
    )
  })

  test('run blocks run with node or vitest; failing ones are reported at their README line', async () => {
    const failures = await runFailuresOf(document)
    expect(failures).toHaveLength(2)
    expect(failures[0]).toMatch(
      /^README\.md:31 \(ts run block, failing at line 32\): node exited 1\n[\s\S]*this block fails on purpose/,
    )
    expect(failures[1]).toMatch(
      /^README\.md:34 \(ts run block, failing at line 36\): [\s\S]*fails: [\s\S]*expected 1 to be 2/,
    )
  })
})
