import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import {
  ApprovableStep,
  RetrainLinks,
  RetrainPolicyV1,
  RetrainRun,
  type RetrainPolicy,
  type RetrainRunState,
  type RetrainTrigger,
  type RetrainTriggerKind,
  type TimelineKind,
} from '../../../shared/contract/retraining.ts';
import { failure } from '../errors.ts';
import type { WorkspaceDb } from '../storage/workspace-db.ts';
import { admission, startOfUtcDay, type RunsSoFar } from './retrain-admission.ts';

/**
 * Retrain runs and the events of a model's retraining, in the workspace database (migration 6).
 * A run row carries its steps, links, the policy it started under and its owner (the process
 * running it); every change to a run goes with an event row, so the timeline is the table read
 * in order. Whether a trigger may start a run and the run's first row are decided in one write
 * transaction, so two triggers at once (two alerts, the app and the CLI) cannot both pass a cap.
 */
export const RunRecord = RetrainRun.extend({
  /** The policy as it was when the run started: an approval hours later goes on under it. */
  policy: RetrainPolicyV1,
  /** Steps a person approved (they run without asking again). */
  approved: z.array(ApprovableStep),
  /** The process running it; null while it waits for a person or for its rollout to end. */
  owner: z.object({ pid: z.number().int(), host: z.string() }).nullable(),
});
export type RunRecord = z.infer<typeof RunRecord>;

const Detail = RunRecord.pick({ plan: true, steps: true, links: true, why: true, policy: true, approved: true, owner: true });

interface RunRow {
  id: string;
  model: string;
  trigger: string;
  state: string;
  started_at: number;
  ended_at: number | null;
  detail: string;
}

export interface EventRow {
  seq: number;
  model: string;
  run: string | null;
  at: number;
  kind: TimelineKind;
  message: string;
  links: RetrainLinks;
}

export const noLinks = (): RetrainLinks => ({ alertId: null, pipelineRunId: null, trainingRunId: null, gateReportId: null, modelVersion: null, deploymentId: null });

