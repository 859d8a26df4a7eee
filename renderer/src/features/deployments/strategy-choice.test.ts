import { describe, expect, it } from 'vitest';
import { canaryTiming, defaultStrategyFields, describeStrategy, readSteps, readStrategy } from './strategy-choice.ts';

const defaultThresholds = { maxErrorRate: 0.01, maxP99Ms: 500, maxDisagreement: 0.1, minRequests: 10, failureLimit: 2 };

describe('the strategy a person fills in', () => {
  it('reads the defaults of every strategy as the agent’s own defaults', () => {
    for (const kind of ['replace', 'canary', 'ab', 'shadow'] as const) expect(readStrategy({ ...defaultStrategyFields, kind }).ok).toBe(true);
    expect(readStrategy({ ...defaultStrategyFields, kind: 'canary' })).toEqual({ ok: true, strategy: { strategy: 'canary', steps: [10, 25, 50, 100], intervalMs: 60_000, thresholds: defaultThresholds } });
    expect(readStrategy({ ...defaultStrategyFields, kind: 'ab' })).toEqual({ ok: true, strategy: { strategy: 'ab', weight: 50, intervalMs: 60_000 } });
  });

  it('takes steps with percent signs and spaces, an interval with a trailing s, thresholds with units', () => {
    expect(readStrategy({ ...defaultStrategyFields, kind: 'canary', steps: ' 20%,100 ', interval: '1s', maxDisagreement: '0', maxP99Ms: '250ms', maxErrorRate: '0.5%' })).toEqual({
      ok: true,
      strategy: { strategy: 'canary', steps: [20, 100], intervalMs: 1000, thresholds: { ...defaultThresholds, maxDisagreement: 0, maxP99Ms: 250, maxErrorRate: 0.005 } },
    });
  });

  it('names the field and what is wrong with it', () => {
    expect(readSteps('')).toMatch(/like 10, 25, 50, 100/);
    expect(readSteps('10, 5, 100')).toBe('Steps rise: 5 comes after 10.');
    expect(readSteps('10, 50')).toMatch(/last step is 100/);
    expect(readSteps('10, 1e2')).toMatch(/“1e2” is not/);
    expect(readSteps('0, 100')).toMatch(/from 1 to 100/);
    expect(readSteps(Array.from({ length: 21 }, (_, i) => i + 80).join(','))).toBe('A canary has at most 20 steps.');
    const canary = { ...defaultStrategyFields, kind: 'canary' as const };
    expect(readStrategy({ ...canary, interval: 'soon' })).toMatchObject({ ok: false, field: 'interval' });
    expect(readStrategy({ ...canary, interval: '0' })).toMatchObject({ ok: false, field: 'interval' });
    expect(readStrategy({ ...canary, failureLimit: '0' })).toMatchObject({ ok: false, field: 'failureLimit' });
    expect(readStrategy({ ...canary, minRequests: '' })).toMatchObject({ ok: false, field: 'minRequests' });
    expect(readStrategy({ ...canary, maxErrorRate: '101' })).toMatchObject({ ok: false, field: 'maxErrorRate' });
    expect(readStrategy({ ...canary, maxP99Ms: '0' })).toMatchObject({ ok: false, field: 'maxP99Ms' });
    expect(readStrategy({ ...canary, maxDisagreement: '-3' })).toMatchObject({ ok: false, field: 'maxDisagreement' });
    expect(readStrategy({ ...defaultStrategyFields, kind: 'ab', abWeight: '100' })).toMatchObject({ ok: false, field: 'abWeight' });
  });

  it('ignores the fields a strategy does not use', () => {
    expect(readStrategy({ ...defaultStrategyFields, kind: 'replace', interval: 'nonsense', steps: 'x' })).toEqual({ ok: true, strategy: { strategy: 'replace' } });
    expect(readStrategy({ ...defaultStrategyFields, kind: 'shadow', steps: 'x', minRequests: 'y' })).toEqual({ ok: true, strategy: { strategy: 'shadow', intervalMs: 60_000 } });
  });

  it('says how long a canary takes to promote and, at worst, to roll back', () => {
    expect(canaryTiming({ strategy: 'canary', steps: [10, 25, 50, 100], intervalMs: 30_000, thresholds: defaultThresholds })).toEqual({ promoteSeconds: 120, rollbackSeconds: 60 });
    expect(describeStrategy({ strategy: 'canary', steps: [10, 100], intervalMs: 90_000, thresholds: { ...defaultThresholds, failureLimit: 1 } })).toBe(
      'Canary: 10% → 100%, a check every 1 min 30 s (errors ≤ 1%, p99 ≤ 500 ms, disagreement ≤ 10%, at least 10 requests), rollback after 1 failed check',
    );
  });
});
