/** The plugin's `thresholds` option is validated with the expression parser when the config loads. */
import { describe, expect, it } from 'vitest'
import { resolveOptions } from '../../reporter/vitest/options.js'

describe('thresholds option', () => {
  it('valid expressions (one or an array per key) resolve to arrays', () => {
    const options = resolveOptions({
      thresholds: {
        'summarize.quality': ['avg >= 0.8', 'avg >= baseline - 0.05'],
        'classify.correct': 'pass_rate > 0.9',
      },
    })
    expect(options.thresholds).toEqual({
      'summarize.quality': ['avg >= 0.8', 'avg >= baseline - 0.05'],
      'classify.correct': ['pass_rate > 0.9'],
    })
  })

  it('a bad expression fails at config time naming the option, the key, the expression and the column', () => {
    expect(() => resolveOptions({ thresholds: { 'summarize.quality': 'averag >= 0.8' } })).toThrow(
      /option "thresholds".*key "summarize\.quality".*"averag >= 0\.8".*unknown aggregate "averag" at column 1/,
    )
  })

  it('a bad expression inside an array is found and every bad one is reported', () => {
    let message = ''
    try {
      resolveOptions({ thresholds: { a: ['avg >= 1', 'avg = 1'], b: 'p95 <= basline' } })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain('key "a", expression "avg = 1": unsupported comparator "=" at column 5')
    expect(message).toContain('key "b", expression "p95 <= basline"')
    expect(message).toContain('column 8')
  })

  it('an empty expression and an empty list are refused', () => {
    expect(() => resolveOptions({ thresholds: { a: '' } })).toThrow(/empty threshold expression/)
    expect(() => resolveOptions({ thresholds: { a: [] } })).toThrow(/thresholds/)
  })
})
