import { twoSidedNormalP } from './gamma-function.ts';

/**
 * Evidently's proportions Z-test for a column with at most two categories: the first category in
 * sorted order counts as 0 and any other as 1, and the two shares are compared with the pooled
 * standard error, two-sided. Both samples holding one and the same category give p = 1, as in
 * Evidently. Counts are per category; categories absent from a map count 0.
 */
export function proportionsZTest(reference: Map<string, number>, current: Map<string, number>): { statistic: number; pValue: number } {
  const n1 = total(reference, 'reference');
  const n2 = total(current, 'current');
  const present = (counts: Map<string, number>) => [...counts].filter(([, count]) => count > 0).map(([key]) => key);
  const referenceKeys = present(reference);
  const currentKeys = present(current);
  if (referenceKeys.length === 1 && currentKeys.length === 1 && referenceKeys[0] === currentKeys[0]) return { statistic: 0, pValue: 1 };
  const first = [...new Set([...referenceKeys, ...currentKeys])].sort(compareKeys)[0]!;
  const p1 = (n1 - (reference.get(first) ?? 0)) / n1;
  const p2 = (n2 - (current.get(first) ?? 0)) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const statistic = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic, pValue: twoSidedNormalP(statistic) };
}

/** Numbers (a numeric column's values as text) in numeric order, as pandas sorts them; text by code point. */
function compareKeys(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

function total(counts: Map<string, number>, name: string): number {
  let sum = 0;
  for (const [key, count] of counts) {
    if (!(count >= 0 && Number.isFinite(count))) throw new RangeError(`proportionsZTest: ${name} count of '${key}' is ${count}; counts must be finite and ≥ 0`);
    sum += count;
  }
  if (sum === 0) throw new RangeError(`proportionsZTest: the ${name} sample is empty`);
  return sum;
}
