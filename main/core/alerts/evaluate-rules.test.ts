import { describe, expect, it } from 'vitest';
import { AlertRule, type Alert, type AlertRuleInput } from '../../../shared/contract/alerts.ts';
import type { WindowSummary } from '../../../shared/contract/monitoring.ts';
import { DEFAULT_ALERT_RULES } from './default-rules.ts';
import { evaluateRules, type AlertToRaise, type RuleEvaluationInput } from './evaluate-rules.ts';
import { recorder, window } from './window-fixture.ts';

const deployment = 'edge-1/penguins-clf';

function rules(...inputs: AlertRuleInput[]) {
  return inputs.map((input) => AlertRule.parse(input));
}

function evaluate(input: Partial<RuleEvaluationInput> & { windows: WindowSummary[] }) {
  return evaluateRules({ deployment, rules: DEFAULT_ALERT_RULES, recorder: recorder(), testAccuracy: null, latest: [], ...input });
}

/** The alert a raise would become once stored. */
function stored(raise: AlertToRaise, id = 'al-1'): Alert {
  return { ...raise, id, state: 'open', raisedAt: '2026-01-01T01:00:00.000Z', resolvedAt: null, resolution: null, ackedAt: null, ackedBy: null, delivery: { state: 'not-configured' } } as Alert;
}

const driftRule = rules({ id: 'drift', kind: 'feature-drift', feature: '*', windows: 2 });

describe('feature drift', () => {
  it('raises when a feature drifts in k windows in a row, naming the feature, the windows and the score', () => {
    const { raise } = evaluate({ rules: driftRule, windows: [window(1, { features: { bill_length_mm: 'drift', flipper_length_mm: 'no-drift' } }), window(2, { features: { bill_length_mm: 'drift', flipper_length_mm: 'no-drift' } })] });
    expect(raise).toHaveLength(1);
    expect(raise[0]).toMatchObject({ ruleId: 'drift', ruleKind: 'feature-drift', subject: 'bill_length_mm', deployment, detail: { windows: [1, 2] } });
    expect(raise[0]!.summary).toBe('bill_length_mm drifted in 2 windows in a row (1–2) (Wasserstein 0.31 ≥ 0.1)');
    expect(raise[0]!.detail.measurements.map((m) => m.value)).toEqual([0.31, 0.31]);
  });

  it('does not raise for drift in fewer than k windows in a row', () => {
    const windows = [window(1, { features: { bill_length_mm: 'drift' } }), window(2, { features: { bill_length_mm: 'no-drift' } }), window(3, { features: { bill_length_mm: 'drift' } })];
    expect(evaluate({ rules: driftRule, windows }).raise).toEqual([]);
  });

  it('never counts "not enough data" as drift, nor as its absence', () => {
    const gap = window(2, { features: { bill_length_mm: 'not-enough-data' } });
    // Alone, not-enough-data windows raise nothing …
    expect(evaluate({ rules: driftRule, windows: [window(1, { features: { bill_length_mm: 'not-enough-data' } }), gap] }).raise).toEqual([]);
    // … and between two drifted windows they do not break the streak.
    const raised = evaluate({ rules: driftRule, windows: [window(1, { features: { bill_length_mm: 'drift' } }), gap, window(3, { features: { bill_length_mm: 'drift' } })] }).raise;
    expect(raised.map((alert) => alert.detail.windows)).toEqual([[1, 3]]);
    // An open alert is not resolved by a window that cannot tell.
    const open = stored(raised[0]!);
    expect(evaluate({ rules: driftRule, windows: [window(3, { features: { bill_length_mm: 'drift' } }), window(4, { features: { bill_length_mm: 'not-enough-data' } })], latest: [open] })).toEqual({ raise: [], resolve: [], update: [] });
  });

  it('ignores the open window and windows judged without a reference', () => {
    const windows = [window(1, { features: { bill_length_mm: 'drift' } }), window(2, { features: { bill_length_mm: 'drift' }, open: true })];
    expect(evaluate({ rules: driftRule, windows }).raise).toEqual([]);
    expect(evaluate({ rules: driftRule, windows: [window(1, { features: { a: 'drift' }, reference: false }), window(2, { features: { a: 'drift' }, reference: false })] }).raise).toEqual([]);
  });

  it('raises once while the alert is open, and resolves when the feature no longer drifts', () => {
    const drifting = [window(1, { features: { bill_length_mm: 'drift' } }), window(2, { features: { bill_length_mm: 'drift' } })];
    const open = stored(evaluate({ rules: driftRule, windows: drifting }).raise[0]!);
    expect(evaluate({ rules: driftRule, windows: [...drifting, window(3, { features: { bill_length_mm: 'drift' } })], latest: [open] }).raise).toEqual([]);
    const calm = evaluate({ rules: driftRule, windows: [...drifting, window(3, { features: { bill_length_mm: 'no-drift' } })], latest: [open] });
    expect(calm.resolve).toEqual([{ id: 'al-1', why: 'no longer met in window 3 (Wasserstein 0.02 ≥ 0.1)' }]);
    expect(calm.raise).toEqual([]);
  });

  it('raises again after a resolved alert only on a new streak', () => {
    const resolved: Alert = { ...stored(evaluate({ rules: driftRule, windows: [window(1, { features: { a: 'drift' } }), window(2, { features: { a: 'drift' } })] }).raise[0]!), state: 'resolved' };
    const windows = [window(3, { features: { a: 'no-drift' } }), window(4, { features: { a: 'drift' } }), window(5, { features: { a: 'drift' } })];
    expect(evaluate({ rules: driftRule, windows, latest: [resolved] }).raise.map((alert) => alert.detail.windows)).toEqual([[4, 5]]);
  });

  it('watches one named feature, one deployment, and skips disabled rules', () => {
    const windows = [window(1, { features: { a: 'drift', b: 'drift' } }), window(2, { features: { a: 'drift', b: 'drift' } })];
    expect(evaluate({ rules: rules({ id: 'b-only', kind: 'feature-drift', feature: 'b' }), windows }).raise.map((alert) => alert.subject)).toEqual(['b']);
    expect(evaluate({ rules: rules({ id: 'other', kind: 'feature-drift', feature: '*', deployment: 'edge-2/penguins-clf' }), windows }).raise).toEqual([]);
    expect(evaluate({ rules: rules({ id: 'off', kind: 'feature-drift', feature: '*', enabled: false }), windows }).raise).toEqual([]);
  });

  it('resolves the open alerts of a rule that was removed or disabled', () => {
    const windows = [window(1, { features: { a: 'drift' } }), window(2, { features: { a: 'drift' } })];
    const open = stored(evaluate({ rules: driftRule, windows }).raise[0]!);
    expect(evaluate({ rules: [], windows, latest: [open] }).resolve).toEqual([{ id: 'al-1', why: 'its rule "drift" was removed' }]);
    expect(evaluate({ rules: rules({ id: 'drift', kind: 'feature-drift', feature: '*', enabled: false }), windows, latest: [open] }).resolve).toEqual([{ id: 'al-1', why: 'its rule "drift" was disabled' }]);
  });
});

