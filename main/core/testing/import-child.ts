// Test and benchmark helper: import one file into a workspace in a process of its own, so a
// test can kill it mid-import and a benchmark can read its peak memory. Prints one JSON line.
import { createLatheCore } from '../lathe-core.ts';
import { dispatch } from '../dispatch.ts';

const [workspace, path, name] = process.argv.slice(2);
const core = createLatheCore({ frontDoor: 'cli', version: 'child', stateDir: `${workspace}/.lathe/child-state`, defaultWorkspace: workspace! });
const started = performance.now();
const result = await dispatch(core.handlers, 'datasets:import-file', { workspace, path, name });
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ result, ms, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
