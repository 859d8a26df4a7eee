import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { z } from 'zod';
import { GateStanding, RolloutThresholds, type Deployment, type DeploymentEvent, type DeploymentState, type DeploymentWithEvents, type DeployStrategy } from '../../../shared/contract/deployments.ts';
import { deploymentName } from '../../../shared/contract/monitoring.ts';
import { failure } from '../errors.ts';
import type { WorkspaceDb } from '../storage/workspace-db.ts';

/**
 * Every deployment made from a workspace, in its database (`deployments`, `deployment_events`,
 * migration 3): who, when, what, to where, how, and how it ended, with its events in order and
 * the agent's decisions pulled in when a rollout ends. Rows are only ever added to or moved on
 * (deploying → rolling-out → succeeded | rolled-back | failed), never deleted.
 *
 * At most one deployment of a model to a target is under way at a time: the database's partial
 * unique index refuses a second, across processes, and the refusal names the first's id.
 */
export interface NewDeployment {
  model: string;
  version: number;
  ref: string;
  target: string;
  targetUrl: string;
  strategy: DeployStrategy;
  steps: number[] | null;
  intervalMs: number | null;
  thresholds: RolloutThresholds | null;
  gate: GateStanding;
  overrideReason: string | null;
  previousVersion: string | null;
}

interface Row {
  id: string;
  model: string;
  version: number;
  ref: string;
  target: string;
  target_url: string;
  strategy: DeployStrategy;
  spec: string;
  state: DeploymentState;
  by_user: string;
  started_at: number;
  ended_at: number | null;
  gate: string;
  override_reason: string | null;
  bundle_sha256: string | null;
  previous_version: string | null;
  rollout_id: string | null;
  outcome: string;
  owner_pid: number | null;
  owner_host: string | null;
}

const Spec = z.object({ steps: z.array(z.number()).nullable(), intervalMs: z.number().nullable(), thresholds: RolloutThresholds.nullable() });
export const UNDER_WAY: readonly DeploymentState[] = ['deploying', 'rolling-out'];
const isoOf = (ms: number) => new Date(ms).toISOString();

