// Test and benchmark helper: import one file into a workspace in a process of its own, so a
// test can kill it mid-import and a benchmark can read its peak memory. Prints one JSON line.
//
// With LATHE_PAUSE_AT=<phase>#<n> it prints "phase <name> <n>" for every phase it reaches and
// stops for good at the n-th time it reaches <phase> (after printing "paused <phase> <n>"), so
// a crash test can kill it at exactly that point. See base/phases.ts.
import { listenToPhases } from '../base/phases.ts';
import { dispatch } from '../dispatch.ts';
import { createLatheCore } from '../lathe-core.ts';

const [workspace, path, name] = process.argv.slice(2);
const pauseAt = process.env.LATHE_PAUSE_AT;
if (pauseAt !== undefined) {
  const [target, nth] = pauseAt.split('#');
  const counts = new Map<string, number>();
  listenToPhases((phase) => {
    const n = (counts.get(phase) ?? 0) + 1;
    counts.set(phase, n);
    process.stdout.write(`phase ${phase} ${n}\n`);
    if (phase === target && n === Number(nth)) {
      process.stdout.write(`paused ${phase} ${n}\n`);
      return new Promise<void>(() => {}); // held here until killed
    }
  });
}
const core = createLatheCore({ frontDoor: 'cli', version: 'child', stateDir: `${workspace}/.lathe/child-state`, defaultWorkspace: workspace! });
const started = performance.now();
const result = await dispatch(core.handlers, 'datasets:import-file', { workspace, path, name });
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ result, ms, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
await core.close();
