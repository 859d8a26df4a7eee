import { countBelow, type NumericReference } from './numeric-reference.ts';

/**
 * Evidently's `get_binned_data` for Jensen–Shannon and PSI: a numeric column whose reference has
 * more than 20 distinct values goes into numpy's Sturges bins over both samples together
 * (`np.histogram_bin_edges(concat(reference, current), bins='sturges')`); any other column gets
 * one bin per value or category seen in either. Each side's bins are shares of its own rows.
 * PSI then floors empty bins (psi.ts); Jensen–Shannon does not (Evidently passes
 * `feel_zeroes=False` for it), since 0 · log 0 = 0 keeps it finite.
 */
export interface BinnedShares {
  reference: number[];
  current: number[];
  /** 'sturges' with the bin count, or 'values' with the number of values or categories. */
  bins: { kind: 'sturges' | 'values'; count: number };
}

/** Above this many distinct reference values, numbers are binned rather than counted by value. */
export const VALUE_BINS_LIMIT = 20;

export function numericShares(reference: NumericReference, current: Float64Array): BinnedShares {
  // A quantile sketch keeps no count per value: it is binned, whatever its distinct count.
  if (reference.distinct > VALUE_BINS_LIMIT || !reference.exact) {
    const edges = sturgesEdges(Math.min(reference.min, current[0]!), Math.max(reference.max, current[current.length - 1]!), reference.count + current.length);
    const referenceBelow = edges.map((edge) => countBelow(reference, edge));
    const currentBelow = edges.map((edge) => firstAtLeast(current, edge));
    // np.histogram's bins are [a, b) except the last, [a, b], which takes everything left.
    referenceBelow[edges.length - 1] = reference.count;
    currentBelow[edges.length - 1] = current.length;
    const shares = (below: number[], total: number) => below.slice(1).map((upTo, i) => (upTo - below[i]!) / total);
    return { reference: shares(referenceBelow, reference.count), current: shares(currentBelow, current.length), bins: { kind: 'sturges', count: edges.length - 1 } };
  }
  const exact = reference.exact;
  const referenceCounts = new Map<number, number>();
  exact.values.forEach((value, i) => referenceCounts.set(value, exact.counts[i]!));
  const currentCounts = new Map<number, number>();
  for (const value of current) currentCounts.set(value, (currentCounts.get(value) ?? 0) + 1);
  const keys = [...new Set([...referenceCounts.keys(), ...currentCounts.keys()])].sort((a, b) => a - b);
  return {
    reference: keys.map((key) => (referenceCounts.get(key) ?? 0) / reference.count),
    current: keys.map((key) => (currentCounts.get(key) ?? 0) / current.length),
    bins: { kind: 'values', count: keys.length },
  };
}

export function categoryShares(reference: Map<string, number>, referenceCount: number, current: Map<string, number>, currentCount: number): BinnedShares {
  const keys = [...new Set([...reference.keys(), ...current.keys()])];
  return {
    reference: keys.map((key) => (reference.get(key) ?? 0) / referenceCount),
    current: keys.map((key) => (current.get(key) ?? 0) / currentCount),
    bins: { kind: 'values', count: keys.length },
  };
}

/**
 * numpy's `histogram_bin_edges(x, bins='sturges')` for data of `size` values between min and
 * max: width (max − min) / (log₂ size + 1), ceil(range / width) bins, edges by `np.linspace`
 * (start + i·step, the last exactly max); a constant sample gets one bin, [x − ½, x + ½].
 */
export function sturgesEdges(min: number, max: number, size: number): number[] {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const sturges = Math.log2(size) + 1;
  if (!Number.isFinite(last - first)) {
    // A range past the largest double, where numpy gives up: Sturges' count, steps taken in halves.
    const bins = Math.ceil(sturges);
    const step = last / bins - first / bins;
    return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? last : first + i * step));
  }
  const width = (max - min) / sturges;
  const bins = width ? Math.ceil((last - first) / width) : 1;
  const step = (last - first) / bins;
  const edges = new Array<number>(bins + 1);
  for (let i = 0; i <= bins; i += 1) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/** How many of the sorted values are below x: numpy's searchsorted(side='left'). */
function firstAtLeast(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < x) low = middle + 1;
    else high = middle;
  }
  return low;
}
