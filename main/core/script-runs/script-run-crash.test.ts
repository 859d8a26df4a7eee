import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startScript } from '../testing/child-process.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { trackingFor } from '../tracking/open-tracking.ts';
import { Workspace } from '../workspace/workspace.ts';

const tempDir = useTempDirs();
const child = new URL('./script-run-crash-child.ts', import.meta.url);

describe('the process running a script run, killed', () => {
  it('leaves no run RUNNING: the abandoned-runs recovery marks it FAILED when the workspace next opens', { timeout: 60_000 }, async () => {
    const root = await tempDir();
    const lathe = startScript(child, [root]);
    const [, runId, pid] = (await lathe.line((line) => line.startsWith('run '))).split(' ');
    try {
      lathe.child.kill('SIGKILL');
      expect(await lathe.exited).toBe(null);

      const workspace = await Workspace.open(join(root, 'ws'));
      try {
        const run = trackingFor(workspace, null).getRun(runId!);
        expect(run.status).toBe('FAILED');
        expect(run.systemTags['lathe.failure']).toMatch(/^Process \d+ on .* ended while this run was RUNNING/);
        expect(run.systemTags['lathe.source']).toBe('script');
      } finally {
        await workspace.close();
      }
    } finally {
      // The script itself runs in its own process group, which a SIGKILL of Lathe does not reach.
      try {
        process.kill(-Number(pid), 'SIGKILL');
      } catch {
        // gone already
      }
    }
  });
});
