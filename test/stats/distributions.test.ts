/**
 * The distribution functions against SciPy (`reference-values.json`): log-gamma, the regularized
 * incomplete beta function, Student t (cdf, tail, quantile, any real df), the normal quantile and tail,
 * exact binomial tests with p = ½, Wilson intervals, pass@k, Holm — each to 1e-9 relative.
 */
import { describe, expect, it } from 'vitest'
import { binomialTestLess, binomialTestTwoSided } from '../../reporter/stats/binomial-test.js'
import { logGamma } from '../../reporter/stats/gamma-functions.js'
import { holmAdjust } from '../../reporter/stats/holm-correction.js'
import { incompleteBeta } from '../../reporter/stats/incomplete-beta.js'
import { MDE_MULTIPLIER, normalQuantile, normalSurvival } from '../../reporter/stats/normal-distribution.js'
import { passAllK, passAtK } from '../../reporter/stats/pass-at-k.js'
import { studentTCdf, studentTQuantile, studentTSurvival } from '../../reporter/stats/student-t.js'
import { wilsonInterval, Z_975 } from '../../reporter/stats/wilson-interval.js'
import { expectClose, jsonNumber, REFERENCE } from './reference-values.js'

describe('special functions', () => {
  it('log Γ(x) matches scipy.special.gammaln from 0.1 to 1e6', () => {
    for (const { x, value } of REFERENCE.log_gamma) expectClose(logGamma(x), value, `lgamma(${x})`)
  })

  it('the regularized incomplete beta function and its complement match betainc / betaincc, large a included', () => {
    for (const { x, a, b, lower, upper } of REFERENCE.incomplete_beta) {
      const tails = incompleteBeta(x, a, b)
      expectClose(tails.lower, lower, `I_${x}(${a}, ${b})`)
      expectClose(tails.upper, upper, `1 − I_${x}(${a}, ${b})`)
    }
  })
})

describe('Student t', () => {
  it(`cdf and tail probability match scipy.stats.t for ${REFERENCE.t_cdf.length} (t, df) pairs, fractional df included`, () => {
    for (const { t, df, cdf, sf } of REFERENCE.t_cdf) {
      expectClose(studentTCdf(t, df), cdf, `t.cdf(${t}, ${df})`)
      expectClose(studentTSurvival(t, df), sf, `t.sf(${t}, ${df})`)
    }
  })

  it(`the quantile matches scipy.stats.t.ppf for ${REFERENCE.t_ppf.length} (p, df) pairs, from 1e-12 to 1 − 1e-6`, () => {
    for (const { p, df, value } of REFERENCE.t_ppf) {
      expectClose(studentTQuantile(p, df), jsonNumber(value), `t.ppf(${p}, ${df})`)
    }
  })

  it('the quantile inverts the cdf and is antisymmetric', () => {
    for (const df of [1, 3.3, 17, 480]) {
      for (const p of [0.001, 0.2, 0.7, 0.975]) {
        expectClose(studentTCdf(studentTQuantile(p, df), df), p, `cdf(ppf(${p}, ${df}))`)
        expect(studentTQuantile(1 - p, df)).toBeCloseTo(-studentTQuantile(p, df), 12)
      }
    }
  })

  it('edge probabilities: 0 and 1 give ∓∞, ½ gives 0, invalid arguments give NaN', () => {
    expect(studentTQuantile(0, 5)).toBe(Number.NEGATIVE_INFINITY)
    expect(studentTQuantile(1, 5)).toBe(Number.POSITIVE_INFINITY)
    expect(studentTQuantile(0.5, 5)).toBe(0)
    expect(studentTQuantile(0.3, 0)).toBeNaN()
    expect(studentTSurvival(Number.NaN, 5)).toBeNaN()
    expect(studentTSurvival(Number.POSITIVE_INFINITY, 5)).toBe(0)
  })
})

describe('the normal distribution', () => {
  it('the quantile matches scipy.stats.norm.ppf from 1e-300 to 1 − 1e-10', () => {
    for (const { p, value } of REFERENCE.norm_ppf) expectClose(normalQuantile(p), value, `norm.ppf(${p})`)
  })

  it('the tail probability matches scipy.stats.norm.sf out to z = 37', () => {
    for (const { z, value } of REFERENCE.norm_sf) expectClose(normalSurvival(z), value, `norm.sf(${z})`)
  })

  it('the MDE multiplier z₀.₉₅ + z₀.₈ and z₀.₉₇₅ match', () => {
    expectClose(MDE_MULTIPLIER, REFERENCE.mde_multiplier, 'z.95 + z.8')
    expectClose(Z_975, REFERENCE.z_975, 'z.975')
  })
})

describe('exact binomial tests (McNemar)', () => {
  it('two-sided and one-sided p-values match scipy.stats.binomtest(k, n, 0.5)', () => {
    for (const { k, n, two_sided, less } of REFERENCE.binomial) {
      expectClose(binomialTestTwoSided(k, n), two_sided, `binomtest(${k}, ${n}) two-sided`)
      expectClose(binomialTestLess(k, n), less, `binomtest(${k}, ${n}, alternative='less')`)
    }
  })

  it('no discordant pairs give p = 1', () => {
    expect(binomialTestTwoSided(0, 0)).toBe(1)
    expect(binomialTestLess(0, 0)).toBe(1)
  })
})

describe('Wilson intervals', () => {
  it("match binomtest(k, n).proportion_ci(method='wilson')", () => {
    for (const { k, n, low, high } of REFERENCE.wilson) {
      const interval = wilsonInterval(k, n)
      // An end at exactly 0 or 1 is compared absolutely: SciPy may leave a rounding residue there.
      if (Math.abs(low) < 1e-12) expect(interval.low).toBeCloseTo(low, 12)
      else expectClose(interval.low, low, `wilson(${k}, ${n}).low`)
      if (Math.abs(1 - high) < 1e-12) expect(interval.high).toBeCloseTo(high, 12)
      else expectClose(interval.high, high, `wilson(${k}, ${n}).high`)
    }
  })
})

describe('pass@k and pass^k', () => {
  it('match the exact unbiased estimators 1 − C(n−c, k)/C(n, k) and C(c, k)/C(n, k)', () => {
    for (const { n, c, k, pass_at, pass_all } of REFERENCE.pass_at_k) {
      expectClose(passAtK(n, c, k) as number, pass_at, `pass@${k}(n=${n}, c=${c})`)
      expectClose(passAllK(n, c, k) as number, pass_all, `pass^${k}(n=${n}, c=${c})`)
    }
  })

  it('are undefined when an input has fewer than k trials', () => {
    expect(passAtK(3, 1, 4)).toBeUndefined()
    expect(passAllK(3, 3, 4)).toBeUndefined()
  })
})

describe("Holm's correction", () => {
  it('matches the step-down definition, ties and monotonicity included', () => {
    for (const { p, adjusted } of REFERENCE.holm) {
      const ours = holmAdjust(p)
      ours.forEach((value, index) => {
        expectClose(value as number, adjusted[index] as number, `holm(${p})[${index}]`)
      })
    }
  })

  it('keys without a p-value are left out of the family', () => {
    expect(holmAdjust([0.01, undefined, 0.02])).toEqual([0.02, undefined, 0.02])
  })
})
