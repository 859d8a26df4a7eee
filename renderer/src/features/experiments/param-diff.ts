import { datasetLabel } from './run-columns.ts';
import type { RunSummary } from '../../../../shared/contract/runs.ts';
import { metricNumber } from '../../../../shared/contract/runs.ts';

/** One row of the compare table: a param (or the dataset, or a metric) and each run's value. */
export interface CompareRow {
  readonly section: 'param' | 'dataset' | 'metric';
  readonly key: string;
  /** One per run, in the runs' order; null where a run has none. */
  readonly values: readonly (string | null)[];
  /** Not every run has the same value (a run without it counts as different). */
  readonly differs: boolean;
  /** For a metric: the run with the best value (the lowest loss, the highest accuracy), when they differ. */
  readonly best: number | null;
}

/** Losses and errors are better low; every other metric (accuracy, F1, AUC, R²) high. */
export const lowerIsBetter = (key: string): boolean => /loss|error|mse|mae|rmse|perplexity/i.test(key);

function bestIndex(key: string, numbers: readonly (number | null)[]): number | null {
  let best: number | null = null;
  numbers.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) return;
    if (best === null || (lowerIsBetter(key) ? value < numbers[best]! : value > numbers[best]!)) best = index;
  });
  return best;
}

/** Whether values differ: a missing value differs from any present one. */
export function valuesDiffer(values: readonly (string | number | null)[]): boolean {
  if (values.length < 2) return false;
  const first = values[0];
  return values.some((value) => value !== first);
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * The rows of the params table: every param any run has, the dataset each read, and each
 * metric's latest value. With `onlyDiffering`, the rows where every run agrees are left out
 * ("Show only what differs", which MLflow's compare view once had).
 */
export function compareRows(runs: readonly RunSummary[], { onlyDiffering }: { onlyDiffering: boolean }): CompareRow[] {
  const paramKeys = new Set<string>();
  const metricKeys = new Set<string>();
  for (const run of runs) {
    for (const key in run.params) paramKeys.add(key);
    for (const key in run.metrics) metricKeys.add(key);
  }
  const rows: CompareRow[] = [];
  for (const key of [...paramKeys].sort(collator.compare)) {
    const values = runs.map((run) => run.params[key] ?? null);
    rows.push({ section: 'param', key, values, differs: valuesDiffer(values), best: null });
  }
  const datasets = runs.map((run) => datasetLabel(run));
  if (datasets.some((label) => label !== null)) rows.push({ section: 'dataset', key: 'dataset', values: datasets, differs: valuesDiffer(datasets), best: null });
  for (const key of [...metricKeys].sort(collator.compare)) {
    const numbers = runs.map((run) => (run.metrics[key] ? metricNumber(run.metrics[key].value) : null));
    const values = numbers.map((value) => (value === null ? null : String(value)));
    const differs = valuesDiffer(values);
    rows.push({ section: 'metric', key, values, differs, best: differs ? bestIndex(key, numbers) : null });
  }
  return onlyDiffering ? rows.filter((row) => row.differs) : rows;
}
