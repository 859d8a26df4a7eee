import type { Alert, AlertDetail, AlertMeasurement, AlertRule, AlertRuleKind, AlertSeverity } from '../../../shared/contract/alerts.ts';
import type { DriftVerdict, RecorderStats, WindowSummary } from '../../../shared/contract/monitoring.ts';
import { driftScoreText, methodName, number, percent, windowsText } from './alert-wording.ts';

/**
 * Rules over a deployment's windows → the alerts to raise, resolve or update. Pure: the same
 * input always gives the same answer, so the watcher can run it on every fetch.
 *
 * - Only closed windows are judged (an open window's verdict can still change).
 * - A window whose verdict is "not-enough-data" (or that has no reference, or lacks the value)
 *   says nothing: it neither extends a streak nor breaks one, neither raises nor resolves.
 * - A condition raises once: while an alert for the same (rule, deployment, subject) is open,
 *   nothing new is raised for it. It resolves when the latest judged window no longer meets it.
 * - Alerts of a rule that was removed or disabled are resolved, saying so.
 */
export interface RuleEvaluationInput {
  deployment: string;
  rules: readonly AlertRule[];
  /** The deployment's windows, any order (the open one is ignored). */
  windows: readonly WindowSummary[];
  recorder: RecorderStats;
  /** The model's test accuracy, when known (for accuracy-below rules with belowTestMetric). */
  testAccuracy: number | null;
  /** The newest alert of this deployment per (rule, subject), open or resolved. */
  latest: readonly Alert[];
}

export interface AlertToRaise {
  deployment: string;
  ruleId: string;
  ruleKind: AlertRuleKind;
  severity: AlertSeverity;
  subject: string;
  summary: string;
  detail: AlertDetail;
}

export interface RuleEvaluation {
  raise: AlertToRaise[];
  resolve: { id: string; why: string }[];
  /** Open alerts whose numbers moved on (records-dropped: more were dropped since). */
  update: { id: string; summary: string; detail: AlertDetail }[];
}

/** A window's judgement of a condition: true (met), false (not met), null (cannot tell). */
interface Judgement {
  window: number;
  met: boolean | null;
  measurement: AlertMeasurement | null;
  /** The words for the latest met window: "Wasserstein 0.31 ≥ 0.1". */
  words: string;
}

export function evaluateRules(input: RuleEvaluationInput): RuleEvaluation {
  const result: RuleEvaluation = { raise: [], resolve: [], update: [] };
  const closed = input.windows.filter((window) => window.endedAt !== null).sort((a, b) => a.index - b.index);
  const latestByKey = new Map(input.latest.map((alert) => [key(alert.ruleId, alert.subject), alert]));
  const judgedKeys = new Set<string>();

  for (const rule of input.rules) {
    if (!rule.enabled || (rule.deployment !== '*' && rule.deployment !== input.deployment)) continue;
    for (const { subject, judgements, windows, describe } of conditionsOf(rule, closed, input)) {
      const id = key(rule.id, subject);
      judgedKeys.add(id);
      const previous = latestByKey.get(id);
      const open = previous?.state === 'open' ? previous : null;
      const streak = metStreak(judgements);
      const latestJudged = judgements.findLast((judgement) => judgement.met !== null);
      if (!open && streak.length >= windows) {
        const held = streak.slice(-windows);
        result.raise.push({
          deployment: input.deployment,
          ruleId: rule.id,
          ruleKind: rule.kind,
          severity: rule.severity,
          subject,
          summary: describe(held),
          detail: { windows: held.map((judgement) => judgement.window), measurements: held.flatMap((judgement) => (judgement.measurement ? [judgement.measurement] : [])), dropped: null },
        });
      } else if (open && latestJudged?.met === false) {
        result.resolve.push({ id: open.id, why: `no longer met in window ${latestJudged.window}${latestJudged.words ? ` (${latestJudged.words})` : ''}` });
      }
    }
    if (rule.kind === 'records-dropped') {
      judgedKeys.add(key(rule.id, RECORDER));
      droppedRecords(rule, input, latestByKey.get(key(rule.id, RECORDER)) ?? null, result);
    }
  }

  const ruleIds = new Map(input.rules.map((rule) => [rule.id, rule]));
  for (const alert of input.latest) {
    if (alert.state !== 'open' || judgedKeys.has(key(alert.ruleId, alert.subject))) continue;
    const rule = ruleIds.get(alert.ruleId);
    if (!rule) result.resolve.push({ id: alert.id, why: `its rule "${alert.ruleId}" was removed` });
    else if (!rule.enabled) result.resolve.push({ id: alert.id, why: `its rule "${alert.ruleId}" was disabled` });
    else if (rule.kind !== alert.ruleKind) result.resolve.push({ id: alert.id, why: `its rule "${alert.ruleId}" now watches ${rule.kind}` });
    else if (rule.deployment !== '*' && rule.deployment !== input.deployment) result.resolve.push({ id: alert.id, why: `its rule "${alert.ruleId}" no longer watches ${input.deployment}` });
    // Otherwise the subject was not seen this time (a feature absent from these windows): leave it as it is.
  }
  return result;
}

