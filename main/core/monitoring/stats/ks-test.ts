import { kolmogorovSurvival } from './kolmogorov-distribution.ts';

/**
 * The two-sample Kolmogorov–Smirnov test as scipy 1.10's `ks_2samp(a, b)` runs it with its
 * defaults (alternative 'two-sided', method 'auto'): the exact p-value when neither sample has
 * more than 10,000 values, else the distribution of Dₙ with n = round(n₁n₂ / (n₁ + n₂)).
 * Like scipy, the exact branch reports D rounded to the lattice it is exact on, h / lcm(n₁, n₂).
 */
export function ks2samp(a: ArrayLike<number>, b: ArrayLike<number>): { statistic: number; pValue: number } {
  const first = sortedCopy(a, 'a');
  const second = sortedCopy(b, 'b');
  return ksFromStatistic(ksStatistic(first, null, second), first.length, second.length);
}

/** Above this many values in either sample, 'auto' leaves the exact method (scipy's MAX_AUTO_N). */
export const EXACT_KS_LIMIT = 10_000;

/**
 * scipy's p-value (and rounded statistic) for a statistic d between samples of n₁ and n₂ values.
 * The column drift code computes d from counts or a sketch and then calls this.
 */
export function ksFromStatistic(d: number, n1: number, n2: number): { statistic: number; pValue: number } {
  if (!(n1 > 0 && n2 > 0)) throw new RangeError(`ks2samp needs two non-empty samples, got ${n1} and ${n2} values`);
  if (Math.max(n1, n2) <= EXACT_KS_LIMIT) {
    const exact = exactTwoSided(n1, n2, d);
    if (exact) return exact;
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  return { statistic: d, pValue: kolmogorovSurvival(Math.max(1, roundHalfEven(en)), d) };
}

/**
 * D = max |F₁(x) − F₂(x)| over the values of both samples, F the empirical CDFs computed as
 * scipy does (count ≤ x divided by n), so the same D to the last bit. `firstCounts`, when given,
 * says how many times each of `first`'s (then distinct) values occurs.
 */
export function ksStatistic(first: Float64Array, firstCounts: Float64Array | null, second: Float64Array): number {
  const n1 = firstCounts ? sum(firstCounts) : first.length;
  const n2 = second.length;
  let i = 0;
  let j = 0;
  let below1 = 0;
  let largest = 0;
  let smallest = 0;
  while (i < first.length || j < second.length) {
    const x = j >= second.length || (i < first.length && first[i]! <= second[j]!) ? first[i]! : second[j]!;
    while (i < first.length && first[i]! <= x) {
      below1 += firstCounts ? firstCounts[i]! : 1;
      i += 1;
    }
    while (j < second.length && second[j]! <= x) j += 1;
    const difference = below1 / n1 - j / n2;
    if (difference > largest) largest = difference;
    if (difference < smallest) smallest = difference;
  }
  return Math.max(largest, Math.min(1, -smallest));
}

/** The exact two-sided p-value on the lattice of multiples of 1/lcm(n₁, n₂), or null when it fails. */
function exactTwoSided(n1: number, n2: number, d: number): { statistic: number; pValue: number } | null {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pValue: 1 };
  const p = n1 === n2 ? probabilityOutsideSquare(n1, h) : probabilityOutsideBand(n1, n2, g, h);
  if (!(p >= 0 && p <= 1)) return null;
  return { statistic, pValue: p };
}

/**
 * n₁ = n₂ = n: P(D ≥ h/n) = 2 Σ_k (−1)^(k−1) C(2n, n − kh) / C(2n, n), summed by Horner's rule
 * from the innermost term so that nothing cancels.
 */
function probabilityOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k -= 1) {
    let term = 1;
    for (let j = 0; j < h; j += 1) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * n₁ ≠ n₂: the share of lattice paths from (0, 0) to (m, n) that leave the band
 * |x/m − y/n| < h / lcm, counted column by column (Hodges 1958) with Viehmann's recursion
 * (arXiv 2102.08037) that carries 1 − p, so the small p-values of a drift keep their digits.
 */
function probabilityOutsideBand(n1: number, n2: number, g: number, h: number): number {
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let currentLength = maxj - minj;
  const column = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  column.fill(0, minj, maxj);
  for (let i = 1; i <= m; i += 1) {
    const lastMinj = minj;
    const lastLength = currentLength;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let value = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj += 1) {
      const j = jj + minj;
      value = (column[jj + minj - lastMinj]! * i + value * j) / (i + j);
      column[jj] = value;
    }
    currentLength = maxj - minj;
    if (lastLength > currentLength) column.fill(1, maxj - minj, maxj - minj + (lastLength - currentLength));
  }
  return column[maxj - minj - 1]!;
}

function sortedCopy(values: ArrayLike<number>, name: string): Float64Array {
  const copy = Float64Array.from(values);
  const nan = copy.findIndex((value) => Number.isNaN(value));
  if (nan >= 0) throw new RangeError(`ks2samp: ${name}[${nan}] is NaN; leave missing values out before testing`);
  if (copy.length === 0) throw new RangeError(`ks2samp: sample ${name} is empty`);
  return copy.sort();
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function gcd(a: number, b: number): number {
  let [x, y] = [a, b];
  while (y) [x, y] = [y, x % y];
  return x;
}

/** numpy's round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
