import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { RetrainRun } from '../../../shared/contract/retraining.ts';
import { dispatch } from '../dispatch.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { Workspace } from '../workspace/workspace.ts';
import { defaultPolicy } from './policy-file.ts';
import { noLinks, RetrainRecords, thisProcess, type RunRecord } from './retrain-records.ts';
import { initialSteps } from './run-retrain.ts';

/**
 * A Lathe that dies mid-run (a crash, a kill) leaves its run "running" in the database. The next
 * core to look fails it as interrupted, naming the step; a run waiting for a person, or for its
 * rollout on the agent, needs no process and stays as it was.
 */
const tempDir = useTempDirs();

/** The id of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

function admit(records: RetrainRecords, model: string, change: (run: RunRecord) => void): RunRecord {
  const now = Date.parse('2026-01-01T10:00:00Z');
  const policy = { ...defaultPolicy(model), enabled: true };
  const admitted = records.admit(policy, { kind: 'manual', detail: 'ann' }, noLinks(), now, (id) => {
    const run: RunRecord = { id, model, trigger: { kind: 'manual', detail: 'ann' }, state: 'running', plan: { kind: 'built-in', summary: 'the built-in plan' }, steps: initialSteps(true), links: noLinks(), startedAt: new Date(now).toISOString(), endedAt: null, why: null, policy, approved: [], owner: thisProcess() };
    change(run);
    return run;
  });
  if (!('run' in admitted)) throw new Error(admitted.skipped);
  return admitted.run;
}

describe('runs a dead process left behind', () => {
  it('fail as interrupted when a core next looks; waits and rollouts stay', async () => {
    const { core, workspace } = await coreOnNewWorkspace(await tempDir());
    const writer = await Workspace.open(workspace);
    try {
      const records = new RetrainRecords(writer.db);
      const pid = deadPid();
      const crashed = admit(records, 'churn', (run) => {
        run.owner = { ...thisProcess(), pid };
        run.steps[0]!.status = 'running';
      });
      const waiting = admit(records, 'fraud', (run) => {
        run.state = 'waiting-approval';
        run.owner = null;
        run.steps[0]!.status = 'waiting-approval';
      });
      const rollingOut = admit(records, 'ads', (run) => {
        run.owner = null;
        for (const step of run.steps) step.status = 'passed';
        run.steps[4]!.status = 'running';
      });

      const result = await dispatch(core.handlers, 'retrain:runs', { workspace });
      expect(result.ok).toBe(true);
      const runs = (result as { value: RetrainRun[] }).value;
      const after = runs.find((run) => run.id === crashed.id)!;
      expect(after).toMatchObject({ state: 'failed', why: `interrupted: the Lathe process (${pid}) running it ended during the train step` });
      expect(after.steps.map((step) => step.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped', 'skipped']);
      expect(runs.find((run) => run.id === waiting.id)).toMatchObject({ state: 'waiting-approval' });
      expect(runs.find((run) => run.id === rollingOut.id)).toMatchObject({ state: 'running', why: null });
      const timeline = await dispatch(core.handlers, 'retrain:timeline', { workspace, model: 'churn' });
      expect((timeline as { value: { entries: { message: string }[] } }).value.entries.at(-1)!.message).toBe(`Retrain run ${crashed.id} failed: interrupted: the Lathe process (${pid}) running it ended during the train step.`);
    } finally {
      await writer.close();
      await core.close();
    }
  });
});
