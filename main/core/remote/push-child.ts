// Test helper: `data push` in a process of its own, so a test can kill it midway. With
// LATHE_PAUSE_AT=<phase>#<n> it prints "paused <phase> <n>" the n-th time it reaches <phase> and
// stays there until killed (see base/phases.ts). Prints the call's Result as one JSON line.
import { listenToPhases } from '../base/phases.ts';
import { dispatch } from '../dispatch.ts';
import { createLatheCore } from '../lathe-core.ts';

const [workspace, url] = process.argv.slice(2);
const [target, nth] = (process.env.LATHE_PAUSE_AT ?? 'none#0').split('#');
let reached = 0;
listenToPhases((phase) => {
  if (phase !== target || ++reached !== Number(nth)) return;
  process.stdout.write(`paused ${phase} ${reached}\n`);
  return new Promise<void>(() => {}); // held here until killed
});
const core = createLatheCore({ frontDoor: 'cli', version: 'child', stateDir: `${workspace}/.lathe/child-state`, defaultWorkspace: workspace! });
const result = await dispatch(core.handlers, 'data:push', { workspace, url });
process.stdout.write(`${JSON.stringify(result)}\n`);
await core.close();
