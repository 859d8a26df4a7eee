import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { startScript } from '../testing/child-process.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { Workspace } from '../workspace/workspace.ts';
import { BLOCK_POINTS } from './metric-log.ts';
import { trackingFor } from './open-tracking.ts';

const tempDir = useTempDirs();
const child = new URL('./tracking-crash-child.ts', import.meta.url);

describe('a process killed while it logs metrics', () => {
  it('leaves a database that opens, passes integrity_check and holds only whole batches; its run becomes FAILED', { timeout: 120_000 }, async () => {
    const root = await tempDir();
    const { dir } = await Workspace.create(join(root, 'ws'));
    // Small batches (a block each, merged every 32), batches of a few blocks, one key and several,
    // killed after the first batch or after many (merges under way).
    const cases = [
      { size: 1, keys: 1, killAfter: 1 },
      { size: 7, keys: 3, killAfter: 40 },
      { size: 1, keys: 2, killAfter: 100 },
      { size: 1000, keys: 2, killAfter: 9 },
      { size: BLOCK_POINTS + 3, keys: 1, killAfter: 4 },
    ];
    for (const { size, keys, killAfter } of cases) {
      const what = `batches of ${size} × ${keys} keys, killed after ${killAfter}`;
      const run = startScript(child, [dir, String(size), String(keys)]);
      const runId = (await run.line((line) => line.startsWith('run '))).slice(4);
      await run.line((line) => line === `batch ${killAfter - 1}`);
      run.child.kill('SIGKILL');
      expect(await run.exited, what).toBe(null);

      const raw = new DatabaseSync(join(dir, '.lathe/lathe.db'));
      expect(raw.prepare('PRAGMA integrity_check').all(), what).toEqual([{ integrity_check: 'ok' }]);
      raw.close();

      const workspace = await Workspace.open(dir);
      const tracking = trackingFor(workspace, null); // recovers the dead process's run
      const detail = tracking.getRun(runId);
      expect(detail.status, what).toBe('FAILED');
      const counts = new Set<number>();
      for (let k = 0; k < keys; k += 1) {
        const series = tracking.metricSeries(runId, `metric_${k}`);
        const n = series.values.length;
        counts.add(n);
        expect(n % size, `${what}: ${n} points is not a whole number of batches`).toBe(0);
        expect(n, what).toBeGreaterThanOrEqual(killAfter * size);
        for (let i = 0; i < n; i += 1) {
          if (series.steps[i] !== i || series.values[i] !== i + 0.5) throw new Error(`${what}: point ${i} of metric_${k} is wrong`);
        }
        expect(detail.metrics[`metric_${k}`], what).toEqual({ value: n - 0.5, step: n - 1, timestamp: 1_700_000_000_000 + n - 1 });
      }
      expect(counts.size, `${what}: every key holds the same batches`).toBe(1);
      await workspace.close();
    }
  });
});
