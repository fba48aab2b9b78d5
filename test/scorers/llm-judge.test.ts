import { describe, expect, test } from 'vitest'
import { defaultPrompt, llmJudge } from '../../src/scorers/index.js'
import { bigText, circular, contextOf, scoreWith, withThrowingGetter } from './scorer-harness.js'

/** A judge that records the prompts it gets and answers with a fixed reply. */
function fakeJudge(reply: string | unknown) {
  const prompts: string[] = []
  const judge = async (prompt: string): Promise<string> => {
    prompts.push(prompt)
    return reply as string
  }
  return { judge, prompts }
}

const rubric = 'The answer names the capital of the country asked about.'

describe('llmJudge', () => {
  test('is named llm_judge unless given a name', () => {
    expect(llmJudge({ judge: fakeJudge('1').judge, rubric }).name).toBe('llm_judge')
    expect(llmJudge({ judge: fakeJudge('1').judge, rubric, name: 'capital_ok' }).name).toBe('capital_ok')
  })

  test('builds a prompt from the rubric, the input, the expected answer and the output', async () => {
    const { judge, prompts } = fakeJudge('Reasoning: fine.\nScore: 1')
    await scoreWith(llmJudge({ judge, rubric }), 'Paris', contextOf([{ country: 'France' }], 'Paris'))
    expect(prompts).toHaveLength(1)
    const prompt = prompts[0] as string
    expect(prompt).toContain(`## Rubric\n${rubric}`)
    expect(prompt).toContain('## Input\n{"country":"France"}')
    expect(prompt).toContain('## Expected output\nParis')
    expect(prompt).toContain('## Output to grade\nParis')
    expect(prompt).toContain('Score: <a number from 0 to 1')
    expect(prompt).toBe(
      defaultPrompt({
        rubric,
        input: '{"country":"France"}',
        output: 'Paris',
        expected: 'Paris',
        range: [0, 1],
      }),
    )
  })

  test('leaves out the expected section when there is no expected value, and shows all arguments of a multi-argument call', async () => {
    const { judge, prompts } = fakeJudge('Score: 1')
    await scoreWith(llmJudge({ judge, rubric }), 'x', contextOf(['France', 2]))
    expect(prompts[0]).not.toContain('## Expected output')
    expect(prompts[0]).toContain('## Input\n["France",2]')
  })

  test('uses a fixed or drawn expected value when given one', async () => {
    const fixed = fakeJudge('Score: 1')
    await scoreWith(llmJudge({ judge: fixed.judge, rubric, expected: 'Paris' }), 'x')
    expect(fixed.prompts[0]).toContain('## Expected output\nParis')
    const drawn = fakeJudge('Score: 1')
    const scorer = llmJudge({
      judge: drawn.judge,
      rubric,
      expected: (ctx) => (ctx.input as { gold: string }).gold,
    })
    await scoreWith(scorer, 'x', contextOf([{ gold: 'Rome' }]))
    expect(drawn.prompts[0]).toContain('## Expected output\nRome')
  })

  test('builds the prompt with a custom template when given one', async () => {
    const { judge, prompts } = fakeJudge('0.5')
    const scorer = llmJudge({ judge, rubric, prompt: (parts) => `Grade ${parts.output} by: ${parts.rubric}` })
    expect((await scoreWith(scorer, 'Paris')).value).toBe(0.5)
    expect(prompts[0]).toBe(`Grade Paris by: ${rubric}`)
  })

  test('records the reasoning, the raw score and the reply in metadata', async () => {
    const reply = 'Reasoning: The output names Paris, the capital of France.\nScore: 8/10'
    const result = await scoreWith(llmJudge({ judge: fakeJudge(reply).judge, rubric }), 'Paris')
    expect(result.value).toBe(0.8)
    expect(result.metadata).toEqual({
      raw_score: '8/10',
      reasoning: 'The output names Paris, the capital of France.',
      reply,
    })
  })

  test('reads the reply on the range it asked the judge to use', async () => {
    const { judge, prompts } = fakeJudge('Reasoning: decent.\nScore: 4')
    const result = await scoreWith(llmJudge({ judge, rubric, range: [1, 5] }), 'Paris')
    expect(result.value).toBe(0.75)
    expect(prompts[0]).toContain('Score: <a number from 1 to 5, where 5 means')
  })

  test('renders circular outputs and throwing getters into the prompt instead of crashing', async () => {
    const { judge, prompts } = fakeJudge('Score: 0')
    expect((await scoreWith(llmJudge({ judge, rubric }), circular())).value).toBe(0)
    expect((await scoreWith(llmJudge({ judge, rubric }), withThrowingGetter())).value).toBe(0)
    expect(prompts[0]).toContain('"self":{"$ref":"$"}')
    expect(prompts[1]).toContain('"secret":{"$throws":"Error: getter exploded"}')
  })

  test('passes null, undefined, numbers, empty and 1 MB outputs to the judge', async () => {
    const { judge, prompts } = fakeJudge('Score: 1')
    for (const output of [null, undefined, 42, '', bigText(1024 * 1024)]) {
      expect((await scoreWith(llmJudge({ judge, rubric }), output)).value).toBe(1)
    }
    expect(prompts[0]).toContain('## Output to grade\nnull')
    expect(prompts[1]).toContain('## Output to grade\n{"$undefined":true}')
    expect(prompts[2]).toContain('## Output to grade\n42')
    expect(prompts[4]?.length).toBeGreaterThan(1024 * 1024)
  })

  test('cuts a very long reply in metadata and marks it', async () => {
    const reply = `${'blah '.repeat(2000)}\nScore: 0.5`
    const result = await scoreWith(llmJudge({ judge: fakeJudge(reply).judge, rubric }), 'x')
    expect(result.value).toBe(0.5)
    expect((result.metadata.reply as string).length).toBe(4001)
    expect(result.metadata.reply_truncated).toBe(true)
  })

  test('an unreadable reply is an error quoting it, so the task records 0 and a warning', async () => {
    const result = await scoreWith(llmJudge({ judge: fakeJudge('I cannot grade this.').judge, rubric }), 'x')
    expect(result.value).toBe(0)
    expect(result.error).toMatch(/could not read a score from the judge's reply "I cannot grade this\."/)
  })

  test('a judge that throws, or answers something other than text, is an error', async () => {
    const throwing = llmJudge({
      judge: async () => {
        throw new Error('rate limited')
      },
      rubric,
    })
    expect((await scoreWith(throwing, 'x')).error).toMatch(/Error: rate limited/)
    expect((await scoreWith(llmJudge({ judge: fakeJudge({ score: 1 }).judge, rubric }), 'x')).error).toMatch(
      /the judge returned an object, not the reply text/,
    )
    expect((await scoreWith(llmJudge({ judge: fakeJudge(undefined).judge, rubric }), 'x')).error).toMatch(
      /the judge returned undefined/,
    )
  })

  test('accepts a synchronous judge function', async () => {
    expect((await scoreWith(llmJudge({ judge: () => 'Score: 0.25', rubric }), 'x')).value).toBe(0.25)
  })

  test('rejects missing or wrong options at definition', () => {
    const judge = fakeJudge('1').judge
    expect(() => llmJudge({ judge: undefined as unknown as typeof judge, rubric })).toThrow(
      /option "judge" must be a function/,
    )
    expect(() => llmJudge({ judge, rubric: '  ' })).toThrow(/option "rubric" must be a non-empty string/)
    expect(() => llmJudge({ judge, rubric, range: [5, 1] })).toThrow(/option "range" must be \[min, max\]/)
    expect(() => llmJudge(undefined as unknown as { judge: typeof judge; rubric: string })).toThrow(
      /needs options/,
    )
  })
})
