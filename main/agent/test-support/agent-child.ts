// Test helper: a `lathe agent` in a process of its own, so a crash test can kill it mid-rollout.
// Its rollout time is a ManualClock: the line "tick" on stdin ends an interval, and it prints
// "ticked" once the controller has decided. It prints "ready URL TOKEN" when it serves.
//
// With LATHE_PAUSE_AT=<phase>#<n> it prints "paused <phase> <n>" and stops for good at the n-th
// time it reaches <phase>, so the test can kill it at exactly that point (see base/phases.ts).
import { createInterface } from 'node:readline';
import { listenToPhases } from '../../core/base/phases.ts';
import { parsePublicKey } from '../../core/bundles/signing-keys.ts';
import { ManualClock } from '../rollouts/rollout-clock.ts';
import { startAgent } from '../start-agent.ts';
import { cyclingDraw } from './rollout-harness.ts';

const [dataDir, trust] = process.argv.slice(2);
const pauseAt = process.env.LATHE_PAUSE_AT;
if (pauseAt !== undefined) {
  const [target, nth] = pauseAt.split('#');
  const counts = new Map<string, number>();
  listenToPhases((phase) => {
    const n = (counts.get(phase) ?? 0) + 1;
    counts.set(phase, n);
    if (phase === target && n === Number(nth)) {
      process.stdout.write(`paused ${phase} ${n}\n`);
      return new Promise<void>(() => {}); // held here until killed
    }
  });
}
const clock = new ManualClock();
const agent = await startAgent({ dataDir: dataDir!, trust: [parsePublicKey(trust!)!], port: 0, workers: 1, latheVersion: 'child', warn: (text) => process.stderr.write(`${text}\n`), clock, random: cyclingDraw() });
process.stdout.write(`ready ${agent.url} ${agent.newAdminToken ?? ''}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'tick') {
    await clock.tick();
    process.stdout.write('ticked\n');
  }
}
