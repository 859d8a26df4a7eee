import { hostname } from 'node:os';
import { join } from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { PipelineRun, PipelineRunId, type PipelineRunSummary } from '../../../shared/contract/pipelines.ts';
import { failure } from '../errors.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import { isProcessAlive } from '../storage/blob-store.ts';
import { mkdirInside } from '../storage/folders.ts';
import { versionedRecord } from '../storage/versioned-record.ts';

/**
 * Every pipeline run is a record in `.lathe/pipeline-runs/<id>.json` (local state, beside the
 * runs database), rewritten atomically at each step change, so it survives a restart and a
 * reader sees the last whole state, never half a file. The process that runs it is named in
 * the record: a run left `running` by a process that is gone (killed, crashed, powered off) is
 * marked `interrupted` the next time anyone reads it.
 */
export const PIPELINE_RUNS_DIR = 'pipeline-runs';

const PipelineRunRecordV1 = PipelineRun.extend({
  schemaVersion: z.literal(1),
  /** Who runs it, while it runs: to tell a live run from one whose process died. */
  owner: z.object({ pid: z.number().int().positive(), host: z.string() }).nullable(),
});
export type PipelineRunRecord = z.infer<typeof PipelineRunRecordV1>;

export const pipelineRunRecord = versionedRecord<PipelineRunRecord>({ kind: 'pipeline run record', versions: [PipelineRunRecordV1], migrations: [] });

export class PipelineRunRecords {
  readonly #dir: string;
  readonly #latheDir: string;
  /** Runs this process is running now (a record naming this pid but not listed here was left by an earlier life of it). */
  readonly #live: Set<string>;

  constructor(latheDir: string, live: Set<string>) {
    this.#latheDir = latheDir;
    this.#dir = join(latheDir, PIPELINE_RUNS_DIR);
    this.#live = live;
  }

  static owner(): PipelineRunRecord['owner'] {
    return { pid: process.pid, host: hostname() };
  }

  async write(record: PipelineRunRecord): Promise<void> {
    await mkdirInside(this.#latheDir, this.#dir);
    await writeFileAtomic(this.#path(record.id), pipelineRunRecord.serialize(record));
  }

  /** One run; a run whose process died is marked interrupted first. */
  async read(id: string): Promise<PipelineRunRecord> {
    PipelineRunId.parse(id);
    let text: string;
    try {
      text = await readFile(this.#path(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw failure('NOT_FOUND', `There is no pipeline run ${id} in this workspace.`, { hint: 'List the runs with `lathe pipeline runs` to see their ids.', location: { field: 'id' } });
      }
      throw error;
    }
    return this.#settle(pipelineRunRecord.parse(text, `.lathe/${PIPELINE_RUNS_DIR}/${id}.json`));
  }

  /** Every run, newest first. A damaged record is left out rather than hiding the others. */
  async list(limit: number): Promise<PipelineRunSummary[]> {
    const names = await readdir(this.#dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const ids = names
      .filter((name) => name.endsWith('.json') && PipelineRunId.safeParse(name.slice(0, -5)).success)
      .map((name) => name.slice(0, -5))
      .sort()
      .reverse()
      .slice(0, limit);
    const runs = await Promise.all(ids.map((id) => this.read(id).catch(() => null)));
    return runs.filter((run) => run !== null).map(summaryOf);
  }

  /** Runs recorded as running by a process that is still alive (this one or another). */
  async running(): Promise<PipelineRunSummary[]> {
    return (await this.list(1000)).filter((run) => run.status === 'running');
  }

  async #settle(record: PipelineRunRecord): Promise<PipelineRunRecord> {
    if (record.status !== 'running' || this.#isAlive(record)) return record;
    const endedAt = new Date().toISOString();
    const stoppedAt = record.steps.find((step) => step.status === 'running') ?? null;
    const interrupted: PipelineRunRecord = {
      ...record,
      status: 'interrupted',
      failedStep: stoppedAt?.id ?? record.failedStep,
      owner: null,
      jobId: null,
      endedAt,
      durationMs: Math.max(0, Date.parse(endedAt) - Date.parse(record.startedAt)),
      error: {
        code: 'CANCELLED',
        message: `The Lathe process (${record.owner?.pid ?? 'unknown'}) running this pipeline ended before it finished${stoppedAt ? `, during step "${stoppedAt.id}"` : ''}.`,
        hint: 'What earlier steps made is kept. Run the pipeline again.',
      },
      steps: record.steps.map((step) =>
        step.status === 'running'
          ? { ...step, status: 'cancelled', endedAt, durationMs: step.startedAt === null ? null : Math.max(0, Date.parse(endedAt) - Date.parse(step.startedAt)) }
          : step.status === 'pending'
            ? { ...step, status: 'skipped' }
            : step,
      ),
    };
    // Best effort: a read-only disk still shows the run as interrupted, it just says so again next time.
    await this.write(interrupted).catch(() => undefined);
    return interrupted;
  }

  #isAlive(record: PipelineRunRecord): boolean {
    const owner = record.owner;
    if (!owner) return false;
    if (owner.host !== hostname()) return true; // a workspace on a shared disk: another machine's run is not ours to judge
    if (owner.pid === process.pid) return this.#live.has(record.id);
    return isProcessAlive(owner.pid);
  }

  #path(id: string): string {
    return join(this.#dir, `${id}.json`);
  }
}

export function summaryOf(record: PipelineRunRecord): PipelineRunSummary {
  const { schemaVersion: _version, owner: _owner, reports: _reports, ...run } = record;
  return { ...run, steps: run.steps.map(({ log: _log, ...step }) => step) };
}
