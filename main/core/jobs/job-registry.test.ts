import { describe, expect, it } from 'vitest';
import type { LatheEvent } from '../../../shared/contract/calls.ts';
import { EventHub } from '../events.ts';
import { JobRegistry, PROGRESS_INTERVAL_MS } from './job-registry.ts';

function setup() {
  const events = new EventHub();
  const seen: LatheEvent[] = [];
  events.on((event) => seen.push(event));
  let now = 0;
  const jobs = new JobRegistry(events, () => now);
  return { jobs, seen, advance: (ms: number) => (now += ms), jobEvents: () => seen.filter((e) => e.name === 'jobs:changed').map((e) => e.payload as { status: string; progress: { done: number } | null }) };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('jobs', () => {
  it('report progress at most every 250 ms of their clock, and always their end', async () => {
    const { jobs, advance, jobEvents } = setup();
    const finish = deferred();
    const job = jobs.run({
      workspace: '/w',
      kind: 'import',
      title: 'Import a.csv',
      run: async ({ progress }) => {
        for (let done = 1; done <= 10; done += 1) {
          progress({ done, total: 10, unit: 'rows' });
          advance(PROGRESS_INTERVAL_MS / 2);
        }
        await finish.promise;
        return 'made';
      },
    });
    finish.resolve();
    expect(await job.done).toBe('made');
    const events = jobEvents();
    // start, then every other progress call (each 125 ms apart), then the end
    expect(events.map((e) => e.status)).toEqual(['running', 'running', 'running', 'running', 'running', 'running', 'finished']);
    expect(events.at(-1)?.progress?.done).toBe(10);
  });

  it('can be cancelled: the work sees the signal, and the job ends as cancelled with the reason', async () => {
    const { jobs } = setup();
    const started = deferred();
    const job = jobs.run({
      workspace: '/w',
      kind: 'training',
      title: 'Train churn',
      run: ({ signal }) =>
        new Promise((_, reject) => {
          started.resolve();
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    });
    await started.promise;
    expect(jobs.cancel('/w', job.id).status).toBe('running');
    await expect(job.done).rejects.toMatchObject({ error: { code: 'CANCELLED', message: 'Cancelled: Train churn. Nothing half-done was kept.' } });
    expect(jobs.list('/w')[0]).toMatchObject({ id: job.id, status: 'cancelled', error: { code: 'CANCELLED' } });
  });

  it('keeps jobs to their workspace, failures as failures, and running ones first', async () => {
    const { jobs } = setup();
    const failed = jobs.run({ workspace: '/w', kind: 'import', title: 'bad', run: async () => { throw new Error('boom'); } });
    await expect(failed.done).rejects.toThrow('boom');
    const hold = deferred();
    const running = jobs.run({ workspace: '/w', kind: 'import', title: 'slow', run: () => hold.promise });
    expect(jobs.list('/w').map((job) => [job.title, job.status])).toEqual([['slow', 'running'], ['bad', 'failed']]);
    expect(jobs.list('/other')).toEqual([]);
    expect(() => jobs.cancel('/other', running.id)).toThrow(expect.objectContaining({ error: expect.objectContaining({ code: 'NOT_FOUND' }) }));
    hold.resolve();
    await running.done;
  });
});
