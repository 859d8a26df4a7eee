import { describe, expect, it } from 'vitest';
import type { RetrainLinks, RetrainPolicyView, RetrainRun, TimelineEntry } from '../../../../shared/contract/retraining.ts';
import { entryLink, policyLines, timelineGroups, waitingStep } from './retrain-words.ts';

const noLinks: RetrainLinks = { alertId: null, pipelineRunId: null, trainingRunId: null, gateReportId: null, modelVersion: null, deploymentId: null };
const entry = (kind: TimelineEntry['kind'], runId: string | null, links: Partial<RetrainLinks> = {}): TimelineEntry => ({ at: '2026-11-30T10:00:00Z', kind, message: kind, runId, links: { ...noLinks, ...links } });

const view: RetrainPolicyView = {
  exists: true,
  file: 'retraining/penguin-species.json',
  plan: { kind: 'built-in', summary: 'train on the newest penguins with the champion’s knobs, gate against @champion, register' },
  policy: {
    schemaVersion: 1,
    model: 'penguin-species',
    enabled: true,
    triggers: { alerts: ['feature-drift', 'accuracy-below'], newData: false, everyHours: 24 },
    plan: 'auto',
    deploy: { target: 'edge-1', strategy: 'canary' },
    approval: { train: 'auto', register: 'auto', deploy: 'ask' },
    caps: { maxRunsPerDay: 3, cooldownMinutes: 60 },
  },
};

describe('retraining in words', () => {
  it('puts a policy in four short lines', () => {
    expect(policyLines(view)).toEqual([
      'On · retrains on alerts (feature-drift, accuracy-below), every 24 h',
      'Plan: train on the newest penguins with the champion’s knobs, gate against @champion, register',
      'Challenger goes to edge-1 as a canary',
      'Asks before deploy · at most 3 a day, 60 min apart',
    ]);
    expect(policyLines({ ...view, exists: false })[0]).toContain('No policy yet (retraining/penguin-species.json)');
    expect(policyLines({ ...view, policy: { ...view.policy, enabled: false, deploy: null, triggers: { alerts: [], newData: true, everyHours: null } } }).slice(0, 3)).toEqual([
      'Off (triggers are recorded as skipped) · retrains on a new version of its dataset',
      'Plan: train on the newest penguins with the champion’s knobs, gate against @champion, register',
      'Challenger is registered, not deployed',
    ]);
  });

  it('groups a run with the alert that started it, oldest first; other alerts and skips stand alone', () => {
    const entries = [
      entry('alert', null, { alertId: 'a-1' }),
      entry('alert', null, { alertId: 'a-2' }),
      entry('trigger', 'rt-1', { alertId: 'a-2' }),
      entry('skipped', null, { alertId: 'a-3' }),
      entry('gates', 'rt-1'),
      entry('version', 'rt-1', { modelVersion: 4 }),
      entry('outcome', 'rt-1'),
    ];
    const groups = timelineGroups(entries);
    expect(groups.map((group) => [group.runId, group.entries.map((one) => one.kind)])).toEqual([
      [null, ['alert']],
      ['rt-1', ['alert', 'trigger', 'gates', 'version', 'outcome']],
      [null, ['skipped']],
    ]);
  });

  it('links an entry to the rollout, else the version, else the training run', () => {
    expect(entryLink({ ...noLinks, modelVersion: 4, deploymentId: 'dep-1' }, 'penguin-species')?.label).toBe('rollout');
    expect(entryLink({ ...noLinks, modelVersion: 4 }, 'penguin-species')).toEqual({ href: '#/models/penguin-species/4', label: 'penguin-species@4' });
    expect(entryLink({ ...noLinks, trainingRunId: 'r1' }, 'penguin-species')?.label).toBe('training run');
    expect(entryLink(noLinks, 'penguin-species')).toBeNull();
  });

  it('finds the step a run waits on', () => {
    const run = { state: 'waiting-approval', steps: [{ name: 'train', status: 'passed' }, { name: 'deploy', status: 'waiting-approval' }] } as unknown as RetrainRun;
    expect(waitingStep(run)?.name).toBe('deploy');
    expect(waitingStep({ ...run, state: 'running' })).toBeNull();
  });
});
