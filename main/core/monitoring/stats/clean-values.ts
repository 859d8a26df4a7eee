/** A raw numeric column sorted, with what was left out: Evidently drops NaN and ±Infinity. */
export interface CleanNumbers {
  sorted: Float64Array;
  missing: number;
  infinite: number;
}

export function cleanNumbers(values: ArrayLike<number | null>): CleanNumbers {
  const kept = new Float64Array(values.length);
  let length = 0;
  let missing = 0;
  let infinite = 0;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value === null || value === undefined || Number.isNaN(value)) missing += 1;
    else if (value === Infinity || value === -Infinity) infinite += 1;
    else if (typeof value !== 'number') throw new TypeError(`value ${i} is ${typeof value} ${JSON.stringify(value)}, not a number; give a numeric column numbers (null for missing)`);
    else kept[length++] = value;
  }
  return { sorted: kept.subarray(0, length).sort(), missing, infinite };
}

/** A raw categorical column as counts per category, with the missing (null) count. */
export interface CategoryCounts {
  counts: Map<string, number>;
  count: number;
  missing: number;
}

export function countCategories(values: ArrayLike<string | null>): CategoryCounts {
  const counts = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) {
      missing += 1;
      continue;
    }
    if (typeof value !== 'string') throw new TypeError(`value ${i} is ${typeof value} ${JSON.stringify(value)}, not a category; give a categorical column strings (null for missing)`);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return { counts, count: values.length - missing, missing };
}

/** How many distinct values a sorted array holds. */
export function countDistinct(sorted: Float64Array): number {
  let distinct = 0;
  for (let i = 0; i < sorted.length; i += 1) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct += 1;
  return distinct;
}

/** Distinct values of a sorted array and how often each occurs. */
export function distinctCounts(sorted: Float64Array): { values: Float64Array; counts: Float64Array } {
  const distinct = countDistinct(sorted);
  const values = new Float64Array(distinct);
  const counts = new Float64Array(distinct);
  let k = -1;
  for (let i = 0; i < sorted.length; i += 1) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) values[++k] = sorted[i]!;
    counts[k] = counts[k]! + 1;
  }
  return { values, counts };
}

/**
 * Mean and population standard deviation (numpy's np.std, ddof 0), two passes. Values past
 * ±1e150 are scaled down first, so squares and sums that would overflow a double do not turn
 * the std into Infinity or NaN.
 */
export function meanAndStd(values: Float64Array): { mean: number; std: number } {
  if (values.length === 0) return { mean: Number.NaN, std: Number.NaN };
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  const scale = largest > 1e150 ? largest : 1;
  let sum = 0;
  for (const value of values) sum += value / scale;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value / scale - mean) * (value / scale - mean);
  return { mean: mean * scale, std: Math.sqrt(squares / values.length) * scale };
}
