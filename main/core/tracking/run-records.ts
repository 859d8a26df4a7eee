import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { DatasetInput, Experiment, Lifecycle, RunStatus } from '../../../shared/contract/runs.ts';
import { failure } from '../errors.ts';

/** A run as writes need it. */
export interface RunRef {
  seq: number;
  id: string;
  status: RunStatus;
  lifecycle: Lifecycle;
}

export interface RunRow {
  id: string;
  experiment: number;
  name: string;
  status: RunStatus;
  startTime: number;
  user: string;
  gitCommit: string | null;
  /** JSON text. */
  environment: string | null;
  owner: { pid: number; host: string } | null;
}

/**
 * The rows of experiments and runs (params, tags, dataset inputs, artifacts), one prepared
 * statement each. Every method runs inside the caller's transaction; nothing here checks input
 * (tracking-input.ts did) except what only the database knows: a param's earlier value.
 */
export class RunRecords {
  readonly #sql: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(sql: DatabaseSync) {
    this.#sql = sql;
  }

  run(runId: string): RunRef | undefined {
    if (!/^[0-9a-f]{32}$/.test(runId)) return undefined;
    return this.#q('SELECT seq, id, status, lifecycle FROM runs WHERE id = ?').get(runId) as RunRef | undefined;
  }

  insertRun(row: RunRow): number {
    const inserted = this.#q(
      `INSERT INTO runs (id, experiment, name, status, start_time, user, git_commit, environment, owner_pid, owner_host)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
    ).get(row.id, row.experiment, row.name, row.status, row.startTime, row.user, row.gitCommit, row.environment, row.owner?.pid ?? null, row.owner?.host ?? null);
    return (inserted as { seq: number }).seq;
  }

  setStatus(seq: number, status: RunStatus, endTime: number | null, owner: { pid: number; host: string } | null): void {
    this.#q('UPDATE runs SET status = ?, end_time = ?, owner_pid = ?, owner_host = ? WHERE seq = ?').run(status, endTime, owner?.pid ?? null, owner?.host ?? null, seq);
  }

  setLifecycle(seq: number, lifecycle: Lifecycle): void {
    this.#q('UPDATE runs SET lifecycle = ? WHERE seq = ?').run(lifecycle, seq);
  }

  /** Params are write-once: the same value again is fine, another is refused naming both. */
  insertParams(run: RunRef, params: readonly [string, string][]): void {
    const insert = this.#q('INSERT INTO params (run, key, value) VALUES (?, ?, ?) ON CONFLICT (run, key) DO NOTHING');
    const existing = this.#q('SELECT value FROM params WHERE run = ? AND key = ?');
    for (const [key, value] of params) {
      if (insert.run(run.seq, key, value).changes > 0) continue;
      const { value: was } = existing.get(run.seq, key) as { value: string };
      if (was !== value) {
        throw failure('INVALID_INPUT', `Param "${key}" of run ${run.id} is already ${JSON.stringify(was)}; it cannot become ${JSON.stringify(value)}: params are written once.`, {
          hint: 'Log the new value under another key, or start a new run for it.',
          location: { field: `params.${key}` },
        });
      }
    }
  }

  /** Tags: the last write wins. */
  upsertTags(seq: number, tags: readonly [string, string][]): void {
    const upsert = this.#q('INSERT INTO tags (run, key, value) VALUES (?, ?, ?) ON CONFLICT (run, key) DO UPDATE SET value = excluded.value');
    for (const [key, value] of tags) upsert.run(seq, key, value);
  }

  insertInputs(seq: number, datasets: readonly DatasetInput[]): void {
    const insert = this.#q('INSERT INTO run_inputs (run, name, version, content_hash) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    for (const dataset of datasets) insert.run(seq, dataset.name, dataset.version, dataset.contentHash);
  }

  /** An artifact path of a run names these bytes (a path logged again names the new ones). */
  upsertArtifact(seq: number, path: string, contentHash: string, bytes: number): void {
    this.#q('INSERT INTO artifacts (run, path, content_hash, bytes) VALUES (?, ?, ?, ?) ON CONFLICT (run, path) DO UPDATE SET content_hash = excluded.content_hash, bytes = excluded.bytes').run(
      seq,
      path,
      contentHash,
      bytes,
    );
  }

  experimentByName(name: string): { id: number; lifecycle: Lifecycle } | undefined {
    return this.#q('SELECT id, lifecycle FROM experiments WHERE name = ?').get(name) as { id: number; lifecycle: Lifecycle } | undefined;
  }

  insertExperiment(name: string, tags: readonly [string, string][], createdAt: number): number {
    const { id } = this.#q('INSERT INTO experiments (name, created_at) VALUES (?, ?) RETURNING id').get(name, createdAt) as { id: number };
    const insert = this.#q('INSERT INTO experiment_tags (experiment, key, value) VALUES (?, ?, ?)');
    for (const [key, value] of tags) insert.run(id, key, value);
    return id;
  }

  experiments(): Experiment[] {
    const rows = this.#q(
      `SELECT e.id, e.name, e.created_at, e.lifecycle, (SELECT count(*) FROM runs WHERE experiment = e.id AND lifecycle = 'active') AS active
       FROM experiments e ORDER BY e.id`,
    ).all() as { id: number; name: string; created_at: number; lifecycle: Lifecycle; active: number }[];
    const tags = this.#q('SELECT experiment, key, value FROM experiment_tags ORDER BY experiment, key').all() as { experiment: number; key: string; value: string }[];
    return rows.map((row) => ({
      id: String(row.id),
      name: row.name,
      createdAt: row.created_at,
      lifecycle: row.lifecycle,
      activeRuns: row.active,
      tags: Object.fromEntries(tags.filter((tag) => tag.experiment === row.id).map((tag) => [tag.key, tag.value])),
    }));
  }

  #q(text: string): StatementSync {
    let statement = this.#statements.get(text);
    if (!statement) this.#statements.set(text, (statement = this.#sql.prepare(text)));
    return statement;
  }
}
