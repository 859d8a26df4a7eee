import type { CategoricalReference, Distribution, NumericReference } from '../../../shared/contract/monitoring.ts';

/**
 * The overlay a person looks at when a column drifts: the reference's and the window's shares over
 * the same bins (numbers: NUMERIC_BINS equal-width bins over both ranges) or the same categories
 * (the most common, up to MAX_CATEGORIES, the rest as "(other)"). A reference kept as a sketch
 * (quantile points) counts each point as the share of rows its level stands for. Without a
 * reference the reference shares are empty: there is nothing to overlay.
 */
export const NUMERIC_BINS = 10;
export const MAX_CATEGORIES = 20;
export const OTHER = '(other)';

export function numericDistribution(reference: NumericReference | null, current: readonly number[]): Distribution {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of current) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (reference && reference.rows > 0) {
    low = Math.min(low, reference.min);
    high = Math.max(high, reference.max);
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) return { bins: [], reference: [], current: [] };
  const bins = high > low ? NUMERIC_BINS : 1;
  const width = (high - low) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? high : low + i * width));
  const binOf = (value: number) => (width === 0 ? 0 : Math.min(bins - 1, Math.max(0, Math.floor((value - low) / width))));
  return {
    bins: edges,
    reference: reference && reference.values.length > 0 ? shares(reference.values, bins, binOf, pointWeights(reference)) : [],
    current: shares(current, bins, binOf),
  };
}

/** Quantile points at uneven levels stand for the share of rows between their neighbours' midpoints; even ones for equal shares. */
function pointWeights(reference: NumericReference): number[] | undefined {
  const levels = reference.exact ? null : reference.levels;
  if (!levels || levels.length !== reference.values.length || levels.length < 2) return undefined;
  const last = levels.length - 1;
  return levels.map((_, i) => ((i === last ? levels[last]! : (levels[i]! + levels[i + 1]!) / 2) - (i === 0 ? levels[0]! : (levels[i - 1]! + levels[i]!) / 2)));
}

export function categoricalDistribution(reference: CategoricalReference | null, current: readonly string[]): Distribution {
  const currentCounts = new Map<string, number>();
  for (const value of current) currentCounts.set(value, (currentCounts.get(value) ?? 0) + 1);
  const referenceCounts = new Map(Object.entries(reference?.counts ?? {}));
  const referenceTotal = sum(referenceCounts.values());
  // Ranked by their share of either side, so a category new in the window shows even when the reference is large.
  const share = (category: string) => Math.max((referenceCounts.get(category) ?? 0) / (referenceTotal || 1), (currentCounts.get(category) ?? 0) / (current.length || 1));
  const all = [...new Set([...referenceCounts.keys(), ...currentCounts.keys()])].filter((category) => category !== OTHER);
  all.sort((a, b) => share(b) - share(a) || (a < b ? -1 : 1));
  const shown = all.slice(0, MAX_CATEGORIES);
  const folded = all.length > shown.length || referenceCounts.has(OTHER);
  const bins = folded ? [...shown, OTHER] : shown;
  const sharesOf = (counts: Map<string, number>, total: number) => {
    const values = shown.map((category) => (total === 0 ? 0 : (counts.get(category) ?? 0) / total));
    if (folded) values.push(total === 0 ? 0 : Math.max(0, 1 - values.reduce((a, b) => a + b, 0)));
    return values;
  };
  return { bins, reference: reference ? sharesOf(referenceCounts, referenceTotal) : [], current: sharesOf(currentCounts, current.length) };
}

function shares(values: readonly number[], bins: number, binOf: (value: number) => number, weights?: readonly number[]): number[] {
  const counts = new Array<number>(bins).fill(0);
  let total = 0;
  values.forEach((value, i) => {
    const weight = weights?.[i] ?? 1;
    counts[binOf(value)]! += weight;
    total += weight;
  });
  return counts.map((count) => (total === 0 ? 0 : count / total));
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
