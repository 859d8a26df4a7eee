import type { GateSpec } from '../../../shared/contract/gates.ts';
import { check, figure, list, type CheckResult } from './check-result.ts';
import type { SliceMetric } from './slice-metrics.ts';

/** The worst slice with enough rows against the spec's floor (accuracy) or ceiling (MAE). */
export function sliceCheck(spec: GateSpec['model']['slices'], slices: readonly SliceMetric[], columns: readonly string[], where: string): CheckResult {
  const title = 'Worst slice';
  const details = { minSupport: spec.minSupport, floor: spec.floor, maxError: spec.maxError, columns, slices: slices.slice(0, 50) };
  if (columns.length === 0) return check('model', 'model.slices', title, 'skip', 'The model reads no categorical column to slice by (name some in model.slices.columns).', details);
  const worst = slices[0];
  if (!worst) return check('model', 'model.slices', title, 'skip', `No slice of ${list(columns)} has ${spec.minSupport} rows or more in ${where} (model.slices.minSupport).`, details);
  const name = (slice: SliceMetric) => `${slice.column} = ${slice.value === null ? '(missing)' : JSON.stringify(slice.value)}`;
  if (worst.metric === 'accuracy') {
    const failing = slices.filter((slice) => slice.score < spec.floor);
    if (failing.length > 0) {
      return check('model', 'model.slices', title, 'fail', `Accuracy falls below the floor of ${spec.floor} on ${list(failing.map((slice) => `${name(slice)} (${figure(slice.score)} on ${slice.rows.toLocaleString('en')} rows)`), 3)}.`, details);
    }
    return check('model', 'model.slices', title, 'pass', `Every slice of ${list(columns)} with ${spec.minSupport}+ rows has accuracy ≥ ${spec.floor}; the worst is ${name(worst)} at ${figure(worst.score)} (${worst.rows.toLocaleString('en')} rows).`, details);
  }
  if (spec.maxError === null) {
    return check('model', 'model.slices', title, 'pass', `The worst slice is ${name(worst)}, MAE ${figure(worst.score)} on ${worst.rows.toLocaleString('en')} rows (no ceiling set: model.slices.maxError).`, details);
  }
  const failing = slices.filter((slice) => slice.score > spec.maxError!);
  if (failing.length > 0) return check('model', 'model.slices', title, 'fail', `MAE exceeds ${spec.maxError} on ${list(failing.map((slice) => `${name(slice)} (${figure(slice.score)} on ${slice.rows.toLocaleString('en')} rows)`), 3)}.`, details);
  return check('model', 'model.slices', title, 'pass', `Every slice with ${spec.minSupport}+ rows has MAE ≤ ${spec.maxError}; the worst is ${name(worst)} at ${figure(worst.score)}.`, details);
}
