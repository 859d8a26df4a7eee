// Test helper: start a script run in a workspace, print "run <id> <pid>" once the script is
// up, and stay until killed — as `lathe run` would be, killed mid-run.
//   node script-run-crash-child.ts <root folder>
import { writeSync } from 'node:fs';
import { scriptRunFixture } from './script-run-fixture.ts';

const fixture = await scriptRunFixture(process.argv[2]!);
const started = await fixture.call('scripts:start', {
  workspace: fixture.workspace,
  command: [process.execPath, '-e', "console.log('up'); setInterval(() => {}, 1000)"],
});
await fixture.output(started.runId, (text) => text.includes('up'));
writeSync(1, `run ${started.runId} ${started.pid}\n`);
setInterval(() => {}, 1000);