export function newRetrainRunId(now: number): string {
  return `rt-${new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

export function thisProcess(): { pid: number; host: string } {
  return { pid: process.pid, host: hostname() };
}

export class RetrainRecords {
  readonly #db: WorkspaceDb;

  constructor(db: WorkspaceDb) {
    this.#db = db;
  }

  /**
   * Start a run for `trigger` if the policy lets it (admission), else record the trigger as
   * skipped with the reason. One transaction: the check and the row are one step.
   */
  admit(policy: RetrainPolicy, trigger: RetrainTrigger, links: RetrainLinks, now: number, fresh: (id: string) => RunRecord): { run: RunRecord } | { skipped: string } {
    return this.#db.use((db) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const reason = admission(policy, trigger, this.#runsSoFar(policy.model, now), now);
        let outcome: { run: RunRecord } | { skipped: string };
        if (reason) {
          this.#insertEvent(policy.model, null, now, 'skipped', `${describeTrigger(trigger)}: not retrained, because ${reason}.`, links, trigger.kind);
          outcome = { skipped: reason };
        } else {
          const run = fresh(newRetrainRunId(now));
          db.prepare('INSERT INTO retrain_runs (id, model, trigger, state, started_at, ended_at, detail) VALUES (?, ?, ?, ?, ?, NULL, ?)').run(run.id, run.model, JSON.stringify(run.trigger), run.state, now, JSON.stringify(Detail.parse(run)));
          this.#insertEvent(policy.model, run.id, now, 'trigger', `${describeTrigger(trigger)}: retrain run ${run.id} started (${run.plan.summary}).`, { ...links, ...pickLinks(run.links) }, trigger.kind);
          outcome = { run };
        }
        db.exec('COMMIT');
        return outcome;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /**
   * Write a run as it stands now, with the event that moved it (one transaction). With `expect`,
   * only if the stored run is still in that state (an approval and a rejection at once: one wins).
   */
  save(run: RunRecord, event: { at: number; kind: TimelineKind; message: string } | null, expect?: RetrainRunState): void {
    this.#db.use((db) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const { changes } = db
          .prepare('UPDATE retrain_runs SET state = ?, ended_at = ?, detail = ? WHERE id = ? AND (? IS NULL OR state = ?)')
          .run(run.state, run.endedAt === null ? null : Date.parse(run.endedAt), JSON.stringify(Detail.parse(run)), run.id, expect ?? null, expect ?? null);
        if (Number(changes) === 0) {
          throw failure('CONFLICT', `Retrain run ${run.id} changed meanwhile (approved, rejected or ended elsewhere); nothing was done.`, { hint: `\`lathe retrain runs ${run.model}\` shows where it stands.`, location: { field: 'run' } });
        }
        if (event) this.#insertEvent(run.model, run.id, event.at, event.kind, event.message, run.links);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** A trigger noted without a run (an alert of a kind the policy does not retrain on, a policy that is off). */
  note(model: string, at: number, kind: TimelineKind, message: string, links: RetrainLinks, trigger: RetrainTriggerKind | null = null): void {
    this.#insertEvent(model, null, at, kind, message, links, trigger);
  }

  /** When a trigger of this kind last came for the model (run or skipped), or null. */
  lastTriggered(model: string, kind: RetrainTriggerKind): number | null {
    const row = this.#db.use((db) => db.prepare(`SELECT MAX(at) AS at FROM retrain_events WHERE model = ? AND kind IN ('trigger', 'skipped') AND json_extract(detail, '$.trigger') = ?`).get(model, kind)) as { at: number | null };
    return row.at;
  }

  get(id: string): RunRecord {
    const row = this.#db.use((db) => db.prepare('SELECT * FROM retrain_runs WHERE id = ?').get(id)) as RunRow | undefined;
    if (!row) throw failure('NOT_FOUND', `There is no retrain run ${id} in this workspace.`, { hint: '`lathe retrain runs MODEL` lists them.', location: { field: 'run' } });
    return this.#view(row);
  }

  list(model: string | undefined, limit: number): RunRecord[] {
    const rows = this.#db.use((db) =>
      model === undefined
        ? db.prepare('SELECT * FROM retrain_runs ORDER BY started_at DESC, id DESC LIMIT ?').all(limit)
        : db.prepare('SELECT * FROM retrain_runs WHERE model = ? ORDER BY started_at DESC, id DESC LIMIT ?').all(model, limit),
    ) as unknown as RunRow[];
    return rows.map((row) => this.#view(row));
  }

  /** Runs not yet ended, every model. */
  underWay(): RunRecord[] {
    const rows = this.#db.use((db) => db.prepare(`SELECT * FROM retrain_runs WHERE state IN ('running', 'waiting-approval') ORDER BY started_at`).all()) as unknown as RunRow[];
    return rows.map((row) => this.#view(row));
  }

  /** The model's events, oldest first (the newest `limit`). */
  events(model: string, limit: number): EventRow[] {
    const rows = this.#db.use((db) => db.prepare('SELECT * FROM (SELECT * FROM retrain_events WHERE model = ? ORDER BY at DESC, seq DESC LIMIT ?) ORDER BY at, seq').all(model, limit)) as unknown as { seq: number; model: string; run: string | null; at: number; kind: TimelineKind; message: string; detail: string }[];
    return rows.map((row) => ({ seq: row.seq, model: row.model, run: row.run, at: row.at, kind: row.kind, message: row.message, links: RetrainLinks.parse(JSON.parse(row.detail)) }));
  }

  #runsSoFar(model: string, now: number): RunsSoFar {
    const { count, last } = this.#db.use((db) => db.prepare('SELECT COUNT(*) FILTER (WHERE started_at >= ?) AS count, MAX(started_at) AS last FROM retrain_runs WHERE model = ?').get(startOfUtcDay(now), model)) as { count: number; last: number | null };
    const open = this.#db.use((db) => db.prepare(`SELECT * FROM retrain_runs WHERE model = ? AND state IN ('running', 'waiting-approval') ORDER BY started_at DESC LIMIT 1`).get(model)) as RunRow | undefined;
    const run = open ? this.#view(open) : null;
    const step = run?.steps.find((s) => s.status === 'running' || s.status === 'waiting-approval') ?? null;
    return {
      startedToday: count,
      lastStartedAt: last,
      underWay: run ? { id: run.id, state: run.state, step: step?.name ?? null, detail: step?.message ?? '' } : null,
    };
  }

  /** `detail` holds the entry's links, and the trigger's kind on trigger and skipped entries. */
  #insertEvent(model: string, run: string | null, at: number, kind: TimelineKind, message: string, links: RetrainLinks, trigger: RetrainTriggerKind | null = null): void {
    this.#db.use((db) => db.prepare('INSERT INTO retrain_events (model, run, at, kind, message, detail) VALUES (?, ?, ?, ?, ?, ?)').run(model, run, at, kind, message, JSON.stringify(trigger ? { ...links, trigger } : links)));
  }

  #view(row: RunRow): RunRecord {
    const detail = Detail.safeParse(JSON.parse(row.detail));
    if (!detail.success) {
      throw failure('DATA_DAMAGED', `Retrain run ${row.id} in ${this.#db.file} cannot be read: ${detail.error.issues[0]?.path.join('.')}: ${detail.error.issues[0]?.message}.`, { location: { file: this.#db.file, field: 'retrain_runs.detail' } });
    }
    return {
      id: row.id,
      model: row.model,
      trigger: JSON.parse(row.trigger) as RetrainTrigger,
      state: row.state as RetrainRunState,
      startedAt: new Date(row.started_at).toISOString(),
      endedAt: row.ended_at === null ? null : new Date(row.ended_at).toISOString(),
      ...detail.data,
    };
  }
}

/** "Alert a-12 (feature-drift on edge-1/churn)", "New data penguins@3", "Schedule (every 24 h)", "Manual start by ann". */
export function describeTrigger(trigger: RetrainTrigger): string {
  switch (trigger.kind) {
    case 'alert':
      return `Alert ${trigger.detail}`;
    case 'new-data':
      return `New data ${trigger.detail}`;
    case 'schedule':
      return `Schedule (${trigger.detail})`;
    case 'manual':
      return `Manual start by ${trigger.detail}`;
  }
}

function pickLinks(links: RetrainLinks): Partial<RetrainLinks> {
  return Object.fromEntries(Object.entries(links).filter(([, value]) => value !== null));
}

/** The run as the contract shows it. */
export function publicRun(record: RunRecord): RetrainRun {
  const { policy: _policy, approved: _approved, owner: _owner, ...run } = record;
  return RetrainRun.parse(structuredClone(run));
}