describe('dataset drift, accuracy, latency and errors', () => {
  it('raises on the dataset-level verdict', () => {
    const { raise } = evaluate({ rules: rules({ id: 'ds', kind: 'dataset-drift' }), windows: [window(7, { features: { a: 'drift', b: 'drift', c: 'no-drift' } })] });
    expect(raise.map((alert) => alert.summary)).toEqual(['The dataset drifted in window 7 (2 of 3 features drifted)']);
  });

  it('judges measured accuracy where labels arrived, and the estimate where they did not', () => {
    const floor = rules({ id: 'acc', kind: 'accuracy-below', floor: 0.8 });
    expect(evaluate({ rules: floor, windows: [window(1, { accuracy: 0.7 })] }).raise[0]!.summary).toBe('Accuracy is below the floor 0.8 in window 1 (accuracy 0.7, 95 % 0.65–0.75)');
    expect(evaluate({ rules: floor, windows: [window(1, { estimate: 0.7 })] }).raise[0]!.detail.measurements[0]).toMatchObject({ measure: 'accuracy estimate', value: 0.7, threshold: 0.8 });
    expect(evaluate({ rules: rules({ id: 'acc', kind: 'accuracy-below', floor: 0.8, useEstimate: false }), windows: [window(1, { estimate: 0.7 })] }).raise).toEqual([]);
    expect(evaluate({ rules: floor, windows: [window(1, { accuracy: 0.9, estimate: 0.5 })] }).raise).toEqual([]);
  });

  it('measures the floor from the test accuracy when asked, and judges nothing while it is unknown', () => {
    const relative = rules({ id: 'acc', kind: 'accuracy-below', belowTestMetric: 0.1 });
    const windows = [window(1, { estimate: 0.82 })];
    expect(evaluate({ rules: relative, windows, testAccuracy: null }).raise).toEqual([]);
    expect(evaluate({ rules: relative, windows, testAccuracy: 0.9 }).raise).toEqual([]);
    expect(evaluate({ rules: relative, windows, testAccuracy: 0.95 }).raise[0]!.summary).toContain('below 0.85 (test accuracy 0.95 − 0.1)');
  });

  it('raises on p99 latency and error rate above their ceilings, and not at them', () => {
    const latency = rules({ id: 'slow', kind: 'latency-above', p99Ms: 500 });
    expect(evaluate({ rules: latency, windows: [window(1, { p99Ms: 500 })] }).raise).toEqual([]);
    expect(evaluate({ rules: latency, windows: [window(1, { p99Ms: 830 })] }).raise[0]!.summary).toBe('p99 latency is above 500 ms in window 1 (p99 830 ms)');
    expect(evaluate({ rules: latency, windows: [window(1, { p99Ms: null })] }).raise).toEqual([]);
    const errors = rules({ id: 'errors', kind: 'error-rate-above', rate: 0.01 });
    expect(evaluate({ rules: errors, windows: [window(1, { rows: 479, errors: 21 })] }).raise[0]!.summary).toBe('The error rate is above 1 % in window 1 (21 of 500 requests failed, 4.2 %)');
    expect(evaluate({ rules: errors, windows: [window(1, { rows: 0, errors: 0 })] }).raise).toEqual([]);
  });
});

