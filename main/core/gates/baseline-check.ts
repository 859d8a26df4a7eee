import type { GateSpec } from '../../../shared/contract/gates.ts';
import { check, figure, pValue, percent, type CheckResult } from './check-result.ts';
import { absoluteErrors, correctness, type ScoredRows } from './scored-rows.ts';
import { mcnemarExact, pairedOutcomes } from './stats/mcnemar.ts';
import { pairedBootstrap } from './stats/paired-bootstrap.ts';

/**
 * "No worse than the champion", decided on the same rows by a paired test: McNemar's exact test
 * on who got which rows right (a classifier), or a paired bootstrap interval of the difference
 * in mean absolute error (a regressor). Only evidence fails the gate: a candidate that lost a few
 * rows by chance warns; one that lost significantly more (one-sided, at the spec's significance)
 * fails, and the sentence gives the effect size either way.
 */
export interface Paired {
  candidate: ScoredRows;
  baseline: ScoredRows;
}

/** Line both models' predictions up by dataset row; null when the candidate's rows are not all among the baseline's. */
export function pairByRow(candidate: ScoredRows, baseline: ScoredRows): Paired | null {
  if (candidate.task !== baseline.task) return null;
  let largest = -1;
  for (let i = 0; i < baseline.rows.length; i += 1) largest = Math.max(largest, baseline.rows[i]!);
  const position = new Int32Array(largest + 1).fill(-1);
  for (let i = 0; i < baseline.rows.length; i += 1) position[baseline.rows[i]!] = i;
  const order = new Int32Array(candidate.rows.length);
  for (let i = 0; i < candidate.rows.length; i += 1) {
    const row = candidate.rows[i]!;
    const at = row < position.length ? position[row]! : -1;
    if (at < 0) return null;
    order[i] = at;
  }
  if (baseline.task === 'classification') {
    const cand = candidate as Extract<ScoredRows, { task: 'classification' }>;
    // Classes are matched by name: the baseline may list them in another order.
    const classOf = baseline.classes.map((name) => cand.classes.indexOf(name));
    const k = baseline.classes.length;
    const probabilities = new Float32Array(order.length * k);
    order.forEach((at, i) => probabilities.set(baseline.probabilities.subarray(at * k, at * k + k), i * k));
    return {
      candidate,
      baseline: {
        task: 'classification',
        rows: candidate.rows,
        classes: baseline.classes,
        actual: cand.actual,
        predicted: Int32Array.from(order, (at) => {
          const code = baseline.predicted[at]!;
          return code < 0 ? -1 : classOf[code]!;
        }),
        probabilities,
      },
    };
  }
  return { candidate, baseline: { task: 'regression', rows: candidate.rows, actual: (candidate as Extract<ScoredRows, { task: 'regression' }>).actual, predicted: Float64Array.from(order, (at) => baseline.predicted[at]!) } };
}

export function baselineCheck(spec: GateSpec['model']['baseline'], paired: Paired, names: { candidate: string; baseline: string; rows: string }): CheckResult {
  const { candidate, baseline } = paired;
  const alpha = spec.significance;
  const title = `No worse than ${names.baseline}`;
  if (candidate.task === 'classification' && baseline.task === 'classification') {
    const result = mcnemarExact(pairedOutcomes(correctness(baseline), correctness(candidate)));
    const effect = `accuracy ${figure(result.candidateAccuracy)} against ${figure(result.baselineAccuracy)} (${signed(result.accuracyDifference * 100)} points)`;
    const counts = `${names.candidate} alone right on ${result.candidateOnly.toLocaleString('en')} rows, ${names.baseline} alone on ${result.baselineOnly.toLocaleString('en')}`;
    const details = { test: 'McNemar exact (one-sided: candidate worse)', significance: alpha, ...result };
    if (result.pWorse < alpha) return check('model', 'model.baseline', title, 'fail', `${names.candidate} is worse than ${names.baseline} on the same ${names.rows}: ${effect}; ${counts}; McNemar's exact test ${pValue(result.pWorse)} < ${alpha}.`, details);
    if (result.accuracyDifference < 0) return check('model', 'model.baseline', title, 'warn', `${names.candidate} is slightly behind ${names.baseline} on the same ${names.rows}: ${effect}, not significant (McNemar ${pValue(result.pWorse)} ≥ ${alpha}).`, details);
    return check('model', 'model.baseline', title, 'pass', `${names.candidate} is no worse than ${names.baseline} on the same ${names.rows}: ${effect}; ${counts} (McNemar two-sided ${pValue(result.pTwoSided)}).`, details);
  }
  if (candidate.task === 'regression' && baseline.task === 'regression') {
    const confidence = 1 - 2 * alpha;
    const result = pairedBootstrap(absoluteErrors(baseline), absoluteErrors(candidate), { error: 'mae', resamples: spec.resamples, confidence, seed: spec.seed });
    const interval = `${percent(confidence)} interval ${signed(result.interval.low)} … ${signed(result.interval.high)}`;
    const effect = `MAE ${figure(result.candidateError)} against ${figure(result.baselineError)} (${signed(result.difference)}${result.relativeDifference === null ? '' : `, ${signed(result.relativeDifference * 100)}%`})`;
    const details = { test: 'paired bootstrap of the MAE difference (candidate − baseline)', significance: alpha, ...result };
    if (result.interval.low > 0) return check('model', 'model.baseline', title, 'fail', `${names.candidate} errs more than ${names.baseline} on the same ${names.rows}: ${effect}; the ${interval} lies above 0 (one-sided ${alpha}).`, details);
    if (result.difference > 0) return check('model', 'model.baseline', title, 'warn', `${names.candidate} errs slightly more than ${names.baseline} on the same ${names.rows}: ${effect}; the ${interval} includes 0, so it is not significant.`, details);
    return check('model', 'model.baseline', title, 'pass', `${names.candidate} is no worse than ${names.baseline} on the same ${names.rows}: ${effect}, ${interval}.`, details);
  }
  return check('model', 'model.baseline', title, 'fail', `${names.candidate} is a ${candidate.task} model and ${names.baseline} a ${baseline.task} model: they cannot be compared.`);
}

function signed(value: number): string {
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${figure(Math.abs(value))}`;
}
