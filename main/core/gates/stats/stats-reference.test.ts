import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mcnemarExact } from './mcnemar.ts';
import { pairedBootstrap, rowLosses } from './paired-bootstrap.ts';

/**
 * McNemar and the paired bootstrap against statsmodels 0.13.5 and scipy 1.10.1 (Debian 12),
 * whose answers for these inputs reference.py printed and this file keeps. Where that Python is
 * installed, the script runs again and the live answers are compared too.
 */

// [b (baseline right only), c (candidate right only), statsmodels' exact two-sided p, scipy's one-sided p(b ≥ observed)]
const MCNEMAR: [number, number, number, number][] = [
  [0, 0, 1, 1],
  [1, 0, 1, 0.5],
  [3, 0, 0.25, 0.125],
  [5, 1, 0.21875, 0.109375],
  [10, 25, 0.016673847800120715, 0.9970059397164732],
  [25, 10, 0.016673847800120715, 0.008336923900060357],
  [7, 7, 1, 0.604736328125],
  [100, 130, 0.05561357778139239, 0.9796437354499516],
  [130, 100, 0.05561357778139239, 0.027806788890696196],
  [40, 2, 4.1109160520136356e-10, 2.0554580260068178e-10],
  [1000, 1100, 0.030720707864242486, 0.9862497202462123],
  [499000, 501000, 0.045608299865389515, 0.9773038320453266],
  [500500, 499500, 0.31779469136333, 0.158897345681665],
  [497000, 503000, 1.9851497639228892e-9, 0.9999999990195758],
  [505000, 495000, 1.5381555043902326e-23, 7.690777521951163e-24],
  [0, 1000000, 0, 1],
  [1000000, 0, 0, 0],
];

const BOOTSTRAP = [
  { error: 'mae', baselineError: 1.0766666666666664, candidateError: 1.059, low: -0.05687500000000001, high: 0.020958333333333197, standardError: 0.01973955917248441 },
  { error: 'rmse', baselineError: 1.2470854911441405, candidateError: 1.2246172871554606, low: -0.05707864955507205, high: 0.011652969749191755, standardError: 0.017428708571925654 },
] as const;

/** The rows reference.py generates. */
function regressionRows(n: number) {
  const actual = new Float64Array(n);
  const baseline = new Float64Array(n);
  const candidate = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    actual[i] = Math.sin(i) * 10;
    baseline[i] = actual[i]! + (((i * 7919) % 13) - 6) / 3;
    candidate[i] = actual[i]! + (((i * 104729) % 17) - 8) / 4;
  }
  return { actual, baseline, candidate };
}

/** Agreement to 12 significant digits, and exact zeros and ones. */
function expectSameP(actual: number, expected: number) {
  if (expected === 0 || expected === 1) expect(actual).toBe(expected);
  else expect(Math.abs(actual - expected) / expected).toBeLessThan(1e-12);
}

function checkMcnemar(rows: [number, number, number, number][]) {
  for (const [b, c, twoSided, worse] of rows) {
    const result = mcnemarExact({ bothRight: 50, baselineOnly: b, candidateOnly: c, bothWrong: 20 });
    expectSameP(result.pTwoSided, twoSided);
    expectSameP(result.pWorse, worse);
  }
}

describe("McNemar's exact test", () => {
  it('agrees with statsmodels and scipy from 1 to 1,000,000 discordant rows, tails to 1e-23', () => {
    checkMcnemar(MCNEMAR);
  });

  it('reports the effect as the accuracy difference', () => {
    const result = mcnemarExact({ bothRight: 800, baselineOnly: 30, candidateOnly: 10, bothWrong: 160 });
    expect(result.baselineAccuracy).toBeCloseTo(0.83, 12);
    expect(result.candidateAccuracy).toBeCloseTo(0.81, 12);
    expect(result.accuracyDifference).toBeCloseTo(-0.02, 12);
    expect(result.pWorse).toBeLessThan(0.01);
  });
});

describe('the paired bootstrap of a regression error difference', () => {
  const { actual, baseline, candidate } = regressionRows(2000);
  for (const reference of BOOTSTRAP) {
    it(`gives scipy's ${reference.error.toUpperCase()} difference and its 95% interval (within Monte Carlo error)`, () => {
      const result = pairedBootstrap(rowLosses(actual, baseline, reference.error), rowLosses(actual, candidate, reference.error), { error: reference.error, resamples: 20_000, confidence: 0.95, seed: 7 });
      expect(result.baselineError).toBeCloseTo(reference.baselineError, 12);
      expect(result.candidateError).toBeCloseTo(reference.candidateError, 12);
      expect(result.difference).toBeCloseTo(reference.candidateError - reference.baselineError, 12);
      // Two generators, 20,000 resamples each: their 2.5% and 97.5% points agree within a tenth of a standard error.
      expect(Math.abs(result.interval.low - reference.low)).toBeLessThan(0.1 * reference.standardError);
      expect(Math.abs(result.interval.high - reference.high)).toBeLessThan(0.1 * reference.standardError);
    });
  }

  it('is the same for the same seed, and another seed moves it only within Monte Carlo error', () => {
    const losses = [rowLosses(actual, baseline, 'mae'), rowLosses(actual, candidate, 'mae')] as const;
    const options = { error: 'mae', resamples: 500, confidence: 0.9, seed: 1 } as const;
    expect(pairedBootstrap(...losses, options)).toEqual(pairedBootstrap(...losses, options));
    const other = pairedBootstrap(...losses, { ...options, seed: 2 });
    expect(other.interval.low).not.toBe(pairedBootstrap(...losses, options).interval.low);
    expect(Math.abs(other.interval.low - pairedBootstrap(...losses, options).interval.low)).toBeLessThan(0.01);
  });
});

const python = '/usr/bin/python3';
const hasReference = spawnSync(python, ['-c', 'import scipy, statsmodels'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasReference)('against scipy and statsmodels, live', () => {
  it('prints the numbers this file keeps', () => {
    const script = fileURLToPath(new URL('./reference.py', import.meta.url));
    const run = spawnSync(python, [script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const live = JSON.parse(run.stdout) as { mcnemar: { b: number; c: number; pTwoSided: number; pWorse: number }[]; bootstrap: (typeof BOOTSTRAP)[number][] };
    checkMcnemar(live.mcnemar.map((row) => [row.b, row.c, row.pTwoSided, row.pWorse]));
    for (const [i, row] of live.bootstrap.entries()) expect(row).toMatchObject({ ...BOOTSTRAP[i], low: expect.closeTo(BOOTSTRAP[i]!.low, 12), high: expect.closeTo(BOOTSTRAP[i]!.high, 12) });
  });
});