export function newDeploymentId(now: Date): string {
  return `dep-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export class DeploymentLog {
  readonly #db: WorkspaceDb;
  readonly #now: () => Date;

  constructor(db: WorkspaceDb, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  /**
   * Record a deployment as under way (state `deploying`, owned by this process), or CONFLICT
   * naming the deployment of the same model to the same target that is under way already.
   */
  begin(fresh: NewDeployment): Deployment {
    const now = this.#now();
    const id = newDeploymentId(now);
    try {
      this.#db.use((db) =>
        db
          .prepare(
            `INSERT INTO deployments (id, model, version, ref, target, target_url, strategy, spec, state, by_user, started_at, gate, override_reason, previous_version, outcome, owner_pid, owner_host)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'deploying', ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, fresh.model, fresh.version, fresh.ref, fresh.target, fresh.targetUrl, fresh.strategy, JSON.stringify({ steps: fresh.steps, intervalMs: fresh.intervalMs, thresholds: fresh.thresholds }), currentUser(), now.getTime(), JSON.stringify(fresh.gate), fresh.overrideReason, fresh.previousVersion, 'Deploying.', process.pid, hostname()),
      );
    } catch (error) {
      const first = this.underWay(fresh.target, fresh.model);
      if (!first || !/UNIQUE/i.test((error as Error).message)) throw error;
      throw failure('CONFLICT', `${fresh.model} is already being deployed to ${fresh.target}: deployment ${first.id} (${first.model}@${first.version}, ${first.strategy}, started ${first.startedAt} by ${first.by}) is ${first.state === 'rolling-out' ? 'rolling out' : 'under way'}.`, {
        hint: first.state === 'rolling-out' ? `Wait for it to end, or end it: \`lathe deploy promote ${fresh.model} --target ${fresh.target}\` or \`lathe deploy rollback ${fresh.model} --target ${fresh.target}\`.` : 'Wait for it to finish, then deploy again.',
        location: { field: 'target' },
      });
    }
    const what = fresh.ref === `${fresh.model}@${fresh.version}` ? fresh.ref : `${fresh.ref} (${fresh.model}@${fresh.version})`;
    this.event(id, 'started', `${what} to ${fresh.target} (${fresh.targetUrl}), ${fresh.strategy}.`);
    return this.require(id);
  }

  event(id: string, kind: DeploymentEvent['kind'], message: string, at: Date = this.#now()): void {
    this.#db.use((db) => {
      const { next } = db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM deployment_events WHERE deployment = ?').get(id) as { next: number };
      db.prepare('INSERT INTO deployment_events (deployment, seq, at, kind, message) VALUES (?, ?, ?, ?, ?)').run(id, next, at.getTime(), kind, message);
    });
  }

  /** Move a deployment on; an ended one (succeeded, rolled-back, failed) gets its end time and loses its owner. */
  update(id: string, change: { state?: DeploymentState; outcome?: string; bundleSha256?: string; rolloutId?: string }): Deployment {
    const ended = change.state !== undefined && !UNDER_WAY.includes(change.state);
    this.#db.use((db) =>
      db
        .prepare(
          `UPDATE deployments SET state = COALESCE(?, state), outcome = COALESCE(?, outcome), bundle_sha256 = COALESCE(?, bundle_sha256), rollout_id = COALESCE(?, rollout_id),
             ended_at = CASE WHEN ? THEN ? ELSE ended_at END, owner_pid = CASE WHEN ? THEN NULL ELSE owner_pid END, owner_host = CASE WHEN ? THEN NULL ELSE owner_host END
           WHERE id = ?`,
        )
        .run(change.state ?? null, change.outcome ?? null, change.bundleSha256 ?? null, change.rolloutId ?? null, ended ? 1 : 0, this.#now().getTime(), ended || change.state === 'rolling-out' ? 1 : 0, ended || change.state === 'rolling-out' ? 1 : 0, id),
    );
    return this.require(id);
  }

  get(id: string): Deployment | null {
    const row = this.#db.use((db) => db.prepare('SELECT * FROM deployments WHERE id = ?').get(id)) as Row | undefined;
    return row ? view(row) : null;
  }

  require(id: string): Deployment {
    const found = this.get(id);
    if (!found) throw failure('NOT_FOUND', `There is no deployment ${id} in this workspace.`, { hint: '`lathe deploy history` lists them.', location: { field: 'id' } });
    return found;
  }

  underWay(target: string, model: string): Deployment | null {
    const row = this.#db.use((db) => db.prepare("SELECT * FROM deployments WHERE target = ? AND model = ? AND state IN ('deploying', 'rolling-out')").get(target, model)) as Row | undefined;
    return row ? view(row) : null;
  }

  /** The newest deployment of `model` to `target` that reached the agent, for status. */
  latest(target: string, model: string): Deployment | null {
    const row = this.#db.use((db) => db.prepare("SELECT * FROM deployments WHERE target = ? AND model = ? AND state != 'failed' ORDER BY started_at DESC, rowid DESC LIMIT 1").get(target, model)) as Row | undefined;
    return row ? view(row) : null;
  }

  /** Newest first, each with its events. */
  history(filter: { target?: string | undefined; model?: string | undefined; limit: number }): DeploymentWithEvents[] {
    return this.#db.use((db) => {
      const rows = db
        .prepare('SELECT * FROM deployments WHERE (? IS NULL OR target = ?) AND (? IS NULL OR model = ?) ORDER BY started_at DESC, rowid DESC LIMIT ?')
        .all(filter.target ?? null, filter.target ?? null, filter.model ?? null, filter.model ?? null, filter.limit) as unknown as Row[];
      const events = db.prepare('SELECT at, kind, message FROM deployment_events WHERE deployment = ? ORDER BY seq');
      return rows.map((row) => ({
        ...view(row),
        events: (events.all(row.id) as { at: number; kind: DeploymentEvent['kind']; message: string }[]).map((event) => ({ deployment: row.id, at: isoOf(event.at), kind: event.kind, message: event.message })),
      }));
    });
  }

  withEvents(id: string): DeploymentWithEvents {
    const deployment = this.require(id);
    const events = this.#db.use((db) => db.prepare('SELECT at, kind, message FROM deployment_events WHERE deployment = ? ORDER BY seq').all(id)) as { at: number; kind: DeploymentEvent['kind']; message: string }[];
    return { ...deployment, events: events.map((event) => ({ deployment: id, at: isoOf(event.at), kind: event.kind, message: event.message })) };
  }

  /**
   * Deployments left `deploying` by a process on this machine that has ended (killed mid-upload):
   * they never finished, so they become `failed`, saying so, and stop blocking the next deploy.
   */
  recoverAbandoned(isAlive: (pid: number) => boolean): string[] {
    const host = hostname();
    const stuck = this.#db.use((db) => db.prepare("SELECT id, owner_pid FROM deployments WHERE state = 'deploying' AND owner_host = ? AND owner_pid IS NOT NULL").all(host)) as { id: string; owner_pid: number }[];
    const recovered: string[] = [];
    for (const row of stuck) {
      if (row.owner_pid === process.pid || isAlive(row.owner_pid)) continue;
      this.update(row.id, { state: 'failed', outcome: `Process ${row.owner_pid} on ${host} ended while this deployment was under way; whatever the target served before serves on.` });
      this.event(row.id, 'failed', `Process ${row.owner_pid} ended mid-deploy; marked failed when the workspace was next used.`);
      recovered.push(row.id);
    }
    return recovered;
  }
}

function view(row: Row): Deployment {
  const spec = Spec.parse(JSON.parse(row.spec));
  return {
    id: row.id,
    name: deploymentName(row.target, row.model),
    model: row.model,
    version: row.version,
    ref: row.ref,
    target: row.target,
    targetUrl: row.target_url,
    strategy: row.strategy,
    steps: spec.steps,
    intervalMs: spec.intervalMs,
    thresholds: spec.thresholds,
    state: row.state,
    by: row.by_user,
    startedAt: isoOf(row.started_at),
    endedAt: row.ended_at === null ? null : isoOf(row.ended_at),
    gate: GateStanding.parse(JSON.parse(row.gate)),
    rolloutId: row.rollout_id,
    overrideReason: row.override_reason,
    bundleSha256: row.bundle_sha256,
    previousVersion: row.previous_version,
    outcome: row.outcome,
  };
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
