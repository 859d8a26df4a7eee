import type { RetrainPolicy, RetrainRunState, RetrainStepName, RetrainTrigger } from '../../../shared/contract/retraining.ts';

/**
 * Whether a trigger may start a run now, or why not — the rule that stops a loop (a retrain's
 * own canary raising an alert that retrains again): one run of a model at a time, including
 * one whose challenger is still rolling out; at most `maxRunsPerDay` starts a UTC day; none
 * within `cooldownMinutes` of the last start. A manual start passes a policy that is off, and
 * nothing else.
 */
export interface RunsSoFar {
  /** Runs of the model started since 00:00 UTC today. */
  startedToday: number;
  /** When the newest run of the model started (ms), or null. */
  lastStartedAt: number | null;
  /** A run of the model not yet ended, with the step it is at. */
  underWay: { id: string; state: RetrainRunState; step: RetrainStepName | null; detail: string } | null;
}

export function admission(policy: RetrainPolicy, trigger: RetrainTrigger, runs: RunsSoFar, now: number): string | null {
  if (!policy.enabled && trigger.kind !== 'manual') return `the retraining policy of ${policy.model} is off (\`lathe retrain set ${policy.model} …\` turns it on)`;
  if (runs.underWay) {
    const { id, state, step, detail } = runs.underWay;
    if (step === 'rollout') return `the challenger of retrain run ${id} is still rolling out (${detail}); one retrain at a time, until its rollout ends`;
    return `retrain run ${id} is still ${state === 'waiting-approval' ? `waiting for approval of its ${step ?? 'next'} step` : `running (${step ?? 'starting'})`}; one retrain at a time`;
  }
  const { maxRunsPerDay, cooldownMinutes } = policy.caps;
  if (runs.startedToday >= maxRunsPerDay) {
    return `${runs.startedToday} run${runs.startedToday === 1 ? '' : 's'} today reach${runs.startedToday === 1 ? 'es' : ''} maxRunsPerDay ${maxRunsPerDay}; next allowed after 00:00 UTC`;
  }
  if (runs.lastStartedAt !== null && cooldownMinutes > 0) {
    const allowedAt = runs.lastStartedAt + cooldownMinutes * 60_000;
    if (now < allowedAt) {
      const ago = Math.floor((now - runs.lastStartedAt) / 60_000);
      return `the last run started ${ago === 0 ? 'less than a minute' : `${ago} minute${ago === 1 ? '' : 's'}`} ago, within cooldownMinutes ${cooldownMinutes}; next allowed after ${utcTime(allowedAt)}`;
    }
  }
  return null;
}

/** 00:00 UTC of the day `now` falls in. */
export function startOfUtcDay(now: number): number {
  const day = new Date(now);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
}

/** `14:05 UTC`. */
function utcTime(at: number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(11, 16)} UTC`;
}
