import type { ColumnWindow, DriftVerdict, WindowSummary } from '../../../../shared/contract/monitoring.ts';

/**
 * How strongly a cell is coloured: 0–2 are shades of "no drift" (2: close to the threshold), 3–5
 * shades of "drift" (5: far past it). "Not enough data" and "not judged" have no level: they are
 * drawn apart (hatched grey), never in a no-drift colour.
 */
export type DriftLevel = 0 | 1 | 2 | 3 | 4 | 5;

export interface StripCell {
  readonly window: number;
  /** `absent`: the window judged nothing for this row (no reference for its version, or the column missing). */
  readonly verdict: DriftVerdict | 'absent';
  readonly level: DriftLevel | null;
  readonly column: ColumnWindow | null;
  /** What a person reads on hover or with a screen reader. */
  readonly label: string;
}

export interface StripRow {
  /** A feature's name, or "prediction" for the model's output. */
  readonly name: string;
  readonly kind: 'feature' | 'prediction';
  readonly cells: readonly StripCell[];
}

export interface DriftStrip {
  /** Window indexes, oldest first: the columns. */
  readonly windows: readonly number[];
  readonly rows: readonly StripRow[];
  /** Windows left out on the left because the strip shows only the latest `maxColumns`. */
  readonly hidden: number;
}

/**
 * How far a score is towards (below 1) or past (1 and above) its threshold, in the direction the
 * method means: a distance drifts at or above its threshold, a p-value below it.
 */
export function thresholdRatio(drift: ColumnWindow['drift']): number {
  const { score, threshold, pValue } = drift;
  if (!Number.isFinite(score) || !Number.isFinite(threshold)) return Number.NaN;
  if (pValue) return score <= 0 ? Number.POSITIVE_INFINITY : threshold / score;
  return threshold <= 0 ? (score > 0 ? Number.POSITIVE_INFINITY : 0) : score / threshold;
}

/** The colour level of a judged cell: the agent's verdict decides the hue, the ratio only the shade. */
export function driftLevel(drift: ColumnWindow['drift']): DriftLevel | null {
  if (drift.verdict === 'not-enough-data') return null;
  const ratio = thresholdRatio(drift);
  if (drift.verdict === 'drift') return !(ratio < 2) ? (ratio >= 4 ? 5 : 4) : 3;
  if (!Number.isFinite(ratio) || ratio < 0.5) return 0;
  return ratio < 0.8 ? 1 : 2;
}

const METHOD_NAMES: Record<ColumnWindow['drift']['method'], string> = {
  ks: 'KS p-value',
  chisquare: 'chi-square p-value',
  z: 'Z-test p-value',
  wasserstein: 'Wasserstein distance',
  jensenshannon: 'Jensen–Shannon distance',
  psi: 'PSI',
};

export const methodName = (method: ColumnWindow['drift']['method']): string => METHOD_NAMES[method];

/** A score to 3 significant digits (p-values near 0 in scientific notation). */
export function formatScore(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 0.001) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

/** "drifted: Wasserstein distance 0.31 ≥ 0.1", "no drift: KS p-value 0.42 ≥ 0.05", "not enough data: 12 rows, 30 needed". */
export function verdictSentence(column: ColumnWindow): string {
  const { drift } = column;
  if (drift.verdict === 'not-enough-data') return `not enough data${drift.reason ? `: ${drift.reason}` : ''}`;
  const drifted = drift.verdict === 'drift';
  const comparison = drift.pValue ? (drifted ? '<' : '≥') : drifted ? '≥' : '<';
  return `${drifted ? 'drifted' : 'no drift'}: ${methodName(drift.method)} ${formatScore(drift.score)} ${comparison} ${formatScore(drift.threshold)}`;
}

function cellOf(window: WindowSummary, rowName: string, column: ColumnWindow | null | undefined): StripCell {
  if (!column) {
    const why = window.reference === null ? 'no reference to judge against' : `no ${rowName} in this window`;
    return { window: window.index, verdict: 'absent', level: null, column: null, label: `${rowName}, window ${window.index}: not judged (${why})` };
  }
  return { window: window.index, verdict: column.drift.verdict, level: driftLevel(column.drift), column, label: `${rowName}, window ${window.index}: ${verdictSentence(column)}` };
}

/**
 * The heat strip: one row per feature (in the order the windows list them, features that appear
 * later added after), then the prediction; one column per window, oldest first, the latest
 * `maxColumns` of them.
 */
export function driftStrip(windows: readonly WindowSummary[], maxColumns = 48): DriftStrip {
  const shown = windows.slice(Math.max(0, windows.length - maxColumns));
  const names: string[] = [];
  const seen = new Set<string>();
  for (const window of shown) {
    for (const feature of window.features) {
      if (seen.has(feature.name)) continue;
      seen.add(feature.name);
      names.push(feature.name);
    }
  }
  const rows: StripRow[] = names.map((name) => ({
    name,
    kind: 'feature',
    cells: shown.map((window) => cellOf(window, name, window.features.find((feature) => feature.name === name))),
  }));
  if (shown.some((window) => window.prediction !== null)) {
    rows.push({ name: 'prediction', kind: 'prediction', cells: shown.map((window) => cellOf(window, 'prediction', window.prediction)) });
  }
  return { windows: shown.map((window) => window.index), rows, hidden: windows.length - shown.length };
}

/**
 * The windows the page shows: those the workspace kept, updated by the agent's own answer (which
 * is newer, and holds the window still open), oldest first.
 */
export function mergeWindows(kept: readonly WindowSummary[], live: readonly WindowSummary[]): WindowSummary[] {
  const byIndex = new Map<number, WindowSummary>();
  for (const window of kept) byIndex.set(window.index, window);
  for (const window of live) byIndex.set(window.index, window);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** What changes when a window changes: its rows, whether it closed, its labels. Equal signatures: nothing new to draw. */
export function windowsSignature(windows: readonly WindowSummary[]): string {
  return windows.map((window) => `${window.index}:${window.rows}:${window.endedAt ?? 'open'}:${window.performance.labelled}:${window.reference?.version ?? '-'}`).join(',');
}
