import type { ColumnKind } from './column-sample.ts';

export type DriftMethod = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi';

/**
 * Each method as Evidently registers it: its default threshold, whether its score is a p-value,
 * and how a score crosses the threshold. KS drifts at p ≤ threshold, chi-square and Z at
 * p < threshold (Evidently's own comparisons), distances at score ≥ threshold. Chi-square and Z
 * also take a numeric column, by value, as Evidently's default choice does for ≤ 5 values.
 */
export const DRIFT_METHODS: Record<DriftMethod, { name: string; threshold: number; pValue: boolean; kinds: readonly ColumnKind[]; drifts: (score: number, threshold: number) => boolean }> = {
  ks: { name: 'two-sample Kolmogorov–Smirnov p-value', threshold: 0.05, pValue: true, kinds: ['numeric'], drifts: (p, t) => p <= t },
  chisquare: { name: 'chi-square p-value', threshold: 0.05, pValue: true, kinds: ['categorical', 'numeric'], drifts: (p, t) => p < t },
  z: { name: 'proportions Z-test p-value', threshold: 0.05, pValue: true, kinds: ['categorical', 'numeric'], drifts: (p, t) => p < t },
  wasserstein: { name: 'Wasserstein distance / reference std', threshold: 0.1, pValue: false, kinds: ['numeric'], drifts: (d, t) => d >= t },
  jensenshannon: { name: 'Jensen–Shannon distance', threshold: 0.1, pValue: false, kinds: ['categorical', 'numeric'], drifts: (d, t) => d >= t },
  psi: { name: 'population stability index', threshold: 0.1, pValue: false, kinds: ['categorical', 'numeric'], drifts: (d, t) => d >= t },
};

/** At most this many reference rows is a small reference: the tests; above it, the distances. */
export const SMALL_REFERENCE_ROWS = 1000;

/**
 * Evidently's default choice (`_get_default_stattest`), by the reference's row count (missing
 * values left out) and the number of distinct values in reference and window together.
 */
export function defaultMethod(kind: ColumnKind, referenceRows: number, distinctValues: number): DriftMethod {
  if (referenceRows <= SMALL_REFERENCE_ROWS) {
    if (kind === 'numeric' && distinctValues > 5) return 'ks';
    return distinctValues > 2 ? 'chisquare' : 'z';
  }
  return kind === 'numeric' && distinctValues > 5 ? 'wasserstein' : 'jensenshannon';
}