const RECORDER = 'recorder';

function key(ruleId: string, subject: string): string {
  return `${ruleId}\u0000${subject}`;
}

/** The met windows at the end of the series, skipping windows that cannot tell; empty when the latest judged window is not met. */
function metStreak(judgements: readonly Judgement[]): Judgement[] {
  const streak: Judgement[] = [];
  for (let i = judgements.length - 1; i >= 0; i -= 1) {
    const judgement = judgements[i]!;
    if (judgement.met === null) continue;
    if (!judgement.met) break;
    streak.unshift(judgement);
  }
  return streak;
}

interface Condition {
  subject: string;
  judgements: Judgement[];
  windows: number;
  describe(held: readonly Judgement[]): string;
}

function conditionsOf(rule: AlertRule, closed: readonly WindowSummary[], input: RuleEvaluationInput): Condition[] {
  switch (rule.kind) {
    case 'feature-drift': {
      const names = rule.feature === '*' ? [...new Set(closed.flatMap((window) => window.features.map((feature) => feature.name)))] : [rule.feature];
      return names.map((name) => ({
        subject: name,
        windows: rule.windows,
        judgements: closed.map((window) => {
          const column = window.reference ? window.features.find((feature) => feature.name === name) : undefined;
          if (!column) return unknown(window);
          return {
            window: window.index,
            met: verdictMet(column.drift.verdict),
            measurement: { window: window.index, measure: methodName(column.drift.method), value: column.drift.score, threshold: column.drift.threshold },
            words: driftScoreText(column.drift),
          };
        }),
        describe: (held) => `${name} drifted ${windowsText(held.map((j) => j.window))} (${held.at(-1)!.words})`,
      }));
    }
    case 'dataset-drift':
      return [
        {
          subject: 'dataset',
          windows: rule.windows,
          judgements: closed.map((window) =>
            window.reference
              ? {
                  window: window.index,
                  met: verdictMet(window.dataset.verdict),
                  measurement: { window: window.index, measure: 'drifted share', value: window.dataset.share, threshold: null },
                  words: `${window.dataset.drifted} of ${window.dataset.judged} features drifted`,
                }
              : unknown(window),
          ),
          describe: (held) => `The dataset drifted ${windowsText(held.map((j) => j.window))} (${latestWords(held)})`,
        },
      ];
    case 'accuracy-below': {
      const floor = rule.floor ?? (input.testAccuracy === null ? null : input.testAccuracy - rule.belowTestMetric!);
      if (floor === null) return [];
      const against = rule.floor !== undefined ? `the floor ${number(floor)}` : `${number(floor)} (test accuracy ${number(input.testAccuracy!)} − ${number(rule.belowTestMetric!)})`;
      return [
        {
          subject: 'accuracy',
          windows: rule.windows,
          judgements: closed.map((window) => {
            const { accuracy, estimate, labelled } = window.performance;
            const measured = accuracy && labelled > 0 ? { what: 'accuracy', interval: accuracy } : rule.useEstimate && estimate ? { what: 'accuracy estimate', interval: estimate } : null;
            if (!measured) return unknown(window);
            const { value, low, high } = measured.interval;
            return {
              window: window.index,
              met: value < floor,
              measurement: { window: window.index, measure: measured.what, value, threshold: floor },
              words: `${measured.what} ${number(value)}, 95 % ${number(low)}–${number(high)}`,
            };
          }),
          describe: (held) => `Accuracy is below ${against} ${windowsText(held.map((j) => j.window))} (${latestWords(held)})`,
        },
      ];
    }
    case 'latency-above':
      return [
        {
          subject: 'p99',
          windows: rule.windows,
          judgements: closed.map((window) => {
            const p99 = window.latency.p99Ms;
            if (p99 === null) return unknown(window);
            return { window: window.index, met: p99 > rule.p99Ms, measurement: { window: window.index, measure: 'p99 ms', value: p99, threshold: rule.p99Ms }, words: `p99 ${number(p99)} ms` };
          }),
          describe: (held) => `p99 latency is above ${number(rule.p99Ms)} ms ${windowsText(held.map((j) => j.window))} (${latestWords(held)})`,
        },
      ];
    case 'error-rate-above':
      return [
        {
          subject: 'error-rate',
          windows: rule.windows,
          judgements: closed.map((window) => {
            const requests = window.rows + window.errors;
            if (requests === 0) return unknown(window);
            const rate = window.errors / requests;
            return {
              window: window.index,
              met: rate > rule.rate,
              measurement: { window: window.index, measure: 'error rate', value: rate, threshold: rule.rate },
              words: `${window.errors} of ${requests} requests failed, ${percent(rate)}`,
            };
          }),
          describe: (held) => `The error rate is above ${percent(rule.rate)} ${windowsText(held.map((j) => j.window))} (${latestWords(held)})`,
        },
      ];
    case 'records-dropped':
      return [];
  }
}

