import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { FINISHED_PHASES, type AnalysisRecord, type Arm, type Decision, type RolloutAction, type RolloutStatus, type StartRollout } from '../../../shared/contract/agent-admin.ts';
import { reachPhase } from '../../core/base/phases.ts';
import { failedTo, failure, toLatheError } from '../../core/errors.ts';
import type { Prediction } from '../../core/serving/serving-messages.ts';
import type { LoadedVersion, ModelSlots } from '../model-slots.ts';
import { ArmWindow } from './arm-window.ts';
import { compareWithStable, mirrorToShadow } from './background-checks.ts';
import { judgeCanary } from './canary-analysis.ts';
import { joinOutcome } from './ab-outcomes.ts';
import { conflict, describeSpec, observed, pastTense } from './decision-text.ts';
import { FeedbackBook } from './feedback-book.ts';
import { afterRestart } from './restart-decision.ts';
import { experimentOf } from './experiment.ts';
import type { RolloutClock } from './rollout-clock.ts';
import { emptyCounts, KEEP_ENTRIES, KEEP_FINISHED, type RolloutFiles, type RolloutRecord } from './rollout-record.ts';
import { chooseArm } from './traffic-split.ts';

/**
 * The rollout controller, inside the agent (as Argo's lives in the cluster), so a rollout goes on
 * when the laptop that started it is closed. One rollout per model at a time. Each interval it
 * judges what the agent itself measured (canary: against thresholds, rolling back by itself after
 * `failureLimit` failures, promoting after the last step passes; A/B and shadow: recorded for a
 * person to decide). Every decision is applied, then written to rollouts.json (atomically) and
 * the decision log, one at a time; a restart resumes from what was written.
 */
export interface ControllerOptions {
  slots: ModelSlots;
  files: RolloutFiles;
  clock: RolloutClock;
  /** The draw that splits traffic (default Math.random). */
  random?: (() => number) | undefined;
  warn: (text: string) => void;
  /** Counted per arm in /metrics. */
  routed?: (model: string, version: string, arm: Arm | 'shadow') => void;
}

/** Background comparisons (and shadow copies) a model may have in flight; more are skipped, not queued. */
export const MAX_BACKGROUND = 16;

interface Live {
  record: RolloutRecord;
  windows: Record<Arm, ArmWindow>;
  pending: Set<Promise<void>>;
  cancel: (() => void) | null;
  routedSinceDecision: Record<Arm, number>;
}

export interface Routed {
  loaded: LoadedVersion;
  arm: Arm;
  rollout: string | null;
}

export interface Answer {
  model: string;
  routed: Routed;
  requestId: string;
  rows: readonly Record<string, unknown>[];
  latencyMs: number;
  /** null when the request failed. */
  predictions: readonly Prediction[] | null;
  /** A failure of the model (5xx), not of the client's request. */
  failed: boolean;
}

export class RolloutController {
  private readonly records = new Map<string, RolloutRecord>();
  private readonly live = new Map<string, Live>();
  private readonly book = new FeedbackBook();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly options: ControllerOptions;

  constructor(options: ControllerOptions) {
    this.options = options;
  }

  /** Take up the rollouts a previous run left, after the slots were restored. */
  async restore(): Promise<void> {
    for (const record of await this.options.files.read()) this.records.set(record.id, record);
    for (const record of this.records.values()) {
      if (FINISHED_PHASES.includes(record.phase)) continue;
      await this.decide(record, async () => {
        const decision = afterRestart(record, this.options.slots.get(record.model), this.options.slots.candidatesLost.get(record.model));
        if (!decision.resume) return this.finish(record, decision.phase, decision.phase, decision.reason);
        this.goLive(record);
        this.note(record, 'restarted', `The agent restarted; the rollout resumes at step ${record.step} (weight ${record.weight} %)${record.phase === 'paused' ? ', paused' : ''}.`);
        await this.options.slots.setCandidateWeight(record.model, this.weightFor(record));
        if (record.phase === 'progressing') this.schedule(record);
      });
    }
  }

