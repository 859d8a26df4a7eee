import { fairCoinLowerTail } from './binomial-tail.ts';

/**
 * McNemar's exact test of two classifiers on the same rows. Only the rows where they disagree
 * about being right count (the discordant pairs):
 *   b = rows the baseline got right and the candidate got wrong,
 *   c = rows the candidate got right and the baseline got wrong.
 * Were the two equally accurate, each discordant row would be b or c with probability ½, so
 * b ~ Binomial(b + c, ½). As statsmodels' `mcnemar(table, exact=True)`:
 *   two-sided p = min(1, 2 · P(X ≤ min(b, c))).
 * The gate's question is one-sided — "is the candidate worse?" — so it also gives
 *   p(worse) = P(X ≥ b) = P(X ≤ c),
 * small only when the candidate lost clearly more rows than it won (scipy's
 * `binomtest(b, b + c, 0.5, alternative='greater')`).
 */
export interface PairedOutcomes {
  /** Rows both got right. */
  bothRight: number;
  /** Baseline right, candidate wrong. */
  baselineOnly: number;
  /** Candidate right, baseline wrong. */
  candidateOnly: number;
  /** Rows both got wrong. */
  bothWrong: number;
}

export interface McNemarResult extends PairedOutcomes {
  rows: number;
  discordant: number;
  baselineAccuracy: number;
  candidateAccuracy: number;
  /** candidate − baseline accuracy: the effect size, in accuracy points (0.01 = one point). */
  accuracyDifference: number;
  pTwoSided: number;
  /** One-sided: the chance of the candidate losing at least this many more rows were it as good. */
  pWorse: number;
}

export function mcnemarExact(outcomes: PairedOutcomes): McNemarResult {
  for (const [key, value] of Object.entries(outcomes)) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${key} must be a whole number ≥ 0, got ${value}`);
  }
  const { bothRight, baselineOnly: b, candidateOnly: c, bothWrong } = outcomes;
  const rows = bothRight + b + c + bothWrong;
  const n = b + c;
  const share = (right: number) => (rows === 0 ? 0 : right / rows);
  const baselineAccuracy = share(bothRight + b);
  const candidateAccuracy = share(bothRight + c);
  return {
    ...outcomes,
    rows,
    discordant: n,
    baselineAccuracy,
    candidateAccuracy,
    accuracyDifference: rows === 0 ? 0 : (c - b) / rows,
    pTwoSided: n === 0 ? 1 : Math.min(1, 2 * fairCoinLowerTail(Math.min(b, c), n)),
    pWorse: n === 0 ? 1 : fairCoinLowerTail(c, n),
  };
}

/** Count the four outcomes from per-row correctness (1 right, 0 wrong), row i of each the same row. */
export function pairedOutcomes(baselineRight: Uint8Array, candidateRight: Uint8Array): PairedOutcomes {
  if (baselineRight.length !== candidateRight.length) throw new RangeError(`paired outcomes need rows of equal length (${baselineRight.length} and ${candidateRight.length})`);
  let bothRight = 0;
  let baselineOnly = 0;
  let candidateOnly = 0;
  for (let i = 0; i < baselineRight.length; i += 1) {
    const a = baselineRight[i]!;
    const z = candidateRight[i]!;
    if (a & z) bothRight += 1;
    else if (a) baselineOnly += 1;
    else if (z) candidateOnly += 1;
  }
  return { bothRight, baselineOnly, candidateOnly, bothWrong: baselineRight.length - bothRight - baselineOnly - candidateOnly };
}
