// Test helper: register one run's model in a process of its own, so a test can run several
// registrations at once, or kill one mid-commit. Prints every phase it reaches
// ("phase register:checked") and then one JSON line with the call's Result. With
// LATHE_PAUSE_AT=<phase> it prints "paused <phase>" there and waits to be killed.
import { listenToPhases } from '../base/phases.ts';
import { dispatch } from '../dispatch.ts';
import { createLatheCore } from '../lathe-core.ts';

const [workspace, runId, name] = process.argv.slice(2);
const pauseAt = process.env.LATHE_PAUSE_AT;
listenToPhases((phase) => {
  process.stdout.write(`phase ${phase}\n`);
  if (phase !== pauseAt) return;
  process.stdout.write(`paused ${phase}\n`);
  return new Promise<void>(() => {}); // held here until killed
});
const core = createLatheCore({ frontDoor: 'cli', version: 'child', stateDir: `${workspace}/.lathe/child-state`, defaultWorkspace: workspace! });
const result = await dispatch(core.handlers, 'models:register', { workspace, runId, name });
process.stdout.write(`${JSON.stringify({ result })}\n`);
await core.close();
