import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { LatheFailure } from '../../core/errors.ts';
import { startScript } from '../../core/testing/child-process.ts';
import { useTempDirs } from '../../core/testing/temp-dir.ts';
import { MAX_QUEUED_ROWS, PredictionStore, type StoredPrediction } from './prediction-store.ts';

const tempDir = useTempDirs();
const DAY = 86_400_000;
const T0 = 1_700_000_000_000;

function prediction(requestId: string, extra: Partial<StoredPrediction> = {}): StoredPrediction {
  return { requestId, row: 0, model: 'churn', version: '3', at: T0, window: 0, inputs: { tenure: 12, plan: 'basic' }, predicted: 'yes', probabilities: { yes: 0.7, no: 0.3 }, latencyMs: 2.5, label: null, labelAt: null, ...extra };
}

async function openStore(options: { maxBytes?: number; retentionMs?: number; now?: () => number; warn?: (text: string) => void } = {}) {
  const file = join(await tempDir(), 'monitoring', 'predictions.db');
  const store = PredictionStore.open(file, { maxBytes: 1024 ** 3, retentionMs: 30 * DAY, ...options });
  return { file, store };
}

function refusal(work: () => unknown): { code: string; message: string } {
  try {
    work();
  } catch (error) {
    if (error instanceof LatheFailure) return { code: error.error.code, message: error.error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the prediction store', () => {
  it('keeps what it recorded across a reopen, window by window, and says where counting resumes', async () => {
    const { file, store } = await openStore();
    store.append([prediction('a', { window: 0 })]);
    store.append([prediction('b', { window: 1, row: 0 }), prediction('b', { window: 1, row: 1, inputs: { tenure: 3, plan: 'pro' }, predicted: 'no' })]);
    store.close();
    const reopened = PredictionStore.open(file, { maxBytes: 1024 ** 3, retentionMs: 30 * DAY });
    expect(reopened.lastWindow('churn')).toEqual({ window: 1, rows: 2 });
    expect(reopened.lastWindow('other')).toBeNull();
    expect(reopened.windowRows('churn', 1).map((row) => [row.requestId, row.row, row.inputs, row.predicted])).toEqual([
      ['b', 0, { tenure: 12, plan: 'basic' }, 'yes'],
      ['b', 1, { tenure: 3, plan: 'pro' }, 'no'],
    ]);
    expect(reopened.stats()).toMatchObject({ recorded: 3, dropped: 0, labelled: 0, problem: null, oldestAt: new Date(T0).toISOString() });
    reopened.close();
  });

  it('joins a label however late, durably, and keeps "3" and 3 apart', async () => {
    const { file, store } = await openStore();
    store.append([prediction('early', { window: 0, predicted: 3 })]);
    store.append([prediction('later', { window: 4 })]);
    const joined = store.label('churn', 'early', '3', T0 + 5 * DAY);
    expect(joined.late).toBe(true);
    expect(joined.rows[0]).toMatchObject({ label: '3', labelAt: T0 + 5 * DAY, predicted: 3 });
    expect(store.label('churn', 'later', 'no', T0).late).toBe(false);
    store.close();
    const reopened = PredictionStore.open(file, { maxBytes: 1024 ** 3, retentionMs: 30 * DAY });
    expect(reopened.labelledRows('churn', 0).map((row) => row.label)).toEqual(['3']);
    expect(reopened.labelledRows('churn', 4).map((row) => row.label)).toEqual(['no']);
    expect(reopened.stats('churn').labelled).toBe(2);
    reopened.close();
  });

  it('refuses a label for an unknown id, a twice-labelled one (naming when), another model’s, and a wrong number of labels', async () => {
    const { store } = await openStore();
    store.append([prediction('one')]);
    store.append([prediction('two', { row: 0 }), prediction('two', { row: 1 })]);
    expect(refusal(() => store.label('churn', 'nope', 'yes', T0))).toEqual({ code: 'NOT_FOUND', message: 'No prediction with request id "nope" was recorded for model churn.' });
    expect(refusal(() => store.label('fraud', 'one', 'yes', T0))).toEqual({ code: 'NOT_FOUND', message: 'Request "one" was answered by model churn, not fraud.' });
    store.label('churn', 'one', 'yes', T0 + 1000);
    const twice = refusal(() => store.label('churn', 'one', 'no', T0 + 2000));
    expect(twice.code).toBe('CONFLICT');
    expect(twice.message).toContain(`already labelled at ${new Date(T0 + 1000).toISOString()} ("yes")`);
    expect(store.labelledRows('churn', 0).find((row) => row.requestId === 'one')?.label).toBe('yes');
    expect(refusal(() => store.label('churn', 'two', 'yes', T0))).toEqual({ code: 'INVALID_INPUT', message: 'Request "two" of model churn predicted 2 rows; 1 label was sent.' });
    expect(refusal(() => store.label('churn', 'two', ['yes', 'no', 'no'], T0)).message).toBe('Request "two" of model churn predicted 2 rows; 3 labels were sent.');
    expect(store.label('churn', 'two', ['yes', 'no'], T0).rows.map((row) => row.label)).toEqual(['yes', 'no']);
    store.close();
  });

  it('deletes records older than the retention, and tells a label for one that it expired', async () => {
    let now = T0;
    const { store } = await openStore({ retentionMs: 30 * DAY, now: () => now });
    store.append([prediction('old', { at: T0 })]);
    store.append([prediction('new', { at: T0 + 20 * DAY })]);
    now = T0 + 31 * DAY;
    store.prune();
    expect(store.windowRows('churn', 0).map((row) => row.requestId)).toEqual(['new']);
    expect(store.stats().oldestAt).toBe(new Date(T0 + 20 * DAY).toISOString());
    expect(refusal(() => store.label('churn', 'old', 'yes', now))).toEqual({
      code: 'NOT_FOUND',
      message: 'Request "old" of model churn has expired: it is older than the agent keeps (30 days), so its label cannot be joined.',
    });
    store.close();
  });

  it('stays under its size cap by deleting the oldest first, and drops as store-full what cannot fit at all', async () => {
    const { store } = await openStore({ maxBytes: 2 * 1024 * 1024 });
    const wide = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`feature_${i}`, `value ${i} `.repeat(4)]));
    for (let n = 0; n < 6000; n += 1) store.append([prediction(`r${n}`, { at: T0 + n, inputs: wide, window: Math.floor(n / 100) })]);
    const stats = store.stats();
    expect(stats.storeBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(stats.recorded).toBe(6000);
    expect(stats.dropped).toBe(0);
    expect(store.windowRows('churn', 59).length, 'the newest window is whole').toBe(100);
    expect(store.windowRows('churn', 0), 'the oldest went first').toEqual([]);
    const firstKept = Array.from({ length: 60 }, (_, window) => store.windowRows('churn', window)).flat()[0]!;
    const lastGone = `r${Number(firstKept.requestId.slice(1)) - 1}`;
    expect(refusal(() => store.label('churn', lastGone, 'yes', T0)).message).toContain('has expired');

    store.configure({ maxBytes: 1024 }); // smaller than an empty database: nothing fits
    store.append([prediction('x1', { at: T0 + 5000 }), prediction('x1', { at: T0 + 5000, row: 1 })]);
    const full = store.stats();
    expect(full.droppedBy).toEqual({ 'store-full': 2, 'disk-error': 0, 'queue-full': 0 });
    expect(full.problem).toMatch(/is at its cap \(1 KiB\) even after deleting the oldest records; new predictions are dropped/);
    store.close();
  });

  it('drops as queue-full what arrives faster than it can hold, and what comes after close, without throwing', async () => {
    const { store } = await openStore();
    store.append(Array.from({ length: MAX_QUEUED_ROWS + 1 }, (_, row) => prediction('huge', { row })));
    expect(store.stats()).toMatchObject({ recorded: 0, droppedBy: { 'queue-full': MAX_QUEUED_ROWS + 1 } });
    expect(store.stats().problem).toContain(`is ${MAX_QUEUED_ROWS} rows behind`);
    store.append([prediction('fine')]);
    expect(store.stats()).toMatchObject({ recorded: 1, problem: null });
    store.close();
    expect(() => store.append([prediction('late')])).not.toThrow();
  });

  it('moves a damaged file aside at start, warns, counts it, and starts a fresh store', async () => {
    const dir = await tempDir();
    const file = join(dir, 'predictions.db');
    await writeFile(file, 'this is not a database, it is a shopping list: eggs, milk, '.repeat(200));
    const warnings: string[] = [];
    const store = PredictionStore.open(file, { maxBytes: 1024 ** 3, retentionMs: DAY, now: () => T0, warn: (text) => warnings.push(text) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`was damaged`);
    expect(warnings[0]).toContain(`moved aside to ${file}.damaged-2023-11-14T22-13-20.000Z`);
    expect((await readdir(dir)).filter((name) => name.includes('.damaged-'))).toEqual(['predictions.db.damaged-2023-11-14T22-13-20.000Z']);
    store.append([prediction('after')]);
    expect(store.stats()).toMatchObject({ recorded: 1, movedAside: 1, problem: null });
    store.close();
  });

  it('refuses clearly, naming the file, only when it cannot open at all', async () => {
    const dir = await tempDir();
    const blocker = join(dir, 'monitoring');
    await writeFile(blocker, 'a file where the folder should be');
    const refused = refusal(() => PredictionStore.open(join(blocker, 'predictions.db'), { maxBytes: 1024 ** 3, retentionMs: DAY }));
    expect(refused.code).toBe('DISK_ERROR');
    expect(refused.message).toContain(`The prediction store ${join(blocker, 'predictions.db')} cannot be opened`);
  });

  it('keeps every acknowledged record when its process is killed mid-stream of appends', { timeout: 60_000 }, async () => {
    const file = join(await tempDir(), 'predictions.db');
    for (const { rowsPerRequest, killAfter } of [
      { rowsPerRequest: 1, killAfter: 299 },
      { rowsPerRequest: 5, killAfter: 119 },
    ]) {
      await rm(file, { force: true });
      const child = startScript(new URL('./prediction-store-kill-child.ts', import.meta.url), [file, String(rowsPerRequest)]);
      let acked = -1;
      await child.line((line) => {
        if (line.startsWith('acked ')) acked = Math.max(acked, Number(line.slice(6)));
        return acked >= killAfter;
      });
      child.child.kill('SIGKILL');
      expect(await child.exited).toBe(null);

      const raw = new DatabaseSync(file);
      expect(raw.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
      const { requests, rows } = raw.prepare('SELECT count(DISTINCT request_id) AS requests, count(*) AS rows FROM predictions').get() as { requests: number; rows: number };
      raw.close();
      expect(requests, 'every acknowledged request is kept').toBeGreaterThanOrEqual(acked + 1);
      expect(rows, 'no request is half-kept').toBe(requests * rowsPerRequest);
      const store = PredictionStore.open(file, { maxBytes: 1024 ** 3, retentionMs: 1000 * DAY });
      for (let n = 0; n <= acked; n += 1) if (store.windowRows('penguins', Math.floor(n / 50)).filter((row) => row.requestId === `r${n}`).length !== rowsPerRequest) throw new Error(`request r${n} was acknowledged but is not whole`);
      store.close();
    }
  });
});

describe('the prediction store on a full disk', () => {
  it('drops records as disk-error without throwing, says why, and records again once the disk has room', { timeout: 60_000 }, async (context) => {
    const mountPoint = await tempDir();
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mountPoint], { encoding: 'utf8' });
    if (mount.status !== 0) {
      console.warn(`skipped: cannot mount a tmpfs here (${(mount.stderr || 'not root').trim()})`);
      return context.skip();
    }
    try {
      const store = PredictionStore.open(join(mountPoint, 'predictions.db'), { maxBytes: 1024 ** 3, retentionMs: 30 * DAY });
      const ballast = join(mountPoint, 'ballast');
      // Fill the disk to the last few pages.
      for (let kib = 512; kib > 0; kib = Math.floor(kib / 2)) {
        try {
          await writeFile(`${ballast}-${kib}`, new Uint8Array(kib * 1024));
        } catch {
          await rm(`${ballast}-${kib}`, { force: true });
        }
      }
      const wide = { text: 'x'.repeat(2000) };
      let n = 0;
      for (; n < 400 && store.stats().droppedBy['disk-error'] === 0; n += 1) expect(() => store.append([prediction(`r${n}`, { inputs: wide })])).not.toThrow();
      const full = store.stats();
      expect(full.droppedBy['disk-error'], 'the full disk was reached').toBeGreaterThan(0);
      expect(full.problem).toContain('is full (recording predictions): new predictions are dropped until it has room');

      for (const name of await readdir(mountPoint)) if (name.startsWith('ballast')) await rm(join(mountPoint, name));
      store.append([prediction('after-room')]);
      const after = store.stats();
      expect(after.problem).toBeNull();
      expect(after.recorded).toBe(full.recorded + 1);
      expect(store.label('churn', 'after-room', 'yes', T0).rows).toHaveLength(1);
      store.close();
    } finally {
      execFileSync('umount', ['-l', mountPoint]);
    }
    expect(existsSync(mountPoint)).toBe(true);
  });
});
