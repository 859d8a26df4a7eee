import { describe, expect, it } from 'vitest';
import { GateSpec } from '../../../shared/contract/gates.ts';
import type { GatedVersion } from './gated-version.ts';
import { integrationChecks } from './integration-checks.ts';
import type { ServedPrediction, ServingTarget } from './serving-target.ts';
import type { StoredPredictions } from './stored-predictions.ts';

/** The integration checks against runtimes made to answer in a known way, and a clock the test drives. */
const spec = GateSpec.parse({ schemaVersion: 1 }).integration;
const version = { name: 'm', version: 3 } as GatedVersion;
const stored: StoredPredictions = { task: 'regression', rows: Int32Array.of(10, 11, 12), actual: Float64Array.of(1, 2, 3), predicted: Float64Array.of(1.5, 2.5, 100) };
const rows = [{ x: 1 }, { x: 2 }, { x: 3 }];

function target(answer: (row: Record<string, unknown>) => ServedPrediction): ServingTarget {
  return { open: async () => ({ predict: async (batch) => batch.map(answer), close: async () => undefined }) };
}
const faithful = target((row) => ({ value: [1.5, 2.5, 100][(row.x as number) - 1]! }));

/** A clock that moves `stepMs` each time it is read: every request then takes exactly that long. */
function steppingClock(stepMs: number) {
  let now = 0;
  return () => (now += stepMs);
}

describe('the integration checks', () => {
  it('pass a runtime that answers as training did, within the latency budget', async () => {
    const checks = await integrationChecks(spec, { version, target: faithful, stored, rows, clock: steppingClock(1) });
    expect(checks.map((c) => [c.id, c.status])).toEqual([['integration.bundle', 'pass'], ['integration.predictions', 'pass'], ['integration.latency', 'pass']]);
    expect(checks[2]!.details).toMatchObject({ requests: 200, p50Ms: 1, p99Ms: 1 });
  });

  it('fail a slow runtime where the spec says so, saying by how much', async () => {
    const checks = await integrationChecks({ ...spec, overBudget: 'fail' }, { version, target: faithful, stored, rows, clock: steppingClock(800) });
    expect(checks[2]).toMatchObject({ status: 'fail', sentence: 'Too slow: p50 800 ms, p99 800 ms over 200 single-row requests; the budget is p50 ≤ 50 ms, p99 ≤ 500 ms.' });
  });

  it('only warn of a slow runtime by default: the gates time it on their own machine, not the target', async () => {
    const checks = await integrationChecks(spec, { version, target: faithful, stored, rows, clock: steppingClock(800) });
    expect(checks[2]).toMatchObject({ status: 'warn', sentence: expect.stringContaining('not the serving target') });
  });

  it('fail skew beyond the tolerance, naming the row (relative to the value for a regressor)', async () => {
    const skewed = target((row) => ({ value: [1.5, 2.5, 100.02][(row.x as number) - 1]! }));
    const checks = await integrationChecks(spec, { version, target: skewed, stored, rows, clock: steppingClock(1) });
    expect(checks[1]).toMatchObject({ status: 'fail', sentence: 'Training/serving skew: the runtime\'s predictions differ from training\'s on 1 of 3 test rows (beyond 0.0001); at row 12 it served [100.02] where training predicted [100].' });
    // 100.005 is within 1e-4 of 100, relatively.
    const close = target((row) => ({ value: [1.5, 2.5, 100.005][(row.x as number) - 1]! }));
    expect((await integrationChecks(spec, { version, target: close, stored, rows, clock: steppingClock(1) }))[1]!.status).toBe('pass');
  });

  it('fail a runtime that answers the wrong number of rows', async () => {
    const short: ServingTarget = { open: async () => ({ predict: async (batch) => batch.slice(1).map(() => ({ value: 1 })), close: async () => undefined }) };
    const checks = await integrationChecks(spec, { version, target: short, stored, rows, clock: steppingClock(1) });
    expect(checks[1]).toMatchObject({ status: 'fail', sentence: 'The runtime answered 2 predictions for 3 test rows.' });
  });
});
