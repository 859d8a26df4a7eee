import { SMALL_REFERENCE_ROWS, type CategoricalReference, type NumericReference } from '../../../shared/contract/monitoring.ts';
import { cleanNumbers, meanAndStd } from './stats/clean-values.ts';
import { CATEGORY_LIMIT, OTHER_CATEGORY, QUANTILE_POINTS } from './stats/column-sample.ts';
import { quantileLevels, quantilesAtLevels } from './stats/sketch-column.ts';

/**
 * One training column summarised as the agent judges drift against it (shared/contract/
 * monitoring.ts): numbers as every value, sorted, when there are at most SMALL_REFERENCE_ROWS of
 * them (the statistical tests need them), else QUANTILE_POINTS evenly spaced quantile points, plus
 * levels halving toward both tails (sketchColumn's, so that Jensen–Shannon's outer bins keep their
 * shape), with the true count, mean and std (the distances need no more); categories as counts. NaN and ±Infinity are
 * missing, as Evidently drops them. One sort of a copy of the column: a 1,000,000-row column
 * costs 8 MB more for as long as this runs.
 */
export function numericReference(name: string, values: ArrayLike<number>): NumericReference {
  const { sorted, missing, infinite } = cleanNumbers(values);
  const rows = sorted.length;
  const { mean, std } = meanAndStd(sorted);
  const distinct = distinctUpTo(sorted, 1000);
  const exact = rows <= SMALL_REFERENCE_ROWS;
  return {
    kind: 'numeric',
    name,
    rows,
    missing: missing + infinite,
    distinct,
    mean: rows === 0 ? 0 : mean,
    std: rows === 0 ? 0 : std,
    min: rows === 0 ? 0 : sorted[0]!,
    max: rows === 0 ? 0 : sorted[rows - 1]!,
    exact,
    ...(exact ? { values: Array.from(sorted) } : (({ quantiles, levels }) => ({ values: quantiles, levels }))(quantilesAtLevels(sorted, quantileLevels(rows, QUANTILE_POINTS)))),
  };
}

/** Distinct values of a sorted array, counted up to `cap` (the walk stops there). */
function distinctUpTo(sorted: Float64Array, cap: number): number {
  let distinct = 0;
  for (let i = 0; i < sorted.length && distinct < cap; i += 1) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct += 1;
  return distinct;
}

/**
 * A categorical column from codes into `names` (-1: missing), as the table reader delivers it:
 * the CATEGORY_LIMIT most common categories by count, the rest together under OTHER_CATEGORY.
 */
export function categoricalReference(name: string, codes: ArrayLike<number>, names: readonly string[]): CategoricalReference {
  const perCode = new Float64Array(names.length);
  let missing = 0;
  for (let i = 0; i < codes.length; i += 1) {
    const code = codes[i]!;
    if (code < 0 || code >= names.length) missing += 1;
    else perCode[code]! += 1;
  }
  return countedReference(name, names.map((category, code) => [category, perCode[code]!] as [string, number]), missing);
}

/** A categorical column from (category, count) pairs; categories named twice are added together. */
export function countedReference(name: string, pairs: readonly (readonly [string, number])[], missing: number): CategoricalReference {
  const merged = new Map<string, number>();
  for (const [category, count] of pairs) if (count > 0) merged.set(category, (merged.get(category) ?? 0) + count);
  const ranked = [...merged].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const kept = new Map<string, number>();
  let rows = 0;
  ranked.forEach(([category, count], rank) => {
    rows += count;
    const key = rank < CATEGORY_LIMIT ? category : OTHER_CATEGORY;
    kept.set(key, (kept.get(key) ?? 0) + count);
  });
  // fromEntries defines each key as its own property: a category named "__proto__" stays a category.
  return { kind: 'categorical', name, rows, missing, counts: Object.fromEntries(kept) };
}
