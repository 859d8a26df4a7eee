import { cleanNumbers, countCategories, countDistinct, distinctCounts, meanAndStd } from './clean-values.ts';
import { CATEGORY_LIMIT, EXACT_VALUES_LIMIT, QUANTILE_POINTS, type CategoricalSketch, type ColumnKind, type ColumnSketch, type NumericSketch } from './column-sample.ts';

/**
 * The reference summary that drift is judged against when the reference is large: for numbers
 * the true count, mean and standard deviation, min and max, and either every distinct value with
 * its count (up to 1,000 of them: then every statistic stays exact) or 2,001 quantile points;
 * for categories the counts of the 1,000 most common, the rest as one "(other)". One sort of a
 * Float64Array does the numbers. The quantile levels are evenly spaced, with extra levels halving
 * toward each end (quantileLevels) so that thin tails keep their shape.
 */
export function sketchColumn(values: ArrayLike<number | null>, kind: 'numeric'): NumericSketch;
export function sketchColumn(values: ArrayLike<string | null>, kind: 'categorical'): CategoricalSketch;
export function sketchColumn(values: ArrayLike<number | null> | ArrayLike<string | null>, kind: ColumnKind): ColumnSketch;
export function sketchColumn(values: ArrayLike<number | null> | ArrayLike<string | null>, kind: ColumnKind): ColumnSketch {
  return kind === 'numeric' ? sketchNumbers(values as ArrayLike<number | null>) : sketchCategories(values as ArrayLike<string | null>);
}

function sketchNumbers(values: ArrayLike<number | null>): NumericSketch {
  const { sorted, missing, infinite } = cleanNumbers(values);
  const empty = sorted.length === 0;
  const { mean, std } = meanAndStd(sorted);
  const distinct = countDistinct(sorted);
  const support = distinct <= EXACT_VALUES_LIMIT ? distinctCounts(sorted) : null;
  return {
    form: 'sketch',
    kind: 'numeric',
    count: sorted.length,
    missing,
    infinite,
    mean: empty ? 0 : mean,
    std: empty ? 0 : std,
    min: empty ? 0 : sorted[0]!,
    max: empty ? 0 : sorted[sorted.length - 1]!,
    distinct,
    exact: support ? { values: [...support.values], counts: [...support.counts] } : null,
    ...(support ? { quantiles: null, levels: null } : quantilesAtLevels(sorted, quantileLevels(sorted.length, QUANTILE_POINTS))),
  };
}

/**
 * Evenly spaced levels i / (points − 1), plus, inside the first and last of those bands, levels
 * halving toward 0 and 1 while they still hold a value: about 2 × log₂(n / points) more points.
 */
export function quantileLevels(count: number, points: number): number[] {
  const band = 1 / (points - 1);
  const low: number[] = [];
  for (let level = band / 2; level * count >= 1; level /= 2) low.unshift(level);
  const even = Array.from({ length: points }, (_, i) => i / (points - 1));
  const high = low.map((level) => 1 - level).reverse();
  return [0, ...low, ...even.slice(1, -1), ...high, 1];
}

/** numpy's default ('linear') quantiles of sorted values at the given levels. */
export function quantilesAtLevels(sorted: Float64Array, levels: number[]): { quantiles: number[]; levels: number[] } {
  return { quantiles: levels.map((level) => quantileAt(sorted, level)), levels };
}

/** numpy's default ('linear') quantile of sorted values at one level. */
function quantileAt(sorted: Float64Array, level: number): number {
  const last = sorted.length - 1;
  if (level <= 0) return sorted[0]!;
  if (level >= 1) return sorted[last]!;
  const position = level * last;
  const low = Math.floor(position);
  const fraction = position - low;
  return fraction === 0 || low >= last ? sorted[Math.min(low, last)]! : sorted[low]! + (sorted[low + 1]! - sorted[low]!) * fraction;
}

/** numpy's default ('linear') quantiles at levels i / (points − 1); the ends are min and max. */
export function quantilePoints(sorted: Float64Array, points: number): number[] {
  return Array.from({ length: points }, (_, i) => quantileAt(sorted, i / (points - 1)));
}

function sketchCategories(values: ArrayLike<string | null>): CategoricalSketch {
  const { counts, count, missing } = countCategories(values);
  const ranked = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const kept = ranked.slice(0, CATEGORY_LIMIT);
  const rest = ranked.slice(CATEGORY_LIMIT);
  return {
    form: 'sketch',
    kind: 'categorical',
    count,
    missing,
    categories: kept,
    other: { categories: rest.length, count: rest.reduce((total, [, n]) => total + n, 0) },
  };
}
