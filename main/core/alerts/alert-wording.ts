import type { ColumnDrift } from '../../../shared/contract/monitoring.ts';

/**
 * The words alerts use for numbers and drift scores, so that every summary reads the same:
 * "Wasserstein 0.31 ≥ 0.1", "KS p-value 0.003 < 0.05", "4.2 %", "830 ms".
 */

const METHOD_NAMES: Record<ColumnDrift['method'], string> = {
  ks: 'KS p-value',
  chisquare: 'chi-square p-value',
  z: 'Z-test p-value',
  wasserstein: 'Wasserstein',
  jensenshannon: 'Jensen–Shannon',
  psi: 'PSI',
};

export function methodName(method: ColumnDrift['method']): string {
  return METHOD_NAMES[method];
}

/** "Wasserstein 0.31 ≥ 0.1" (a distance at or above its threshold) or "KS p-value 0.003 < 0.05". */
export function driftScoreText(drift: Pick<ColumnDrift, 'method' | 'score' | 'threshold' | 'pValue'>): string {
  return `${methodName(drift.method)} ${number(drift.score)} ${drift.pValue ? '<' : '≥'} ${number(drift.threshold)}`;
}

/** A number in at most 3 significant digits, without trailing zeros or exponent noise for the usual ranges. */
export function number(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  if (magnitude < 0.001) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

export function percent(share: number): string {
  return `${number(share * 100)} %`;
}

/** "in window 12" or "in 3 windows in a row (10–12)". */
export function windowsText(indexes: readonly number[]): string {
  if (indexes.length === 1) return `in window ${indexes[0]}`;
  const sorted = [...indexes].sort((a, b) => a - b);
  return `in ${sorted.length} windows in a row (${sorted[0]}–${sorted.at(-1)})`;
}
