/**
 * Tails of the fair-coin binomial, Binomial(n, 1/2), accurate from n = 1 to past 10⁹ and down to
 * the smallest double: McNemar's exact test is one of these tails.
 *
 * Each term P(X = i) comes from Loader's saddle-point formula ("Fast and accurate computation of
 * binomial probabilities", 2000 — what R's dbinom and scipy's binom.pmf use), so a term near the
 * middle of n = 10⁶ has 15 good digits instead of the 8 that exp(lgamma − lgamma − lgamma) keeps.
 * The tail then sums down from its largest term by the ratio P(i−1)/P(i) = i / (n − i + 1) until
 * the terms no longer change the sum. By symmetry a tail always sums its short side.
 */

/** P(X ≤ k) for X ~ Binomial(n, 1/2). */
export function fairCoinLowerTail(k: number, n: number): number {
  checkCount(n, 'n');
  if (k < 0) return 0;
  if (k >= n) return 1;
  const whole = Math.floor(k);
  // The short side: P(X ≤ k) = 1 − P(X ≤ n − k − 1) when k is past the middle.
  if (whole > (n - 1) / 2) return 1 - fairCoinLowerTail(n - whole - 1, n);
  return sumDown(whole, n);
}

/** P(X ≥ k) for X ~ Binomial(n, 1/2). */
export function fairCoinUpperTail(k: number, n: number): number {
  return fairCoinLowerTail(n - Math.ceil(k), n);
}

/** P(X = k) for X ~ Binomial(n, 1/2). */
export function fairCoinProbability(k: number, n: number): number {
  checkCount(n, 'n');
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  return Math.exp(logBinomialProbability(k, n, 0.5));
}

/** Σ_{i ≤ k} P(X = i), from the largest term (i = k, on the short side) down. */
function sumDown(k: number, n: number): number {
  const top = fairCoinProbability(k, n);
  if (top === 0) return 0;
  let term = 1;
  let sum = 1;
  for (let i = k; i > 0; i -= 1) {
    term *= i / (n - i + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.min(1, top * sum);
}

/** log P(X = k) for X ~ Binomial(n, p), by Loader's method. */
export function logBinomialProbability(k: number, n: number, p: number): number {
  const q = 1 - p;
  if (k === 0) return n * Math.log(q);
  if (k === n) return n * Math.log(p);
  const lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  const f = (2 * Math.PI * k * (n - k)) / n;
  return lc - 0.5 * Math.log(f);
}

const LN_SQRT_2PI = 0.9189385332046728;

/** log(n!) − log(√(2π n) (n/e)ⁿ), exact for small n from a table, else its asymptotic series. */
function stirlingError(n: number): number {
  const S0 = 1 / 12;
  const S1 = 1 / 360;
  const S2 = 1 / 1260;
  const S3 = 1 / 1680;
  const S4 = 1 / 1188;
  if (n <= 15) {
    const twice = 2 * n;
    if (twice === Math.floor(twice)) return STIRLING_ERRORS[twice]!;
    return logGamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
  }
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/** x log(x/np) + np − x, computed without cancellation when x is near np. */
function deviance(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    const s0 = (x - np) * v;
    let s = s0;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j += 1) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / np) + np - x;
}

/** log Γ(x) for x > 0 (Lanczos, g = 7): only stirlingError's rare non-integer small case uses it. */
function logGamma(x: number): number {
  const c = [0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 0.000009984369578019572, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i += 1) a += c[i]! / (z + i);
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** stirlingError(n/2) for n = 0 … 30 (from R's nmath/stirlerr.c). */
const STIRLING_ERRORS = [
  0.0, 0.15342640972002736, 0.08106146679532726, 0.05481412105191765, 0.0413406959554093, 0.03316287351993629,
  0.02767792568499834, 0.023746163656297496, 0.020790672103765093, 0.018488450532673187, 0.016644691189821193,
  0.015134973221917378, 0.013876128823070748, 0.012810465242920227, 0.01189670994589177, 0.011104559758206917,
  0.010411265261972096, 0.009799416126158804, 0.009255462182712733, 0.008768700134139386, 0.00833056343336287,
  0.00793411456431402, 0.007573675487951841, 0.007244554301320383, 0.00694284010720953, 0.006665247032707682,
  0.006408994188004207, 0.006171712263039458, 0.0059513701127588475, 0.0057462165130101155, 0.005554733551962801,
];

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${n}`);
}
