import type { RetrainLinks, RetrainPolicyView, RetrainRun, RetrainStep, TimelineEntry, TimelineKind } from '../../../../shared/contract/retraining.ts';
import { hashOf as deploymentsHash } from '../deployments/deployments-route.ts';
import { hashOf as experimentsHash } from '../experiments/experiments-route.ts';
import { hashOf as modelsHash } from '../models/models-route.ts';

/** A model's retraining policy in a few short lines a person checks at a glance. */
export function policyLines(view: RetrainPolicyView): string[] {
  const { policy } = view;
  if (!view.exists) return [`No policy yet (${view.file}): nothing retrains ${policy.model} by itself. Set one with \`lathe retrain set ${policy.model} …\`.`];
  const triggers = [
    policy.triggers.alerts.length > 0 ? `alerts (${policy.triggers.alerts.join(', ')})` : null,
    policy.triggers.newData ? 'a new version of its dataset' : null,
    policy.triggers.everyHours !== null ? `every ${policy.triggers.everyHours} h` : null,
  ].filter((one): one is string => one !== null);
  const asks = (['train', 'register', 'deploy'] as const).filter((step) => policy.approval[step] === 'ask');
  return [
    `${policy.enabled ? 'On' : 'Off (triggers are recorded as skipped)'} · retrains on ${triggers.length > 0 ? triggers.join(', ') : 'nothing but a manual start'}`,
    `Plan: ${view.plan.summary}`,
    policy.deploy ? `Challenger goes to ${policy.deploy.target} as a ${policy.deploy.strategy}` : 'Challenger is registered, not deployed',
    `${asks.length > 0 ? `Asks before ${asks.join(', ')}` : 'Asks before nothing'} · at most ${policy.caps.maxRunsPerDay} a day, ${policy.caps.cooldownMinutes} min apart`,
  ];
}

/** Where a timeline entry points, most specific first: the rollout, the version, the training run. */
export function entryLink(links: RetrainLinks, model: string): { href: string; label: string } | null {
  if (links.deploymentId) return { href: deploymentsHash({ view: 'rollout', id: links.deploymentId }), label: 'rollout' };
  if (links.modelVersion !== null) return { href: modelsHash({ view: 'version', name: model, version: links.modelVersion }), label: `${model}@${links.modelVersion}` };
  if (links.trainingRunId) return { href: experimentsHash({ view: 'run', runId: links.trainingRunId }), label: 'training run' };
  if (links.pipelineRunId) return { href: '#/pipelines', label: 'pipeline run' };
  return null;
}

const KIND_WORDS: Record<TimelineKind, string> = {
  alert: 'Alert',
  trigger: 'Trigger',
  'approval-asked': 'Waiting',
  approved: 'Approved',
  rejected: 'Rejected',
  run: 'Run',
  gates: 'Gates',
  version: 'Version',
  rollout: 'Rollout',
  outcome: 'Outcome',
  skipped: 'Skipped',
};

export const kindWords = (kind: TimelineKind): string => KIND_WORDS[kind];

export interface TimelineGroup {
  readonly key: string;
  readonly runId: string | null;
  readonly entries: readonly TimelineEntry[];
}

/**
 * Timeline entries as a person reads them, oldest first: each retrain run together, led by the
 * alert that started it (alert → run → gates → version → rollout → outcome); alerts that started
 * nothing and skipped triggers on their own, where they happened.
 */
export function timelineGroups(entries: readonly TimelineEntry[]): TimelineGroup[] {
  const runOfAlert = new Map<string, string>();
  for (const entry of entries) {
    if (entry.runId !== null && entry.links.alertId !== null && !runOfAlert.has(entry.links.alertId)) runOfAlert.set(entry.links.alertId, entry.runId);
  }
  const groups: { key: string; runId: string | null; entries: TimelineEntry[] }[] = [];
  const byRun = new Map<string, { key: string; runId: string | null; entries: TimelineEntry[] }>();
  entries.forEach((entry, index) => {
    const runId = entry.runId ?? (entry.kind === 'alert' && entry.links.alertId !== null ? (runOfAlert.get(entry.links.alertId) ?? null) : null);
    if (runId === null) {
      groups.push({ key: `entry-${index}`, runId: null, entries: [entry] });
      return;
    }
    let group = byRun.get(runId);
    if (!group) {
      group = { key: runId, runId, entries: [] };
      byRun.set(runId, group);
      groups.push(group);
    }
    group.entries.push(entry);
  });
  return groups;
}

/** A run's step waiting for a person, if any. */
export function waitingStep(run: RetrainRun): RetrainStep | null {
  if (run.state !== 'waiting-approval') return null;
  return run.steps.find((step) => step.status === 'waiting-approval') ?? null;
}
