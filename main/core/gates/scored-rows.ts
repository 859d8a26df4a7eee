import { classificationReport } from '../training/evaluation/classification-metrics.ts';
import type { GateMetric } from '../../../shared/contract/gates.ts';
import type { StoredPredictions } from './stored-predictions.ts';

/**
 * A model's predictions on the rows a gate judges, and what follows from them: each row right or
 * wrong (a classifier) or its error (a regressor), and the metrics thresholds name.
 */
export type ScoredRows = StoredPredictions;

/** 1 where the predicted class is the actual one (an actual class the model does not know counts as wrong). */
export function correctness(scored: Extract<ScoredRows, { task: 'classification' }>): Uint8Array {
  const right = new Uint8Array(scored.actual.length);
  for (let i = 0; i < right.length; i += 1) right[i] = scored.actual[i] === scored.predicted[i] ? 1 : 0;
  return right;
}

export function absoluteErrors(scored: Extract<ScoredRows, { task: 'regression' }>): Float64Array {
  const errors = new Float64Array(scored.actual.length);
  for (let i = 0; i < errors.length; i += 1) errors[i] = Math.abs(scored.predicted[i]! - scored.actual[i]!);
  return errors;
}

/** The named metrics (accuracy and the regression errors directly; the rest from the full classification report). */
export function metricsOf(scored: ScoredRows, wanted: ReadonlySet<GateMetric>): Partial<Record<GateMetric, number | null>> {
  const metrics: Partial<Record<GateMetric, number | null>> = {};
  const n = scored.actual.length;
  if (scored.task === 'regression') {
    let squares = 0;
    let absolute = 0;
    let mean = 0;
    for (let i = 0; i < n; i += 1) mean += scored.actual[i]!;
    mean /= n || 1;
    let total = 0;
    for (let i = 0; i < n; i += 1) {
      const residual = scored.predicted[i]! - scored.actual[i]!;
      squares += residual * residual;
      absolute += Math.abs(residual);
      total += (scored.actual[i]! - mean) ** 2;
    }
    metrics.rmse = n === 0 ? null : Math.sqrt(squares / n);
    metrics.mae = n === 0 ? null : absolute / n;
    metrics.r2 = n === 0 || total === 0 ? null : 1 - squares / total;
    return metrics;
  }
  let right = 0;
  for (let i = 0; i < n; i += 1) if (scored.actual[i] === scored.predicted[i]) right += 1;
  metrics.accuracy = n === 0 ? null : right / n;
  const more = [...wanted].some((metric) => metric !== 'accuracy');
  if (more && n > 0) {
    // The report needs a known actual class on every row: rows of classes the model never saw are left out of it.
    const k = scored.classes.length;
    const keep: number[] = [];
    for (let i = 0; i < n; i += 1) if (scored.actual[i]! >= 0) keep.push(i);
    const actual = Int32Array.from(keep, (i) => scored.actual[i]!);
    const probabilities = new Float32Array(keep.length * k);
    keep.forEach((i, j) => probabilities.set(scored.probabilities.subarray(i * k, i * k + k), j * k));
    const report = classificationReport(actual, probabilities, scored.classes);
    metrics.f1_macro = report.macro.f1;
    metrics.precision_macro = report.macro.precision;
    metrics.recall_macro = report.macro.recall;
    metrics.roc_auc = report.rocAuc;
    metrics.log_loss = report.logLoss;
  }
  return metrics;
}
