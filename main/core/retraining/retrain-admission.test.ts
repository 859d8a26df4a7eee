import { describe, expect, it } from 'vitest';
import type { RetrainTrigger } from '../../../shared/contract/retraining.ts';
import { defaultPolicy } from './policy-file.ts';
import { admission, startOfUtcDay, type RunsSoFar } from './retrain-admission.ts';

/** The rule that stops a retraining loop, at fixed moments (no clock is read). */
const policy = { ...defaultPolicy('churn'), enabled: true, caps: { maxRunsPerDay: 3, cooldownMinutes: 60 } };
const alert: RetrainTrigger = { kind: 'alert', detail: 'al-1 (feature-drift on edge-1/churn)' };
const noRuns: RunsSoFar = { startedToday: 0, lastStartedAt: null, underWay: null };
const at = Date.parse('2026-05-04T13:20:00Z');

describe('admission', () => {
  it('lets the first run of the day through', () => {
    expect(admission(policy, alert, noRuns, at)).toBeNull();
  });

  it('turns every trigger away while the policy is off, except a person starting one', () => {
    const off = { ...policy, enabled: false };
    expect(admission(off, alert, noRuns, at)).toBe('the retraining policy of churn is off (`lathe retrain set churn …` turns it on)');
    expect(admission(off, { kind: 'manual', detail: 'ann' }, noRuns, at)).toBeNull();
  });

  it('holds the day’s cap, and says when the next run may start', () => {
    expect(admission(policy, alert, { ...noRuns, startedToday: 3, lastStartedAt: at - 5 * 3_600_000 }, at)).toBe('3 runs today reach maxRunsPerDay 3; next allowed after 00:00 UTC');
    expect(admission({ ...policy, caps: { maxRunsPerDay: 1, cooldownMinutes: 0 } }, alert, { ...noRuns, startedToday: 1 }, at)).toBe('1 run today reaches maxRunsPerDay 1; next allowed after 00:00 UTC');
    expect(admission(policy, alert, { ...noRuns, startedToday: 2, lastStartedAt: at - 2 * 3_600_000 }, at)).toBeNull();
  });

  it('keeps the cooldown after the last start, and says until when', () => {
    expect(admission(policy, alert, { ...noRuns, startedToday: 1, lastStartedAt: at - 12 * 60_000 }, at)).toBe('the last run started 12 minutes ago, within cooldownMinutes 60; next allowed after 14:08 UTC');
    expect(admission(policy, alert, { ...noRuns, startedToday: 1, lastStartedAt: at - 20_000 }, at)).toMatch(/^the last run started less than a minute ago/);
    expect(admission(policy, alert, { ...noRuns, startedToday: 1, lastStartedAt: at - 60 * 60_000 }, at)).toBeNull();
  });

  it('lets one retrain of a model run at a time, a rollout included, even for a person', () => {
    const rolling: RunsSoFar = { ...noRuns, underWay: { id: 'rt-1', state: 'running', step: 'rollout', detail: 'waiting for deployment dep-9 to settle' } };
    expect(admission(policy, alert, rolling, at)).toBe('the challenger of retrain run rt-1 is still rolling out (waiting for deployment dep-9 to settle); one retrain at a time, until its rollout ends');
    const waiting: RunsSoFar = { ...noRuns, underWay: { id: 'rt-2', state: 'waiting-approval', step: 'deploy', detail: '' } };
    expect(admission(policy, { kind: 'manual', detail: 'ann' }, waiting, at)).toBe('retrain run rt-2 is still waiting for approval of its deploy step; one retrain at a time');
  });

  it('counts the day from 00:00 UTC', () => {
    expect(new Date(startOfUtcDay(at)).toISOString()).toBe('2026-05-04T00:00:00.000Z');
  });
});