describe('dropped records', () => {
  const dropRule = rules({ id: 'drops', kind: 'records-dropped' });

  it('raises on any drop, updates while drops go on, and resolves at the first fetch without new ones', () => {
    const first = evaluate({ rules: dropRule, windows: [], recorder: recorder(120, 'the store is full (1 GiB)') });
    expect(first.raise[0]!.summary).toBe('The agent dropped 120 prediction records (store-full 120): the store is full (1 GiB)');
    const open = stored(first.raise[0]!);
    const more = evaluate({ rules: dropRule, windows: [], recorder: recorder(300), latest: [open] });
    expect(more.update).toEqual([expect.objectContaining({ id: 'al-1', detail: expect.objectContaining({ dropped: 300 }) })]);
    expect(more.raise).toEqual([]);
    const updated = { ...open, detail: more.update[0]!.detail };
    expect(evaluate({ rules: dropRule, windows: [], recorder: recorder(300), latest: [updated] }).resolve).toEqual([{ id: 'al-1', why: 'no prediction records were dropped since (300 in all)' }]);
  });

  it('does not raise again for drops already alerted on, and starts counting again when the agent starts over', () => {
    const resolved: Alert = { ...stored(evaluate({ rules: dropRule, windows: [], recorder: recorder(300) }).raise[0]!), state: 'resolved' };
    expect(evaluate({ rules: dropRule, windows: [], recorder: recorder(300), latest: [resolved] }).raise).toEqual([]);
    expect(evaluate({ rules: dropRule, windows: [], recorder: recorder(301), latest: [resolved] }).raise).toHaveLength(1);
    expect(evaluate({ rules: dropRule, windows: [], recorder: recorder(5), latest: [resolved] }).raise).toHaveLength(1);
    expect(evaluate({ rules: dropRule, windows: [], recorder: recorder(0) }).raise).toEqual([]);
  });
});

describe('the default rules', () => {
  it('flag one drifted column over two windows and nothing else on clean traffic', () => {
    const clean = { a: 'no-drift', b: 'no-drift', c: 'no-drift' } as const;
    const shifted = { a: 'drift', b: 'no-drift', c: 'no-drift' } as const;
    expect(evaluate({ windows: [window(1, { features: clean }), window(2, { features: clean })] })).toEqual({ raise: [], resolve: [], update: [] });
    const { raise } = evaluate({ windows: [window(1, { features: shifted }), window(2, { features: shifted })] });
    expect(raise.map((alert) => `${alert.ruleId}:${alert.subject}`)).toEqual(['feature-drift:a']);
  });
});