/** The latest held window's numbers, naming the window when there were several. */
function latestWords(held: readonly Judgement[]): string {
  const last = held.at(-1)!;
  return held.length > 1 ? `${last.words} in window ${last.window}` : last.words;
}

function verdictMet(verdict: DriftVerdict): boolean | null {
  return verdict === 'not-enough-data' ? null : verdict === 'drift';
}

function unknown(window: WindowSummary): Judgement {
  return { window: window.index, met: null, measurement: null, words: '' };
}

/**
 * The recorder's dropped count is cumulative for the agent's life. New drops since the newest
 * alert of the rule (open or resolved) raise one; an open one is updated while drops go on and
 * resolves at the first fetch without new drops. A count below what was seen means the agent's
 * store started over (a restart, a new store): counting starts again from 0.
 */
function droppedRecords(rule: AlertRule, input: RuleEvaluationInput, latest: Alert | null, result: RuleEvaluation): void {
  const { dropped } = input.recorder;
  const seen = latest?.detail.dropped ?? 0;
  const baseline = dropped < seen ? 0 : seen;
  const open = latest?.state === 'open' ? latest : null;
  const detail: AlertDetail = { windows: [], measurements: [{ window: null, measure: 'dropped', value: dropped, threshold: null }], dropped };
  if (open && dropped > baseline) result.update.push({ id: open.id, summary: droppedSummary(input.recorder), detail });
  else if (open) result.resolve.push({ id: open.id, why: `no prediction records were dropped since (${number(dropped)} in all)` });
  else if (dropped > baseline) {
    result.raise.push({ deployment: input.deployment, ruleId: rule.id, ruleKind: rule.kind, severity: rule.severity, subject: RECORDER, summary: droppedSummary(input.recorder), detail });
  }
}

function droppedSummary(recorder: RecorderStats): string {
  const reasons = Object.entries(recorder.droppedBy)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason} ${number(count)}`);
  return `The agent dropped ${number(recorder.dropped)} prediction record${recorder.dropped === 1 ? '' : 's'}${reasons.length ? ` (${reasons.join(', ')})` : ''}${recorder.problem ? `: ${recorder.problem}` : ''}`;
}
