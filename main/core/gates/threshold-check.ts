import { classificationMetrics, lowerIsBetter, regressionMetrics, type GateMetric, type Threshold } from '../../../shared/contract/gates.ts';
import { failure } from '../errors.ts';
import { check, figure, type CheckResult } from './check-result.ts';
import type { LoadedSpec } from './gate-spec-file.ts';

/** A threshold and where it was written: the spec (with its JSON path) or the command line. */
export interface PlacedThreshold extends Threshold {
  text: string;
  from: { spec: readonly PropertyKey[] } | { flag: number };
}

/** Every threshold names a metric this task has, or the run is refused saying where it was written. */
export function checkThresholdMetrics(thresholds: readonly PlacedThreshold[], task: 'classification' | 'regression', spec: LoadedSpec): void {
  const known: readonly string[] = task === 'classification' ? classificationMetrics : regressionMetrics;
  for (const threshold of thresholds) {
    if (known.includes(threshold.metric)) continue;
    const problem = `"${threshold.metric}" is not a metric of a ${task} model; its metrics are ${known.join(', ')}`;
    if ('spec' in threshold.from) {
      const at = spec.locate(threshold.from.spec);
      throw failure('INVALID_INPUT', `${at.file} line ${at.line}: ${at.field}: ${problem}.`, { hint: `Fix the threshold "${threshold.text}" in ${at.file}.`, location: at });
    }
    throw failure('INVALID_INPUT', `--require "${threshold.text}": ${problem}.`, { location: { field: `require[${threshold.from.flag}]` } });
  }
}

export function thresholdChecks(thresholds: readonly PlacedThreshold[], metrics: Partial<Record<GateMetric, number | null>>, where: string): CheckResult[] {
  return thresholds.map((threshold) => {
    const id = `model.threshold.${threshold.metric}`;
    const title = `${threshold.metric} ${threshold.operator} ${threshold.value}`;
    const value = metrics[threshold.metric as GateMetric];
    const details = { metric: threshold.metric, operator: threshold.operator, threshold: threshold.value, value: value ?? null, from: 'flag' in threshold.from ? '--require' : 'spec' };
    if (value === null || value === undefined) return check('model', id, title, 'fail', `${threshold.metric} could not be computed on ${where} (for instance, ROC AUC needs both classes present), so "${threshold.text}" is not met.`, details);
    const met = compare(value, threshold.operator, threshold.value);
    const better = lowerIsBetter.includes(threshold.metric as GateMetric) ? 'lower' : 'higher';
    return met
      ? check('model', id, title, 'pass', `${threshold.metric} is ${figure(value)} on ${where}, meeting ${threshold.operator} ${threshold.value}.`, details)
      : check('model', id, title, 'fail', `${threshold.metric} is ${figure(value)} on ${where}, short of ${threshold.operator} ${threshold.value} (${better} is better).`, details);
  });
}

function compare(value: number, operator: Threshold['operator'], bound: number): boolean {
  if (operator === '>=') return value >= bound;
  if (operator === '>') return value > bound;
  if (operator === '<=') return value <= bound;
  return value < bound;
}
