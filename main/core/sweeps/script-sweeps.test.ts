import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallName, InputOf, OutputOf } from '../../../shared/contract/calls.ts';
import { dispatch, mergeCallTables, type Handlers } from '../dispatch.ts';
import { LatheFailure } from '../errors.ts';
import { EventHub } from '../events.ts';
import { standInMlflow } from '../script-runs/script-run-fixture.ts';
import { scriptRunCalls } from '../script-runs/script-run-calls.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { trackingCalls } from '../tracking/tracking-calls.ts';
import { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { workspaceCalls } from '../workspace/workspace-calls.ts';
import { sweepCalls } from './sweep-calls.ts';

const tempDir = useTempDirs();

/** A core of the calls a script sweep needs: workspace, tracking, script runs (MLflow's stand-in), sweeps. */
async function scriptSweepCore(root: string) {
  const workspaces = new OpenWorkspaces();
  const events = new EventHub();
  const scripts = scriptRunCalls({ workspaces, events, mlflowHandler: standInMlflow, limits: { graceMs: 300, gpuIntervalMs: 60_000 }, queryGpus: async () => null });
  let handlers: Handlers = {};
  const sweeps = sweepCalls({ workspaces, events, dispatch: (name, input) => dispatch(handlers, name, input) });
  handlers = mergeCallTables(
    workspaceCalls({ workspaces, lastWorkspace: null, defaultWorkspace: join(root, 'default'), describe: async (workspace) => workspace.info(0) }),
    trackingCalls({ workspaces, events }),
    scripts.handlers,
    sweeps.handlers,
  );
  const call = async <N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> => {
    const result = await dispatch(handlers, name, input);
    if (!result.ok) throw new LatheFailure(result.error);
    return result.value as OutputOf<N>;
  };
  const { path: workspace } = await call('workspace:create', { path: join(root, 'ws') });
  return {
    workspace,
    call,
    close: async () => {
      await sweeps.close();
      await scripts.close();
      await workspaces.closeAll();
    },
  };
}

// A training script that logs its loss over MLflow's REST protocol: loss = lr × (5 − step) for
// steps 1 to 4. With a learning rate of 1 or more it "diverges": it logs two steps, then hangs,
// so only a stop ends it.
const TRAIN = `
const lr = Number(process.argv[process.argv.indexOf('--lr') + 1]);
const log = (step, value) => fetch(process.env.MLFLOW_TRACKING_URI + '/api/2.0/mlflow/runs/log-metric', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer ' + process.env.MLFLOW_TRACKING_TOKEN },
  body: JSON.stringify({ run_id: process.env.MLFLOW_RUN_ID, key: 'loss', value, timestamp: Date.now(), step }),
});
for (let step = 1; step <= 4; step += 1) {
  await log(step, lr * (5 - step));
  if (lr >= 1 && step === 2) setInterval(() => {}, 1000);
  if (lr >= 1 && step === 2) await new Promise(() => {});
}
console.log('trained with lr', lr);
`;

describe('a sweep over a script’s arguments', () => {
  it('runs the command with each trial’s values in its placeholders, follows what it logs, and stops a diverging trial (median)', { timeout: 120_000 }, async () => {
    const { workspace, call, close } = await scriptSweepCore(await tempDir());
    try {
      await writeFile(join(workspace, 'train.mjs'), TRAIN);
      const sweep = await call('sweeps:create', {
        workspace,
        spec: {
          name: 'lr search',
          train: { kind: 'script', command: [process.execPath, 'train.mjs', '--lr', '${lr}'], experiment: 'scripts' },
          method: 'grid',
          metric: { name: 'loss', goal: 'minimize' },
          parameters: { lr: { values: [0.3, 0.2, 0.1, 5] } }, // each better than the last, then one that diverges
          parallel: 1,
          earlyTerminate: { type: 'median', minSteps: 2 },
        },
        wait: true,
      });
      expect(sweep).toMatchObject({ status: 'finished', experiment: 'scripts', counts: { finished: 3, stopped: 1, failed: 0 } });
      expect(sweep.trials.map((trial) => [trial.params.lr, trial.status, trial.stoppedBy, trial.step])).toEqual([
        [0.3, 'FINISHED', null, 4],
        [0.2, 'FINISHED', null, 4],
        [0.1, 'FINISHED', null, 4],
        [5, 'KILLED', 'median', 2],
      ]);
      expect(sweep.best).toMatchObject({ number: 3, params: { lr: 0.1 } });
      expect(sweep.best?.metric).toBeCloseTo(0.1);
      const stopped = await call('runs:get', { workspace, runId: sweep.trials[3]!.runId! });
      expect(stopped.status).toBe('KILLED');
      expect(stopped.systemTags).toMatchObject({ 'lathe.sweep': sweep.id, 'lathe.sweep.param.lr': '5', 'lathe.stopped_by': 'median' });
      const log = await call('scripts:log', { workspace, runId: sweep.trials[2]!.runId! });
      expect(log.text).toContain('trained with lr 0.1');
    } finally {
      await close();
    }
  });

  it('refuses a placeholder that is no param, and a param the command never uses, naming where', async () => {
    const { workspace, call, close } = await scriptSweepCore(await tempDir());
    try {
      const refused = await call('sweeps:create', {
        workspace,
        spec: { train: { kind: 'script', command: ['python', 'train.py', '--lr', '${lr}', '--depth', '${depth}'] }, method: 'grid', metric: { name: 'loss', goal: 'minimize' }, parameters: { lr: { values: [0.1] }, seed: { values: [1, 2] } } },
      }).catch((thrown: LatheFailure) => thrown.error);
      expect('issues' in refused && refused.issues).toEqual([
        { path: 'spec.parameters.seed', message: '${seed} appears nowhere in train.command, so seed would change nothing' },
        { path: 'spec.train.command.5', message: '${depth} is not a param of this sweep (its params: lr, seed)' },
      ]);
    } finally {
      await close();
    }
  });
});
