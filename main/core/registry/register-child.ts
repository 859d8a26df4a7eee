// Test helper: register one run's model in a process of its own, so a test can run several
// registrations at once. Prints every phase it reaches ("phase register:checked 1") and then one
// JSON line with the call's Result.
import { listenToPhases } from '../base/phases.ts';
import { dispatch } from '../dispatch.ts';
import { createLatheCore } from '../lathe-core.ts';

const [workspace, runId, name] = process.argv.slice(2);
listenToPhases((phase) => void process.stdout.write(`phase ${phase}\n`));
const core = createLatheCore({ frontDoor: 'cli', version: 'child', stateDir: `${workspace}/.lathe/child-state`, defaultWorkspace: workspace! });
const result = await dispatch(core.handlers, 'models:register', { workspace, runId, name });
process.stdout.write(`${JSON.stringify({ result })}\n`);
await core.close();
