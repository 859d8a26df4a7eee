import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Sweep, SweepId, type SweepSummary } from '../../../shared/contract/sweeps.ts';
import { failure } from '../errors.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import { isProcessAlive } from '../storage/blob-store.ts';
import { mkdirInside } from '../storage/folders.ts';
import { versionedRecord } from '../storage/versioned-record.ts';
import { refreshSummary } from './sweep-controller.ts';

/**
 * Every sweep is a record in `.lathe/sweeps/<id>.json` (local state, beside the runs database
 * that holds its trials' runs), rewritten atomically at every change, so a reader sees the last
 * whole state and a restart finds it. The process running it is named in the record: a sweep
 * left `running` by a process that is gone is marked `interrupted` the next time anyone reads
 * it, its running trials FAILED (the tracking store fails their runs the same way).
 */
export const SWEEPS_DIR = 'sweeps';

const SweepRecordV1 = Sweep.extend({
  schemaVersion: z.literal(1),
  owner: z.object({ pid: z.number().int().positive(), host: z.string() }).nullable(),
});
export type SweepRecord = z.infer<typeof SweepRecordV1>;

export const sweepRecord = versionedRecord<SweepRecord>({ kind: 'sweep record', versions: [SweepRecordV1], migrations: [] });

export class SweepRecords {
  readonly #dir: string;
  readonly #latheDir: string;
  /** Sweeps this process runs now (a record naming this pid but not listed here was left by an earlier life of it). */
  readonly #live: Set<string>;

  constructor(latheDir: string, live: Set<string>) {
    this.#latheDir = latheDir;
    this.#dir = join(latheDir, SWEEPS_DIR);
    this.#live = live;
  }

  static owner(): SweepRecord['owner'] {
    return { pid: process.pid, host: hostname() };
  }

  async write(sweep: Sweep, owner: SweepRecord['owner']): Promise<void> {
    await mkdirInside(this.#latheDir, this.#dir);
    await writeFileAtomic(this.#path(sweep.id), sweepRecord.serialize({ ...sweep, schemaVersion: 1, owner: sweep.status === 'running' ? owner : null }));
  }

  /** One sweep; one whose process died is marked interrupted first. */
  async read(id: string): Promise<Sweep> {
    SweepId.parse(id);
    let text: string;
    try {
      text = await readFile(this.#path(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw failure('NOT_FOUND', `There is no sweep ${id} in this workspace.`, { hint: 'List the sweeps with `lathe sweep list` to see their ids.', location: { field: 'id' } });
      }
      throw error;
    }
    return this.#settle(sweepRecord.parse(text, `.lathe/${SWEEPS_DIR}/${id}.json`));
  }

  /** Every sweep, newest first. A damaged record is left out rather than hiding the others. */
  async list(limit: number): Promise<SweepSummary[]> {
    const names = await readdir(this.#dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const ids = names
      .filter((name) => name.endsWith('.json') && SweepId.safeParse(name.slice(0, -5)).success)
      .map((name) => name.slice(0, -5))
      .sort()
      .reverse()
      .slice(0, limit);
    const sweeps = await Promise.all(ids.map((id) => this.read(id).catch(() => null)));
    return sweeps.filter((sweep) => sweep !== null).map(summaryOf);
  }

  async #settle(record: SweepRecord): Promise<Sweep> {
    const { schemaVersion: _version, owner, ...sweep } = record;
    if (sweep.status !== 'running' || this.#isAlive(owner, sweep.id)) return sweep;
    const interrupted: Sweep = {
      ...sweep,
      status: 'interrupted',
      endedAt: new Date().toISOString(),
      error: {
        code: 'CANCELLED',
        message: `The Lathe process (${owner?.pid ?? 'unknown'}) running this sweep ended after ${sweep.trials.length} of ${sweep.planned} trials.`,
        hint: 'Its finished trials are kept as runs. Create the sweep again (same spec and seed) to run it again.',
      },
      trials: sweep.trials.map((trial) => (trial.status === 'RUNNING' ? { ...trial, status: 'FAILED', error: 'The Lathe process running the sweep ended during this trial.' } : trial)),
    };
    refreshSummary(interrupted);
    // Best effort: a read-only disk still shows the sweep as interrupted, it just says so again next time.
    await this.write(interrupted, null).catch(() => undefined);
    return interrupted;
  }

  #isAlive(owner: SweepRecord['owner'], id: string): boolean {
    if (!owner) return false;
    if (owner.host !== hostname()) return true; // a workspace on a shared disk: another machine's sweep is not ours to judge
    if (owner.pid === process.pid) return this.#live.has(id);
    return isProcessAlive(owner.pid);
  }

  #path(id: string): string {
    return join(this.#dir, `${id}.json`);
  }
}

export function summaryOf(sweep: Sweep): SweepSummary {
  const { spec: _spec, trials: _trials, ...summary } = sweep;
  return summary;
}
