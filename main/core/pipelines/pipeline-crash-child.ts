// Test helper: run a workspace's pipeline and print "training <pipeline run id>" once its train
// step has logged an epoch (written synchronously); the crash test kills this process then.
//   node pipeline-crash-child.ts <workspace>
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { dispatch } from '../dispatch.ts';
import { createLatheCore } from '../lathe-core.ts';

const [workspace] = process.argv.slice(2);
const core = createLatheCore({ frontDoor: 'cli', version: 'test', stateDir: join(tmpdir(), 'lathe-crash-state'), defaultWorkspace: workspace! });
let told = false;
core.events.on((event) => {
  if (told || event.name !== 'pipelines:progress' || event.payload.log?.step !== 'train' || !event.payload.log.lines.some((line) => line.startsWith('epoch'))) return;
  told = true;
  writeSync(1, `training ${event.payload.run.id}\n`);
});
const started = await dispatch(core.handlers, 'pipelines:run', { workspace, wait: true });
if (!started.ok) writeSync(1, `failed ${started.error.message}\n`);
