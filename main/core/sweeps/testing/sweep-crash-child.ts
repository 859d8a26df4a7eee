// Test helper: start a long sweep of the built-in MLP and print "training <sweep id>" once a
// trial has logged an epoch (written synchronously); the crash test kills this process then.
//   node sweep-crash-child.ts <workspace>
import { writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../../dispatch.ts';
import { createLatheCore } from '../../lathe-core.ts';

const [workspace] = process.argv.slice(2);
const core = createLatheCore({ frontDoor: 'cli', version: 'test', stateDir: join(tmpdir(), 'lathe-sweep-crash-state'), defaultWorkspace: workspace! });
let told = false;
core.events.on((event) => {
  if (told || event.name !== 'sweeps:progress' || !event.payload.sweep.trials.some((trial) => trial.step !== null)) return;
  told = true;
  writeSync(1, `training ${event.payload.sweep.id}\n`);
});
const spec = {
  train: { kind: 'builtin', dataset: 'penguins', target: 'Species', fixed: { epochs: 5000, hidden: [8], earlyStoppingPatience: 0 } },
  method: 'grid',
  metric: { name: 'val_loss', goal: 'minimize' },
  parameters: { learningRate: { values: [0.01, 0.003, 0.001] } },
  parallel: 2,
};
const started = await dispatch(core.handlers, 'sweeps:create', { workspace, spec, wait: true });
if (!started.ok) writeSync(1, `failed ${started.error.message}\n`);