  activeId(model: string): string | null {
    return this.live.get(model)?.record.id ?? null;
  }

  get(id: string): RolloutStatus | undefined {
    const record = this.records.get(id);
    return record && this.status(record);
  }

  list(model?: string): RolloutStatus[] {
    return [...this.records.values()].filter((record) => model === undefined || record.model === model).sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id)).map((record) => this.status(record));
  }

  async start(spec: StartRollout): Promise<RolloutStatus> {
    const running = this.live.get(spec.model);
    if (running) throw conflict(running.record);
    const slot = this.options.slots.get(spec.model);
    if (!slot) throw failure('NOT_FOUND', `No model named ${spec.model} is loaded on this agent.`, { hint: `Load its stable version with PUT /admin/models/${spec.model} first.` });
    if (!slot.candidate) throw failure('FAILED_PRECONDITION', `Model ${spec.model} has no candidate loaded to roll out.`, { hint: `Send the new version first: PUT /admin/models/${spec.model}/candidate with the bundle as the body.` });
    if (spec.candidateVersion !== undefined && spec.candidateVersion !== slot.candidate.ref.version) {
      throw failure('CONFLICT', `The candidate loaded for model ${spec.model} is version ${slot.candidate.ref.version}, not ${spec.candidateVersion}.`, { hint: 'Send the version you mean as the candidate, or start the rollout for the one loaded.', location: { field: 'candidateVersion' } });
    }
    const at = this.options.clock.now().toISOString();
    const record: RolloutRecord = {
      id: `rollout-${at.slice(0, 10).replace(/-/g, '')}-${randomBytes(5).toString('hex')}`,
      model: spec.model,
      strategy: spec.strategy,
      spec,
      stable: { version: slot.stable.ref.version },
      candidate: { version: slot.candidate.ref.version },
      phase: 'progressing',
      step: 0,
      weight: 0,
      failedAnalyses: 0,
      startedAt: at,
      updatedAt: at,
      analyses: [],
      decisions: [],
      outcomes: { metric: null, unkeyed: 0, stable: emptyCounts(), candidate: emptyCounts() },
    };
    this.records.set(record.id, record);
    // Live at once, so a second start for this model is refused even before this one is on disk.
    this.goLive(record);
    const begun = this.decide(record, async () => {
      this.note(record, 'started', `${describeSpec(spec)}: stable version ${record.stable.version}, candidate version ${record.candidate.version}.`);
      if (spec.strategy === 'replace') return this.promote(record, 'Replace: the candidate answered its readiness check, so it becomes stable at once.');
      record.weight = spec.strategy === 'canary' ? spec.steps[0]! : spec.strategy === 'ab' ? spec.weight : 0;
      if (spec.strategy === 'canary') this.note(record, 'step', `Step 0: ${record.weight} % of traffic to the candidate.`);
      await this.options.slots.setCandidateWeight(record.model, this.weightFor(record));
      this.schedule(record);
    });
    try {
      await begun;
    } catch (error) {
      // Not started after all: no traffic to the candidate (which stays loaded), and the reason kept.
      const failed = failedTo(`start the rollout of model ${record.model}`, error, 'The candidate gets no traffic; the stable version serves everything.');
      if (this.live.get(record.model)?.record === record) {
        this.options.slots.silenceCandidate(record.model);
        this.finish(record, 'failed', 'failed', `The rollout could not start: ${failed.message}`);
        await this.persist().catch(() => {});
      }
      throw failed;
    }
    return this.status(record);
  }

  async act(id: string, action: RolloutAction, reason: string | undefined): Promise<RolloutStatus> {
    const record = this.records.get(id);
    if (!record) throw failure('NOT_FOUND', `There is no rollout ${id} on this agent.`, { hint: 'GET /admin/rollouts lists them.' });
    await this.decide(record, async () => {
      if (FINISHED_PHASES.includes(record.phase)) throw failure('FAILED_PRECONDITION', `Rollout ${id} is already ${record.phase}; it cannot be ${pastTense(action)}.`);
      const by = reason ? ` (${reason})` : '';
      if (action === 'promote') return this.promote(record, `Promoted by an operator${by}.`);
      if (action === 'abort') return this.rollBack(record, 'aborted', `Aborted by an operator${by}: all traffic back to stable version ${record.stable.version}.`);
      if (action === 'pause') {
        if (record.phase === 'paused') return;
        this.live.get(record.model)?.cancel?.();
        record.phase = 'paused';
        this.note(record, 'paused', `Paused by an operator${by}; the candidate keeps ${record.weight} % of traffic and no analysis runs until resumed.`);
        return;
      }
      if (record.phase !== 'paused') return;
      record.phase = 'progressing';
      this.note(record, 'resumed', `Resumed by an operator${by}; the next analysis is one interval from now.`);
      this.schedule(record);
    });
    return this.status(record);
  }

  /** The version that answers a request, and the arm it stands for. */
  route(name: string, version: string | undefined, headers: IncomingHttpHeaders, bodyKey: unknown): Routed | undefined {
    const slot = this.options.slots.get(name);
    if (!slot) return undefined;
    const live = this.live.get(name);
    const rollout = live?.record.id ?? null;
    const as = (arm: Arm): Routed | undefined => {
      const loaded = arm === 'candidate' ? slot.candidate : slot.stable;
      return loaded ? { loaded, arm, rollout } : undefined;
    };
    if (version !== undefined) return version === slot.stable.ref.version ? as('stable') : version === slot.candidate?.ref.version ? as('candidate') : undefined;
    const chosen = chooseArm(slot, live?.record ?? null, headers, bodyKey, this.options.random ?? Math.random);
    if (chosen.unkeyed) live!.record.outcomes.unkeyed++;
    return as(chosen.arm);
  }

  /** What the inference door tells of each request a rollout's model answered: measured, compared, mirrored, remembered. */
  answered(answer: Answer): void {
    const { routed } = answer;
    this.options.routed?.(answer.model, routed.loaded.ref.version, routed.arm);
    const live = this.live.get(answer.model);
    if (!live || routed.rollout !== live.record.id || live.record.phase === 'promoted') return;
    const { record, windows } = live;
    record.outcomes[routed.arm].routed++;
    live.routedSinceDecision[routed.arm]++;
    windows[routed.arm].record(answer.latencyMs, answer.failed);
    const slot = this.options.slots.get(answer.model);
    if (!slot?.candidate || !answer.predictions) return;
    const { strategy } = record.spec;
    if (strategy === 'canary' && routed.arm === 'candidate') {
      this.inBackground(live, () => compareWithStable(slot.stable, answer.rows, answer.predictions!, windows.candidate, this.tolerance(record)));
    } else if (strategy === 'shadow' && routed.arm === 'stable') {
      const shadow = slot.candidate;
      if (this.inBackground(live, () => mirrorToShadow(shadow, answer.rows, answer.predictions!, windows.candidate, this.tolerance(record), () => this.options.clock.elapsedMs()))) {
        this.options.routed?.(answer.model, shadow.ref.version, 'shadow');
      }
    } else if (strategy === 'ab') {
      const only = answer.rows.length === 1 ? answer.predictions[0]!.predicted : null;
      this.book.remember(answer.requestId, { model: answer.model, rollout: record.id, arm: routed.arm, version: routed.loaded.ref.version, predicted: only, rows: answer.rows.length });
    }
  }

  /** Join an outcome to the request it is about; counted in the rollout's persisted outcomes. */
  feedback(model: string, id: string, outcome: { label: string | number | boolean } | { reward: number }): { arm: Arm; version: string; rollout: string; correct: boolean | null } {
    const entry = this.book.unjoined(model, id);
    const record = this.records.get(entry.rollout)!;
    if (FINISHED_PHASES.includes(record.phase)) throw failure('FAILED_PRECONDITION', `Rollout ${record.id}, which answered request ${id}, is already ${record.phase}; its outcomes are closed.`);
    const correct = joinOutcome(record, entry, id, outcome);
    return { arm: entry.arm, version: entry.version, rollout: record.id, correct };
  }

  /** Stop the timers (the agent is shutting down); what is on disk resumes at the next start. */
  async close(): Promise<void> {
    this.closed = true;
    for (const live of this.live.values()) live.cancel?.();
    await this.queue.catch(() => {});
  }

  status(record: RolloutRecord): RolloutStatus {
    const live = this.live.get(record.model);
    const timed = live?.record === record && record.phase === 'progressing';
    const { outcomes: _counts, ...rest } = record;
    return {
      ...rest,
      nextAnalysisAt: timed ? new Date(Date.parse(record.updatedAt) + intervalOf(record)).toISOString() : null,
      experiment: record.spec.strategy === 'ab' ? experimentOf(record) : null,
    };
  }

  // ————— decisions —————

  /**
   * Run one decision at a time, then write it down (rollouts.json, then the log line with the
   * traffic routed since the decision before); a failure to write is thrown on, not hidden.
   */
  private decide(record: RolloutRecord, work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      const live = this.live.get(record.model);
      const routed = live?.record === record ? live.routedSinceDecision : { stable: 0, candidate: 0 };
      if (live?.record === record) live.routedSinceDecision = { stable: 0, candidate: 0 };
      const before = record.decisions.length;
      try {
        await work();
      } finally {
        const added = record.decisions.slice(before);
        record.updatedAt = this.options.clock.now().toISOString();
        try {
          await this.persist();
        } finally {
          await this.logDecisions(record, added, routed);
        }
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private async persist(): Promise<void> {
    const all = [...this.records.values()];
    const finished = all.filter((record) => FINISHED_PHASES.includes(record.phase)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    for (const old of finished.slice(KEEP_FINISHED)) this.records.delete(old.id);
    // A long A/B test records an analysis every interval: the oldest go (the decision log keeps every decision).
    for (const record of this.records.values()) {
      record.analyses.splice(0, Math.max(0, record.analyses.length - KEEP_ENTRIES));
      record.decisions.splice(0, Math.max(0, record.decisions.length - KEEP_ENTRIES));
    }
    await this.options.files.write([...this.records.values()]);
  }

  private async logDecisions(record: RolloutRecord, decisions: readonly Decision[], routed: Record<Arm, number>): Promise<void> {
    try {
      for (const decision of decisions) await this.options.files.log({ rollout: record.id, model: record.model, step: record.step, weight: record.weight, routed, ...decision });
    } catch (error) {
      this.options.warn(`Could not append to the rollout decision log: ${toLatheError(error).message}`);
    }
  }

  private note(record: RolloutRecord, action: Decision['action'], reason: string): void {
    record.decisions.push({ at: this.options.clock.now().toISOString(), action, reason });
  }

  private goLive(record: RolloutRecord): void {
    this.live.set(record.model, { record, windows: { stable: new ArmWindow(), candidate: new ArmWindow() }, pending: new Set(), cancel: null, routedSinceDecision: { stable: 0, candidate: 0 } });
  }

  private schedule(record: RolloutRecord): void {
    const live = this.live.get(record.model);
    if (!live || this.closed) return;
    live.cancel?.();
    live.windows = { stable: new ArmWindow(), candidate: new ArmWindow() };
    live.cancel = this.options.clock.after(intervalOf(record), () => this.intervalEnded(record));
  }

  private async intervalEnded(record: RolloutRecord): Promise<void> {
    const live = this.live.get(record.model);
    if (!live || live.record !== record || record.phase !== 'progressing') return;
    live.cancel = null;
    // The comparisons of requests answered in this interval belong to it.
    await Promise.allSettled([...live.pending]);
    const { windows } = live;
    await this.decide(record, async () => {
      if (record.phase !== 'progressing') return;
      const stable = windows.stable.measurement(record.stable.version);
      const candidate = windows.candidate.measurement(record.candidate.version);
      const at = this.options.clock.now().toISOString();
      const base = { at, step: record.step, weight: record.weight, stable, candidate };
      if (record.spec.strategy !== 'canary') {
        record.analyses.push({ ...base, verdict: 'observed', reason: observed(record, candidate) });
        return this.schedule(record);
      }
      const { analysis, steps } = record.spec;
      const verdict = judgeCanary(analysis, candidate);
      const entry: AnalysisRecord = { ...base, ...verdict };
      record.analyses.push(entry);
      if (verdict.verdict === 'failed') {
        record.failedAnalyses++;
        this.note(record, 'analysis-failed', `Analysis ${record.failedAnalyses} of ${analysis.failureLimit} allowed failed at step ${record.step} (${record.weight} %): ${verdict.reason}.`);
        if (record.failedAnalyses >= analysis.failureLimit) {
          return this.rollBack(record, 'rolled-back', `Rolled back automatically after ${record.failedAnalyses} failed analyses (the limit is ${analysis.failureLimit}); last: ${verdict.reason}. All traffic back to stable version ${record.stable.version}.`);
        }
        return this.schedule(record);
      }
      this.note(record, 'analysis-passed', `Step ${record.step} (${record.weight} %) passed: ${verdict.reason}.`);
      if (record.step + 1 >= steps.length) return this.promote(record, `Every step passed its analysis (last at ${record.weight} %); the candidate becomes stable.`);
      record.step++;
      record.weight = steps[record.step]!;
      this.note(record, 'step', `Step ${record.step}: ${record.weight} % of traffic to the candidate.`);
      await this.options.slots.setCandidateWeight(record.model, record.weight);
      this.schedule(record);
    }).catch((error: unknown) => this.options.warn(`Rollout ${record.id}: ${toLatheError(error).message}`));
  }

  private async promote(record: RolloutRecord, reason: string): Promise<void> {
    this.live.get(record.model)?.cancel?.();
    try {
      await this.options.slots.promoteCandidate(record.model);
    } catch (error) {
      return this.rollBack(record, 'failed', `Promotion failed (${toLatheError(error).message}); all traffic back to stable version ${record.stable.version}.`);
    }
    this.finish(record, 'promoted', 'promoted', reason);
  }

  /** Weight 0 at once, then the candidate unloaded: safety first, bookkeeping after. */
  /**
   * The candidate out of traffic and unloaded, then the rollout finished — in memory even when the
   * disk refuses to record it (the error is said in the reason, and thrown on by decide()).
   */
  private async rollBack(record: RolloutRecord, phase: 'rolled-back' | 'aborted' | 'failed', reason: string): Promise<void> {
    this.live.get(record.model)?.cancel?.();
    let unrecorded: unknown = null;
    await this.options.slots.dropCandidate(record.model).catch((error: unknown) => (unrecorded = error));
    await reachPhase('agent:candidate-unloaded');
    this.finish(record, phase, phase, unrecorded === null ? reason : `${reason} (The candidate is out of traffic, but models.json could not record it: ${toLatheError(unrecorded).message})`);
  }

  private finish(record: RolloutRecord, phase: RolloutRecord['phase'], action: Decision['action'], reason: string): void {
    record.phase = phase;
    record.weight = phase === 'promoted' ? 100 : 0;
    this.note(record, action, reason);
    const live = this.live.get(record.model);
    if (live?.record === record) {
      live.cancel?.();
      this.live.delete(record.model);
    }
    this.book.forgetRollout(record.id);
  }

  private weightFor(record: RolloutRecord): number {
    return record.spec.strategy === 'shadow' ? 0 : record.weight;
  }

  private tolerance(record: RolloutRecord): number {
    return record.spec.strategy === 'canary' ? record.spec.analysis.regressionTolerance : record.spec.strategy === 'shadow' ? record.spec.regressionTolerance : 0.05;
  }

  /** Start background work unless the model already has MAX_BACKGROUND in flight; false when skipped. */
  private inBackground(live: Live, work: () => Promise<void>): boolean {
    if (live.pending.size >= MAX_BACKGROUND) return false;
    const tracked: Promise<void> = work()
      .catch(() => {})
      .finally(() => live.pending.delete(tracked));
    live.pending.add(tracked);
    return true;
  }

}

function intervalOf(record: RolloutRecord): number {
  return record.spec.strategy === 'replace' ? 0 : record.spec.intervalMs;
}
