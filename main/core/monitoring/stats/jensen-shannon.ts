/**
 * The Jensen–Shannon distance, scipy's `scipy.spatial.distance.jensenshannon(p, q, base)`:
 * √(½ KL(p‖m) + ½ KL(q‖m)) with m = (p + q)/2, after each vector is divided by its sum; natural
 * log unless a base is given. Zero entries add nothing (0·log 0 = 0), so no floor is needed; it is
 * 0 for identical vectors and at most √(ln 2) (1 in base 2) for disjoint ones. Where rounding
 * would make the sum a hair below 0 it answers 0, not scipy's NaN.
 */
export function jensenShannon(p: readonly number[], q: readonly number[], base?: number): number {
  if (p.length !== q.length) throw new RangeError(`jensenShannon: p has ${p.length} entries but q has ${q.length}`);
  if (p.length === 0) throw new RangeError('jensenShannon: p and q are empty');
  const pSum = checkedSum(p, 'p');
  const qSum = checkedSum(q, 'q');
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i += 1) {
    const pi = p[i]! / pSum;
    const qi = q[i]! / qSum;
    left += entropyAgainstMiddle(pi, qi);
    right += entropyAgainstMiddle(qi, pi);
  }
  let js = left + right;
  if (base !== undefined) {
    if (!(base > 0 && base !== 1 && Number.isFinite(base))) throw new RangeError(`jensenShannon: base ${base} is not a logarithm base (positive, finite, not 1)`);
    js /= Math.log(base);
  }
  return Math.sqrt(Math.max(0, js / 2));
}

/**
 * scipy's rel_entr(x, m) = x log(x / m) with m = (x + y)/2, 0 at x = 0, written as
 * x log(2x / (x + y)): the same double (halving and doubling are exact) except that a
 * subnormal x no longer makes m underflow to 0 and the term infinite.
 */
function entropyAgainstMiddle(x: number, y: number): number {
  if (x === 0) return 0;
  return x * Math.log((2 * x) / (x + y));
}

function checkedSum(values: readonly number[], name: string): number {
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i]!;
    if (!(value >= 0 && Number.isFinite(value))) throw new RangeError(`jensenShannon: ${name}[${i}] is ${value}; entries must be finite and ≥ 0`);
    sum += value;
  }
  if (sum === 0) throw new RangeError(`jensenShannon: ${name} sums to 0, so it is no distribution`);
  return sum;
}
