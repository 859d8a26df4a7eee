import type { InputOf } from '../../../../shared/contract/calls.ts';
import type { DeployStrategy } from '../../../../shared/contract/deployments.ts';

/**
 * The wizard's strategy step as a person fills it in (text fields, as typed) and what it means:
 * readStrategy() turns the fields into deploy:start's strategy, or names the field that is wrong.
 * Defaults are the agent's (Flagger's): a check a minute, 99 % success, p99 ≤ 500 ms, at most
 * 10 % of predictions different from stable's, 10 requests a check, rollback after two failed checks.
 */
export type StrategyKind = DeployStrategy;

export interface StrategyFields {
  readonly kind: StrategyKind;
  /** Canary: weights in percent, comma-separated ("10, 25, 50, 100"). */
  readonly steps: string;
  /** Canary, A/B and shadow: seconds between analyses. */
  readonly interval: string;
  /** Canary: failed analyses that roll back. */
  readonly failureLimit: string;
  /** Canary thresholds: error rate and disagreement in percent, p99 in milliseconds, requests a check needs. */
  readonly maxErrorRate: string;
  readonly maxP99Ms: string;
  readonly maxDisagreement: string;
  readonly minRequests: string;
  /** A/B: the candidate's share of traffic, in percent. */
  readonly abWeight: string;
}

export const defaultStrategyFields: StrategyFields = {
  kind: 'replace',
  steps: '10, 25, 50, 100',
  interval: '60',
  failureLimit: '2',
  maxErrorRate: '1',
  maxP99Ms: '500',
  maxDisagreement: '10',
  minRequests: '10',
  abWeight: '50',
};

/** What each strategy does, in a sentence a person deciding can act on. */
export const strategyHelp: Record<StrategyKind, { title: string; help: string }> = {
  replace: {
    title: 'Replace',
    help: 'Load the new version, check it answers, then switch all traffic to it at once. The old version keeps serving until the switch. For a target nobody relies on yet.',
  },
  canary: {
    title: 'Canary',
    help: 'Send a small share of traffic to the new version and raise it step by step. At each interval the agent compares its error rate, p99 latency and predictions with the stable version; too many failed checks send all traffic back to stable by themselves.',
  },
  ab: {
    title: 'A/B test',
    help: 'Split traffic between the two versions for as long as you like, the same caller always to the same version. Outcomes sent to the feedback endpoint show which version does better, and how sure that is.',
  },
  shadow: {
    title: 'Shadow',
    help: 'Copy live traffic to the new version and drop its answers: callers only ever see the stable version. Shows how often the two disagree and how fast the new one is, at no risk.',
  },
};

/** What deploy:start takes besides the version and the target. */
export type Strategy = Pick<InputOf<'deploy:start'>, 'strategy' | 'steps' | 'intervalMs' | 'thresholds' | 'weight'>;
type Thresholds = NonNullable<Strategy['thresholds']>;

export type StrategyField = 'steps' | 'interval' | 'failureLimit' | 'maxErrorRate' | 'maxP99Ms' | 'maxDisagreement' | 'minRequests' | 'abWeight';
export type StrategyReading = { readonly ok: true; readonly strategy: Strategy } | { readonly ok: false; readonly field: StrategyField; readonly problem: string };

const wholeNumber = (text: string): number | null => (/^\s*\d{1,9}\s*$/.test(text) ? Number(text) : null);
const decimal = (text: string): number | null => (/^\s*\d{1,9}(\.\d{1,6})?\s*$/.test(text) ? Number(text) : null);

function readInterval(text: string): number | string {
  const seconds = wholeNumber(text.replace(/s\s*$/i, ''));
  if (seconds === null) return `The interval is a whole number of seconds, like 30; “${text.trim()}” is not.`;
  if (seconds < 1 || seconds > 86_400) return 'The interval is between 1 second and a day (86400).';
  return seconds;
}

/** Canary weights: whole percents, rising, the last one 100 (the promotion). */
export function readSteps(text: string): readonly number[] | string {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.every((part) => part === '')) return 'Give the canary’s weights in percent, like 10, 25, 50, 100.';
  const steps: number[] = [];
  for (const part of parts) {
    const weight = wholeNumber(part.replace(/%$/, ''));
    if (weight === null || weight < 1 || weight > 100) return `Each step is a whole percent from 1 to 100; “${part}” is not.`;
    if (steps.length > 0 && weight <= steps.at(-1)!) return `Steps rise: ${weight} comes after ${steps.at(-1)}.`;
    steps.push(weight);
  }
  if (steps.length > 20) return 'A canary has at most 20 steps.';
  if (steps.at(-1) !== 100) return 'The last step is 100: the canary takes all traffic when it is promoted.';
  return steps;
}

