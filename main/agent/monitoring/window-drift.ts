import type { ColumnDrift, ColumnReference, ColumnWindow, ReferenceProfile, WindowSummary } from '../../../shared/contract/monitoring.ts';
import { toLatheError } from '../../core/errors.ts';
import { columnDrift, datasetDrift } from '../../core/monitoring/stats/column-drift.ts';
import { categoricalDistribution, numericDistribution } from './column-distribution.ts';
import type { WindowRow } from './open-window.ts';
import { referenceSample } from './reference-sample.ts';

/**
 * Drift in one window: each input column and the predictions against the training reference,
 * with Evidently's default method and threshold for the reference's size and the column's kind
 * (core/monitoring/stats/column-drift.ts), and the dataset's verdict from the share of drifted
 * columns. A column with fewer than `minRows` values is "not enough data", never "no drift"; with
 * no reference nothing is judged and every column says why.
 */
export type WindowDrift = Pick<WindowSummary, 'features' | 'prediction' | 'dataset'>;

/** The same, a column at a time: it yields after each, so the agent can answer requests between columns. */
export function* judgeWindowSteps(rows: readonly WindowRow[], reference: ReferenceProfile | null, minRows: number, referenceProblem: string): Generator<void, WindowDrift> {
  const columns = reference ? reference.features.map((feature) => ({ name: feature.name, kind: feature.kind, reference: feature as ColumnReference | null })) : columnsSeen(rows);
  const features: ColumnWindow[] = [];
  for (const column of columns) {
    features.push(judgeColumn(column.name, column.kind, column.reference, rows.map((row) => row.inputs[column.name]), minRows, reference ? null : referenceProblem));
    yield;
  }
  const predictedKind = reference ? (reference.prediction?.kind ?? (reference.task.kind === 'classification' ? 'categorical' : 'numeric')) : typeof rows[0]?.predicted === 'number' ? 'numeric' : 'categorical';
  const withoutPrediction = reference && !reference.prediction ? `the training run of ${reference.model} version ${reference.version} kept no test predictions to compare with` : null;
  const prediction = rows.length === 0 ? null : judgeColumn('prediction', predictedKind, reference?.prediction ?? null, rows.map((row) => row.predicted), minRows, reference ? withoutPrediction : referenceProblem);
  const judged = features.map((feature) => feature.drift);
  const dataset = reference && judged.length > 0 ? datasetDrift(judged) : { drifted: 0, judged: 0, share: 0, verdict: 'not-enough-data' as const };
  return { features, prediction, dataset };
}

function judgeColumn(name: string, kind: 'numeric' | 'categorical', reference: ColumnReference | null, raw: readonly unknown[], minRows: number, unjudged: string | null): ColumnWindow {
  if (kind === 'numeric') {
    const values = raw.map((value) => (typeof value === 'number' && Number.isFinite(value) ? value : null));
    const present = values.filter((value): value is number => value !== null);
    const numeric = reference?.kind === 'numeric' ? reference : null;
    return {
      name,
      kind,
      rows: present.length,
      missing: values.length - present.length,
      mean: present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0) / present.length,
      drift: drift(reference, { form: 'values', kind: 'numeric', values }, minRows, unjudged),
      distribution: numericDistribution(numeric, present),
    };
  }
  const values = raw.map((value) => (value === null || value === undefined || value === '' ? null : String(value)));
  const present = values.filter((value): value is string => value !== null);
  return {
    name,
    kind,
    rows: present.length,
    missing: values.length - present.length,
    mean: null,
    drift: drift(reference, { form: 'values', kind: 'categorical', values }, minRows, unjudged),
    distribution: categoricalDistribution(reference?.kind === 'categorical' ? reference : null, present),
  };
}

function drift(reference: ColumnReference | null, current: Parameters<typeof columnDrift>[1], minRows: number, unjudged: string | null): ColumnDrift {
  if (unjudged !== null || reference === null) return notJudged(current.kind, unjudged ?? 'there is no reference for this column');
  if (reference.kind !== current.kind) return notJudged(current.kind, `the training reference holds ${reference.kind} values for it, the window ${current.kind} ones`);
  const sample = referenceSample(reference);
  if ('problem' in sample) return notJudged(current.kind, sample.problem);
  try {
    return columnDrift(sample.sample, current, { minRows });
  } catch (error) {
    return notJudged(current.kind, `it could not be judged: ${toLatheError(error).message}`);
  }
}

/** A column that could not be judged: no score to speak of (0), and the reason. */
function notJudged(kind: 'numeric' | 'categorical', reason: string): ColumnDrift {
  return { method: kind === 'numeric' ? 'wasserstein' : 'jensenshannon', score: 0, threshold: 0.1, pValue: false, verdict: 'not-enough-data', reason };
}

/** Without a reference: the columns the rows carry, numbers as numeric (in the order first seen). */
function columnsSeen(rows: readonly WindowRow[]): { name: string; kind: 'numeric' | 'categorical'; reference: null }[] {
  const kinds = new Map<string, 'numeric' | 'categorical'>();
  for (const row of rows.slice(0, 1000)) {
    for (const [name, value] of Object.entries(row.inputs)) {
      if (value === null || value === undefined) {
        if (!kinds.has(name)) kinds.set(name, 'numeric');
      } else if (typeof value !== 'number') kinds.set(name, 'categorical');
      else if (!kinds.has(name)) kinds.set(name, 'numeric');
    }
  }
  return [...kinds].map(([name, kind]) => ({ name, kind, reference: null }));
}
