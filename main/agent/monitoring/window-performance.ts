import type { Interval, ReferenceProfile, WindowPerformance } from '../../../shared/contract/monitoring.ts';
import { meanInterval, rmseInterval, wilsonInterval } from '../../core/monitoring/stats/intervals.ts';

/**
 * How a window's predictions fared against the labels that have arrived for them so far:
 * accuracy with its 95 % Wilson interval (classifiers), RMSE and MAE with theirs (regressors), and
 * the same per slice — each value of a categorical input with at most MAX_SLICE_CATEGORIES
 * categories. Recomputed from the store's labelled rows, so a late label simply shows up the next
 * time the window is read.
 */
export const MAX_SLICE_CATEGORIES = 10;

export type TaskKind = 'classification' | 'regression';

export interface LabelledRow {
  inputs: Record<string, unknown>;
  predicted: string | number;
  label: string | number | null;
}

export function windowPerformance(rows: readonly LabelledRow[], task: TaskKind, sliceColumns: readonly string[]): Omit<WindowPerformance, 'estimate'> {
  const labelled = rows.filter((row) => row.label !== null);
  const metric = task === 'classification' ? accuracyOf(labelled) : null;
  const slices = sliceColumns.flatMap((column) => {
    const groups = new Map<string, LabelledRow[]>();
    for (const row of labelled) {
      const value = row.inputs[column];
      if (value === null || value === undefined) continue;
      const key = String(value);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(row);
    }
    return [...groups]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([value, group]) => ({ slice: `${column}=${value}`, labelled: group.length, metric: task === 'classification' ? accuracyOf(group) : regressionOf(group).rmse }));
  });
  const regression = task === 'regression' ? regressionOf(labelled) : { rmse: null, mae: null };
  return { labelled: labelled.length, accuracy: metric, rmse: regression.rmse, mae: regression.mae, slices };
}

/** Whether a labelled prediction was right: the same class, however the label was spelled (3 and "3" agree). */
export function isCorrect(predicted: string | number, label: string | number): boolean {
  return String(predicted) === String(label);
}

/** The task the window's reference states; without one, what the predictions look like (classes are strings). */
export function taskOf(reference: ReferenceProfile | null, predicted: string | number | undefined): TaskKind {
  if (reference) return reference.task.kind;
  return typeof predicted === 'number' ? 'regression' : 'classification';
}

/** The categorical inputs few enough in categories to slice by: as the reference counts them, else as the rows show them. */
export function sliceColumnsOf(reference: ReferenceProfile | null, rows: readonly { inputs: Record<string, unknown> }[]): string[] {
  if (reference) {
    return reference.features.filter((feature) => feature.kind === 'categorical' && Object.keys(feature.counts).length <= MAX_SLICE_CATEGORIES).map((feature) => feature.name);
  }
  const seen = new Map<string, Set<string>>();
  for (const row of rows) {
    for (const [column, value] of Object.entries(row.inputs)) {
      if (typeof value !== 'string') continue;
      let values = seen.get(column);
      if (!values) seen.set(column, (values = new Set()));
      values.add(value);
    }
  }
  return [...seen].filter(([, values]) => values.size <= MAX_SLICE_CATEGORIES).map(([column]) => column);
}

function accuracyOf(rows: readonly LabelledRow[]): Interval | null {
  const right = rows.reduce((sum, row) => sum + (isCorrect(row.predicted, row.label!) ? 1 : 0), 0);
  const interval = wilsonInterval(right, rows.length);
  return interval && { value: right / rows.length, ...interval };
}

function regressionOf(rows: readonly LabelledRow[]): { rmse: Interval | null; mae: Interval | null } {
  const errors: number[] = [];
  for (const row of rows) {
    const predicted = Number(row.predicted);
    const label = Number(row.label);
    if (Number.isFinite(predicted) && Number.isFinite(label)) errors.push(predicted - label);
  }
  const mae = meanInterval(errors.map(Math.abs));
  return { rmse: rmseInterval(errors), mae: mae && { value: mae.mean, low: Math.max(0, mae.low), high: mae.high } };
}
