import { describe, expect, test } from 'vitest'
import { parseJudgeReply } from '../../src/scorers/judge-reply.js'

describe('reading a score from a judge reply', () => {
  test.each([
    ['Score: 7/10', 0.7, '7/10'],
    ['Reasoning: good.\nScore: 7 / 10', 0.7, '7/10'],
    ['0.8', 0.8, '0.8'],
    ['  0.8.  ', 0.8, '0.8'],
    ['4 out of 5', 0.8, '4/5'],
    ['I would give it 4 out of 5.', 0.8, '4/5'],
    ['85%', 0.85, '85%'],
    ['Final score: 85%', 0.85, '85%'],
    ['Rating = 3/4', 0.75, '3/4'],
    ['**Score:** **9**/10', 0.9, '9/10'],
    ['The grade is 0.5', 0.5, '0.5'],
    ['score of .25', 0.25, '.25'],
    ['{"score": 0.6, "reasoning": "mostly right"}', 0.6, '0.6'],
    ['{"score": 3, "max": 4}', 0.75, '3/4'],
    ['{"score": "7/10"}', 0.7, '7/10'],
    ['Here is my verdict:\n```json\n{"score": 0.9, "reason": "precise"}\n```', 0.9, '0.9'],
    ['Sure! {"reasoning": "ok", "score": 1} Hope that helps.', 1, '1'],
    ['Score: 1', 1, '1'],
    ['Score: 0', 0, '0'],
    ['The answer is wrong.\n\n0', 0, '0'],
  ])('%j reads as %d', (reply, score, raw) => {
    const verdict = parseJudgeReply(reply)
    expect(verdict.score).toBeCloseTo(score, 12)
    expect(verdict.rawScore).toBe(raw)
  })

  test('takes the last labelled score when the reasoning mentions an earlier one', () => {
    expect(parseJudgeReply('A first draft would get score: 2/10, but after review,\nScore: 6/10').score).toBe(
      0.6,
    )
  })

  test('reads a bare number above 1 as out of 10 or out of 100 without a range, and says so', () => {
    expect(parseJudgeReply('Score: 7')).toMatchObject({ score: 0.7, assumedScale: 'out of 10' })
    expect(parseJudgeReply('Score: 85')).toMatchObject({ score: 0.85, assumedScale: 'out of 100' })
    expect(parseJudgeReply('Score: 0.7').assumedScale).toBeUndefined()
  })

  test('reads a bare number on the given range, while fractions and percentages keep their own scale', () => {
    expect(parseJudgeReply('Score: 4', [1, 5]).score).toBe(0.75)
    expect(parseJudgeReply('Score: 1', [1, 5]).score).toBe(0)
    expect(parseJudgeReply('Score: 4/5', [1, 5]).score).toBe(0.8)
    expect(parseJudgeReply('50%', [1, 5]).score).toBe(0.5)
  })

  test('extracts reasoning from JSON fields or from the text around the score', () => {
    expect(parseJudgeReply('{"score": 1, "explanation": "spot on"}').reasoning).toBe('spot on')
    expect(parseJudgeReply('Reasoning: it is accurate.\nScore: 0.9').reasoning).toBe('it is accurate.')
    expect(parseJudgeReply('Score: 0.9\nBecause it is accurate.').reasoning).toBe('Because it is accurate.')
    expect(parseJudgeReply('0.9').reasoning).toBeUndefined()
  })

  test('reads unicode text around the score', () => {
    expect(parseJudgeReply('Très bien 🎉 — café\u0301\nScore: 9/10').score).toBe(0.9)
  })

  test.each([
    ['', /could not read a score from the judge's reply ""/],
    ['I refuse.', /could not read a score/],
    ['It got 3/4 facts right and 2/3 dates.', /could not read a score/],
    ['{"verdict": "good"}', /could not read a score/],
    ['Score: 12/10', /12\/10 is outside \[0, 1\]/],
    ['Score: -1', /-1 is outside \[0, 1\]/],
    ['Score: 250', /250 is outside \[0, 1\]/],
    ['Score: 3/0', /denominator that is not positive/],
  ])('%j is an error', (reply, message) => {
    expect(() => parseJudgeReply(reply)).toThrow(message)
  })

  test('a bare number outside the given range is an error naming the range', () => {
    expect(() => parseJudgeReply('Score: 6', [1, 5])).toThrow(/6 on the range \[1, 5\] is outside \[0, 1\]/)
  })

  test('quotes at most 200 characters of an unreadable reply', () => {
    expect(() => parseJudgeReply('x'.repeat(5000))).toThrow(/"x{200}…"/)
  })

  test('reads a 1 MB reply, and a 1 MB run of digits, in linear time', () => {
    const started = performance.now()
    expect(parseJudgeReply(`${'lorem ipsum '.repeat(90_000)}\nScore: 0.4`).score).toBe(0.4)
    expect(() => parseJudgeReply('1'.repeat(1024 * 1024))).toThrow(/outside \[0, 1\]|could not read/)
    expect(() => parseJudgeReply(`${'7'.repeat(1024 * 1024)}x`)).toThrow(/could not read/)
    expect(performance.now() - started).toBeLessThan(3000)
  })
})