function readThresholds(fields: StrategyFields): Thresholds | { field: StrategyField; problem: string } {
  const errorRate = decimal(fields.maxErrorRate.replace(/%$/, ''));
  if (errorRate === null || errorRate > 100) return { field: 'maxErrorRate', problem: 'The highest error rate is a percent from 0 to 100, like 1.' };
  const p99 = decimal(fields.maxP99Ms.replace(/ms$/i, ''));
  if (p99 === null || p99 <= 0 || p99 > 3_600_000) return { field: 'maxP99Ms', problem: 'The slowest p99 is a number of milliseconds above 0, like 500.' };
  const disagreement = decimal(fields.maxDisagreement.replace(/%$/, ''));
  if (disagreement === null || disagreement > 100) return { field: 'maxDisagreement', problem: 'The most disagreement is a percent from 0 to 100, like 10.' };
  const minRequests = wholeNumber(fields.minRequests);
  if (minRequests === null || minRequests < 1 || minRequests > 1_000_000) return { field: 'minRequests', problem: 'Requests a check needs is a whole number from 1 to 1000000.' };
  const failureLimit = wholeNumber(fields.failureLimit);
  if (failureLimit === null || failureLimit < 1 || failureLimit > 1000) return { field: 'failureLimit', problem: 'Failed checks before rollback is a whole number from 1 to 1000.' };
  return { maxErrorRate: errorRate / 100, maxP99Ms: p99, maxDisagreement: disagreement / 100, minRequests, failureLimit };
}

export function readStrategy(fields: StrategyFields): StrategyReading {
  if (fields.kind === 'replace') return { ok: true, strategy: { strategy: 'replace' } };
  const interval = readInterval(fields.interval);
  if (typeof interval === 'string') return { ok: false, field: 'interval', problem: interval };
  const intervalMs = interval * 1000;
  if (fields.kind === 'shadow') return { ok: true, strategy: { strategy: 'shadow', intervalMs } };
  if (fields.kind === 'ab') {
    const weight = wholeNumber(fields.abWeight.replace(/%$/, ''));
    if (weight === null || weight < 1 || weight > 99) return { ok: false, field: 'abWeight', problem: 'The new version’s share is a whole percent from 1 to 99.' };
    return { ok: true, strategy: { strategy: 'ab', weight, intervalMs } };
  }
  const steps = readSteps(fields.steps);
  if (typeof steps === 'string') return { ok: false, field: 'steps', problem: steps };
  const thresholds = readThresholds(fields);
  if ('problem' in thresholds) return { ok: false, ...thresholds };
  return { ok: true, strategy: { strategy: 'canary', steps: [...steps], intervalMs, thresholds } };
}

/** How long a canary takes at best (every check passes) and at worst before it rolls back by itself. */
export function canaryTiming(strategy: Strategy): { promoteSeconds: number; rollbackSeconds: number } {
  const interval = (strategy.intervalMs ?? 60_000) / 1000;
  return { promoteSeconds: (strategy.steps?.length ?? 1) * interval, rollbackSeconds: (strategy.thresholds?.failureLimit ?? 2) * interval };
}

const percent = (share: number | undefined) => `${Number(((share ?? 0) * 100).toPrecision(6))}%`;

/** The strategy in one line, for the review step. */
export function describeStrategy(strategy: Strategy): string {
  const every = formatSeconds((strategy.intervalMs ?? 60_000) / 1000);
  switch (strategy.strategy) {
    case 'replace':
    case undefined:
      return 'Replace: all traffic to the new version once it answers';
    case 'canary': {
      const limits = strategy.thresholds ?? {};
      const rollbackAfter = limits.failureLimit ?? 2;
      return `Canary: ${(strategy.steps ?? []).map((step) => `${step}%`).join(' → ')}, a check every ${every} (errors ≤ ${percent(limits.maxErrorRate ?? 0.01)}, p99 ≤ ${limits.maxP99Ms ?? 500} ms, disagreement ≤ ${percent(limits.maxDisagreement ?? 0.1)}, at least ${limits.minRequests ?? 10} requests), rollback after ${rollbackAfter} failed ${rollbackAfter === 1 ? 'check' : 'checks'}`;
    }
    case 'ab': {
      const weight = strategy.weight ?? 50;
      return `A/B test: ${weight}% to the new version, ${100 - weight}% to stable, measured every ${every}`;
    }
    case 'shadow':
      return `Shadow: a copy of all traffic to the new version, compared every ${every}`;
  }
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
