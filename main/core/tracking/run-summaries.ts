import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { encodeMetricValue, type RunArtifact, type RunDetail, type RunEnvironment, type RunSummary } from '../../../shared/contract/runs.ts';

/** Tags Lathe and MLflow set for themselves: kept out of RunSummary.tags, shown in RunDetail.systemTags. */
export function isSystemTag(key: string): boolean {
  return key.startsWith('lathe.') || key.startsWith('mlflow.');
}

type RunRow = [seq: number, id: string, name: string, experiment: number, experimentName: string, status: string, start: number, end: number | null, lifecycle: string];

/**
 * Summaries of many runs at once: five queries for the whole page (runs, params, tags, latest
 * metrics, dataset inputs), each reading rows as arrays, never one query per run.
 */
export class RunSummaries {
  readonly #runs: StatementSync;
  readonly #params: StatementSync;
  readonly #tags: StatementSync;
  readonly #metrics: StatementSync;
  readonly #inputs: StatementSync;
  readonly #detail: StatementSync;
  readonly #artifacts: StatementSync;

  constructor(sql: DatabaseSync) {
    const seqs = 'SELECT value FROM json_each(?)';
    this.#runs = sql.prepare(
      `SELECT r.seq, r.id, r.name, r.experiment, e.name, r.status, r.start_time, r.end_time, r.lifecycle
       FROM runs r JOIN experiments e ON e.id = r.experiment WHERE r.seq IN (${seqs})`,
    );
    this.#params = sql.prepare(`SELECT run, key, value FROM params WHERE run IN (${seqs})`);
    this.#tags = sql.prepare(`SELECT run, key, value FROM tags WHERE run IN (${seqs})`);
    this.#metrics = sql.prepare(`SELECT run, key, value, step, timestamp FROM metric_series WHERE run IN (${seqs})`);
    this.#inputs = sql.prepare(`SELECT run, name, version, content_hash FROM run_inputs WHERE run IN (${seqs}) ORDER BY run, name, version`);
    this.#detail = sql.prepare('SELECT user, git_commit, environment FROM runs WHERE seq = ?');
    this.#artifacts = sql.prepare('SELECT path, content_hash, bytes FROM artifacts WHERE run = ? ORDER BY path');
    for (const statement of [this.#runs, this.#params, this.#tags, this.#metrics, this.#inputs, this.#artifacts]) statement.setReturnArrays(true);
  }

  /** Summaries of `seqs`, in that order (a seq with no run is skipped). */
  summaries(seqs: readonly number[]): RunSummary[] {
    if (seqs.length === 0) return [];
    const list = JSON.stringify(seqs);
    const bySeq = new Map<number, RunSummary>();
    for (const [seq, id, name, experiment, experimentName, status, start, end, lifecycle] of this.#runs.all(list) as unknown as RunRow[]) {
      bySeq.set(seq, {
        id,
        name,
        experimentId: String(experiment),
        experimentName,
        status: status as RunSummary['status'],
        startTime: start,
        endTime: end,
        lifecycle: lifecycle as RunSummary['lifecycle'],
        params: {},
        tags: {},
        metrics: {},
        datasets: [],
      });
    }
    for (const [run, key, value] of this.#params.all(list) as unknown as [number, string, string][]) bySeq.get(run)!.params[key] = value;
    for (const [run, key, value] of this.#tags.all(list) as unknown as [number, string, string][]) {
      if (!isSystemTag(key)) bySeq.get(run)!.tags[key] = value;
    }
    for (const [run, key, value, step, timestamp] of this.#metrics.all(list) as unknown as [number, string, number | null, number, number][]) {
      bySeq.get(run)!.metrics[key] = { value: encodeMetricValue(value ?? NaN), step, timestamp };
    }
    for (const [run, name, version, contentHash] of this.#inputs.all(list) as unknown as [number, string, number | null, string][]) {
      bySeq.get(run)!.datasets.push({ name, version, contentHash });
    }
    return seqs.flatMap((seq) => bySeq.get(seq) ?? []);
  }

  /** One run in full; null when there is none. */
  detail(seq: number): RunDetail | null {
    const [summary] = this.summaries([seq]);
    const extra = this.#detail.get(seq) as { user: string; git_commit: string | null; environment: string | null } | undefined;
    if (!summary || !extra) return null;
    const systemTags: Record<string, string> = {};
    for (const [, key, value] of this.#tags.all(JSON.stringify([seq])) as unknown as [number, string, string][]) {
      if (isSystemTag(key)) systemTags[key] = value;
    }
    const artifacts = (this.#artifacts.all(seq) as unknown as [string, string, number][]).map(([path, contentHash, bytes]): RunArtifact => ({ path, contentHash, bytes }));
    return {
      ...summary,
      user: extra.user,
      gitCommit: extra.git_commit,
      environment: extra.environment === null ? null : (JSON.parse(extra.environment) as RunEnvironment),
      artifacts,
      systemTags,
    };
  }
}
