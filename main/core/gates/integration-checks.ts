import { performance } from 'node:perf_hooks';
import type { GateSpec } from '../../../shared/contract/gates.ts';
import { toLatheError } from '../errors.ts';
import { check, figure, type CheckResult } from './check-result.ts';
import { label, type GatedVersion } from './gated-version.ts';
import { predictAll, type ServedPrediction, type ServingRuntime, type ServingTarget } from './serving-target.ts';
import type { StoredPredictions } from './stored-predictions.ts';

/**
 * Integration: the version as it will ship — its signed bundle, verified and loaded by the
 * serving runtime in a fresh worker — must predict the test rows as training did (no
 * training/serving skew: same preprocessing, same weights), and answer one row fast enough.
 */
export interface IntegrationInput {
  version: GatedVersion;
  target: ServingTarget;
  stored: StoredPredictions;
  /** The test rows as a client sends them, in the order of `stored`. */
  rows: readonly Record<string, unknown>[];
  /** Milliseconds, for latency; tests pass their own. */
  clock?: () => number;
}

export async function integrationChecks(spec: GateSpec['integration'], input: IntegrationInput): Promise<CheckResult[]> {
  const name = label(input.version);
  let runtime: ServingRuntime;
  try {
    runtime = await input.target.open(input.version);
  } catch (thrown) {
    const error = toLatheError(thrown);
    const sentence = `The serving runtime refused ${name}'s bundle: ${error.message}`;
    return [
      check('integration', 'integration.bundle', 'Signed bundle loads', 'fail', sentence, { code: error.code, ...(error.hint ? { hint: error.hint } : {}) }),
      check('integration', 'integration.predictions', 'Served predictions match training', 'skip', 'Not checked: the bundle did not load.'),
      check('integration', 'integration.latency', 'Single-row latency', 'skip', 'Not checked: the bundle did not load.'),
    ];
  }
  try {
    const loaded = check('integration', 'integration.bundle', 'Signed bundle loads', 'pass', `${name}'s signed bundle verified and loaded in a fresh serving worker.`);
    const served = await predictAll(runtime, input.rows);
    return [loaded, skewCheck(spec, input.stored, served, name), await latencyCheck(spec, runtime, input.rows, input.clock ?? (() => performance.now()))];
  } finally {
    await runtime.close();
  }
}

function skewCheck(spec: GateSpec['integration'], stored: StoredPredictions, served: readonly ServedPrediction[], name: string): CheckResult {
  const id = 'integration.predictions';
  const title = 'Served predictions match training';
  const n = stored.rows.length;
  if (served.length !== n) return check('integration', id, title, 'fail', `The runtime answered ${served.length.toLocaleString('en')} predictions for ${n.toLocaleString('en')} test rows.`);
  let differing = 0;
  let worst = { gap: 0, index: -1, served: '', stored: '' };
  for (let i = 0; i < n; i += 1) {
    const answer = served[i]!;
    let gap: number;
    let shownServed: string;
    let shownStored: string;
    if (stored.task === 'classification') {
      const k = stored.classes.length;
      const probabilities = 'probabilities' in answer ? answer.probabilities : [];
      gap = probabilities.length === k ? 0 : Number.POSITIVE_INFINITY;
      let best = 0;
      for (let c = 0; c < k && gap !== Number.POSITIVE_INFINITY; c += 1) {
        gap = Math.max(gap, Math.abs(probabilities[c]! - stored.probabilities[i * k + c]!));
        if (probabilities[c]! > probabilities[best]!) best = c;
      }
      if (gap <= spec.tolerance && best !== stored.predicted[i]) gap = Number.POSITIVE_INFINITY;
      shownServed = probabilities.map(precise).join(', ');
      shownStored = Array.from(stored.probabilities.subarray(i * k, i * k + k), precise).join(', ');
    } else {
      const value = 'value' in answer ? answer.value : Number.NaN;
      const expected = stored.predicted[i]!;
      gap = Number.isFinite(value) ? Math.abs(value - expected) / Math.max(1, Math.abs(expected)) : Number.POSITIVE_INFINITY;
      shownServed = precise(value);
      shownStored = precise(expected);
    }
    if (gap > spec.tolerance) {
      differing += 1;
      if (gap > worst.gap) worst = { gap, index: i, served: shownServed, stored: shownStored };
    }
  }
  const details = { rows: n, differing, tolerance: spec.tolerance, worst: worst.index < 0 ? null : { row: stored.rows[worst.index], served: worst.served, stored: worst.stored } };
  if (differing > 0) {
    return check('integration', id, title, 'fail', `Training/serving skew: the runtime's predictions differ from training's on ${differing.toLocaleString('en')} of ${n.toLocaleString('en')} test rows (beyond ${spec.tolerance}); at row ${stored.rows[worst.index]} it served [${worst.served}] where training predicted [${worst.stored}].`, details);
  }
  return check('integration', id, title, 'pass', `${name}, served, predicts all ${n.toLocaleString('en')} test rows as training did (within ${spec.tolerance}).`, details);
}

/** Enough digits to see a difference the tolerance cares about. */
function precise(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(8)).toString() : String(value);
}

async function latencyCheck(spec: GateSpec['integration'], runtime: ServingRuntime, rows: readonly Record<string, unknown>[], clock: () => number): Promise<CheckResult> {
  const id = 'integration.latency';
  const title = 'Single-row latency';
  if (rows.length === 0) return check('integration', id, title, 'skip', 'No rows to time.');
  const times = new Float64Array(spec.latencyRequests);
  await runtime.predict([rows[0]!]); // warm up: the first call may compile
  for (let i = 0; i < times.length; i += 1) {
    const row = rows[i % rows.length]!;
    const start = clock();
    await runtime.predict([row]);
    times[i] = clock() - start;
  }
  times.sort();
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  const p50 = at(0.5);
  const p99 = at(0.99);
  const details = { requests: times.length, p50Ms: p50, p99Ms: p99, budget: { p50Ms: spec.p50Ms, p99Ms: spec.p99Ms } };
  const shown = `p50 ${figure(p50)} ms, p99 ${figure(p99)} ms over ${times.length} single-row requests`;
  if (p50 > spec.p50Ms || p99 > spec.p99Ms) {
    const where = spec.overBudget === 'warn' ? ' (timed on this machine, not the serving target: a warning unless the spec sets integration.overBudget to "fail")' : '';
    return check('integration', id, title, spec.overBudget, `Too slow: ${shown}; the budget is p50 ≤ ${spec.p50Ms} ms, p99 ≤ ${spec.p99Ms} ms${where}.`, details);
  }
  return check('integration', id, title, 'pass', `${shown}, within p50 ≤ ${spec.p50Ms} ms and p99 ≤ ${spec.p99Ms} ms.`, details);
}
