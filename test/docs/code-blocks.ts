/**
 * Fenced TypeScript code blocks of a Markdown document, with the line they start on and their flags:
 * ```` ```ts ```` (type-checked), ```` ```ts no-check ```` (skipped), ```` ```ts run ```` (type-checked and
 * executed), ```` ```ts continue ```` (appended to the previous checked block, so a tutorial can build one
 * program over several blocks).
 */

/** Flags a ts block may carry after its language. */
export const BLOCK_FLAGS = ['no-check', 'run', 'continue'] as const

export type BlockFlag = (typeof BLOCK_FLAGS)[number]

/** One ```ts / ```typescript block. */
export interface CodeBlock {
  /** 1-based line of the opening fence in the document. */
  readonly line: number
  readonly flags: ReadonlySet<BlockFlag>
  /** The code, fence indentation removed. */
  readonly code: string
}

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)(.*)$/

/**
 * The TypeScript blocks of a Markdown text, in order. Throws an error naming the line of an unclosed
 * fence or an unknown flag, so a typo cannot silently skip a block.
 */
export function extractCodeBlocks(markdown: string, source = 'the document'): CodeBlock[] {
  const lines = markdown.split(/\r?\n/)
  const blocks: CodeBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string)
    if (open === null) continue
    const [, indent = '', fence = '', language = '', info = ''] = open
    const body: string[] = []
    let closed = false
    let j = i + 1
    for (; j < lines.length; j++) {
      const line = lines[j] as string
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line)
      if (close?.[1] !== undefined && close[1][0] === fence[0] && close[1].length >= fence.length) {
        closed = true
        break
      }
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart())
    }
    if (!closed) throw new Error(`${source}:${i + 1}: the code fence opened here is never closed`)
    if (language === 'ts' || language === 'typescript') {
      blocks.push({ line: i + 1, flags: readFlags(info, `${source}:${i + 1}`), code: body.join('\n') })
    }
    i = j
  }
  return blocks
}

function readFlags(info: string, where: string): Set<BlockFlag> {
  const flags = new Set<BlockFlag>()
  for (const word of info.split(/[\s,]+/).filter((item) => item !== '')) {
    if (!(BLOCK_FLAGS as readonly string[]).includes(word)) {
      throw new Error(
        `${where}: unknown flag "${word}" on a ts code block; known flags: ${BLOCK_FLAGS.join(', ')}`,
      )
    }
    flags.add(word as BlockFlag)
  }
  if (flags.has('no-check') && flags.size > 1) {
    throw new Error(
      `${where}: a no-check block cannot also be ${[...flags].filter((flag) => flag !== 'no-check').join(', ')}`,
    )
  }
  return flags
}

/** A program made of one block and the `continue` blocks after it. */
export interface BlockChain {
  /** The blocks in order; the first is the head. */
  readonly blocks: readonly CodeBlock[]
  /** True when any block of the chain is marked `run`. */
  readonly run: boolean
}

/**
 * Groups checked blocks into programs: each block starts one, except `continue` blocks, which join the
 * previous checked block's. `no-check` blocks are left out. Throws naming the line of a `continue` block
 * with nothing before it.
 */
export function chainBlocks(blocks: readonly CodeBlock[], source = 'the document'): BlockChain[] {
  const chains: { blocks: CodeBlock[]; run: boolean }[] = []
  for (const block of blocks) {
    if (block.flags.has('no-check')) continue
    const last = chains.at(-1)
    if (block.flags.has('continue')) {
      if (last === undefined) {
        throw new Error(`${source}:${block.line}: a \`continue\` block needs a checked ts block before it`)
      }
      last.blocks.push(block)
      last.run ||= block.flags.has('run')
    } else {
      chains.push({ blocks: [block], run: block.flags.has('run') })
    }
  }
  return chains
}
