import type { RetrainPolicy } from '../../../shared/contract/retraining.ts';
import { failure } from '../../core/errors.ts';
import { visible } from '../terminal-text.ts';

/**
 * `lathe retrain set MODEL …`: each flag changes one part of the policy, and what is not given
 * stays as it was. Checked here, on the command line, before the core is asked (which checks the
 * whole policy again against the contract).
 */
export interface RetrainSetFlags {
  onAlert?: string | undefined;
  onNewData?: boolean | undefined;
  every?: string | undefined;
  plan?: string | undefined;
  target?: string | undefined;
  strategy?: string | undefined;
  steps?: string | undefined;
  interval?: string | undefined;
  noDeploy?: boolean | undefined;
  approve?: string | undefined;
  maxPerDay?: string | undefined;
  cooldown?: string | undefined;
  off?: boolean | undefined;
}

/** Short names a person types, and the alert kinds each stands for. */
const ALERT_WORDS: Record<string, RetrainPolicy['triggers']['alerts']> = {
  drift: ['feature-drift', 'dataset-drift'],
  'feature-drift': ['feature-drift'],
  'dataset-drift': ['dataset-drift'],
  accuracy: ['accuracy-below'],
  'accuracy-below': ['accuracy-below'],
  latency: ['latency-above'],
  'latency-above': ['latency-above'],
  errors: ['error-rate-above'],
  'error-rate-above': ['error-rate-above'],
  dropped: ['records-dropped'],
  'records-dropped': ['records-dropped'],
};

export function applySetFlags(current: RetrainPolicy, flags: RetrainSetFlags): RetrainPolicy {
  const policy: RetrainPolicy = structuredClone(current);
  policy.enabled = flags.off !== true;
  if (flags.onAlert !== undefined) policy.triggers.alerts = alertKinds(flags.onAlert);
  if (flags.onNewData !== undefined) policy.triggers.newData = flags.onNewData;
  if (flags.every !== undefined) policy.triggers.everyHours = flags.every === 'none' ? null : wholeHours(flags.every);
  if (flags.plan !== undefined) policy.plan = oneOf(flags.plan, '--plan', ['auto', 'pipeline', 'built-in'] as const);
  if (flags.noDeploy) {
    if (flags.target !== undefined || flags.strategy !== undefined) throw failure('INVALID_INPUT', '--no-deploy leaves the challenger registered and undeployed; it cannot go with --target or --strategy.');
    policy.deploy = null;
  } else if (flags.target !== undefined || flags.strategy !== undefined || flags.steps !== undefined || flags.interval !== undefined) {
    const target = flags.target ?? policy.deploy?.target;
    if (!target) throw failure('INVALID_INPUT', 'Say where the challenger goes: --target NAME (as `lathe targets list` shows it).', { location: { field: 'target' } });
    policy.deploy = {
      target,
      strategy: flags.strategy === undefined ? (policy.deploy?.strategy ?? 'canary') : oneOf(flags.strategy, '--strategy', ['canary', 'shadow'] as const),
      ...(flags.steps !== undefined ? { steps: canarySteps(flags.steps) } : policy.deploy?.steps ? { steps: policy.deploy.steps } : {}),
      ...(flags.interval !== undefined ? { intervalMs: durationMs(flags.interval, '--interval') } : policy.deploy?.intervalMs ? { intervalMs: policy.deploy.intervalMs } : {}),
    };
  }
  if (flags.approve !== undefined) {
    const asked = flags.approve === 'none' ? [] : list(flags.approve).map((step) => oneOf(step, '--approve', ['train', 'register', 'deploy'] as const));
    policy.approval = { train: asked.includes('train') ? 'ask' : 'auto', register: asked.includes('register') ? 'ask' : 'auto', deploy: asked.includes('deploy') ? 'ask' : 'auto' };
  }
  if (flags.maxPerDay !== undefined) policy.caps.maxRunsPerDay = whole(flags.maxPerDay, '--max-per-day', 1, 100);
  if (flags.cooldown !== undefined) policy.caps.cooldownMinutes = Math.round(durationMs(flags.cooldown, '--cooldown', true) / 60_000);
  return policy;
}

function alertKinds(text: string): RetrainPolicy['triggers']['alerts'] {
  if (text === 'none') return [];
  const kinds = list(text).flatMap((word) => {
    const found = ALERT_WORDS[word];
    if (!found) throw failure('INVALID_INPUT', `--on-alert: "${visible(word)}" is not an alert kind. Use ${Object.keys(ALERT_WORDS).join(', ')} (or "none").`, { location: { field: 'on-alert' } });
    return found;
  });
  return [...new Set(kinds)];
}

/** `24h`, `2d`, `90m`, `30s`; a bare number is minutes for --cooldown. */
export function durationMs(text: string, flag: string, bareMinutes = false): number {
  const match = /^(\d{1,7})(ms|s|m|h|d)?$/.exec(text.trim());
  const unit = match?.[2] ?? (bareMinutes ? 'm' : undefined);
  if (!match || !unit) throw failure('INVALID_INPUT', `${flag} takes a duration like 30s, 60m, 24h or 2d; got "${visible(text)}".`, { location: { field: flag.slice(2) } });
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * scale;
}

function wholeHours(text: string): number {
  const ms = durationMs(text, '--every');
  if (ms % 3_600_000 !== 0 || ms === 0) throw failure('INVALID_INPUT', `--every is a whole number of hours (like 24h or 7d); got "${visible(text)}".`, { location: { field: 'every' } });
  return ms / 3_600_000;
}

function canarySteps(text: string): number[] {
  const steps = list(text).map((step) => whole(step, '--steps', 1, 100));
  if (steps.some((step, i) => i > 0 && step <= steps[i - 1]!)) throw failure('INVALID_INPUT', `--steps must rise, like 10,25,50,100; got "${visible(text)}".`, { location: { field: 'steps' } });
  return steps;
}

function whole(text: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw failure('INVALID_INPUT', `${flag} takes a whole number from ${min} to ${max}; got "${visible(text)}".`, { location: { field: flag.slice(2) } });
  return Number(text);
}

function oneOf<const T extends readonly string[]>(text: string, flag: string, allowed: T): T[number] {
  if (!(allowed as readonly string[]).includes(text)) throw failure('INVALID_INPUT', `${flag} is one of ${allowed.join(', ')}; got "${visible(text)}".`, { location: { field: flag.slice(2) } });
  return text as T[number];
}

function list(text: string): string[] {
  return text.split(',').map((part) => part.trim()).filter(Boolean);
}
