// Test helper: take a workspace's write lock in a process of its own, say so on stdout, and
// hold it until killed (or until stdin closes, when it lets go and exits).
import { WorkspaceLock } from '../workspace/workspace-lock.ts';

const [lockPath] = process.argv.slice(2);
const lock = new WorkspaceLock(lockPath!);
await lock.run(
  async () => {
    process.stdout.write('locked\n');
    await new Promise<void>((resolve) => {
      process.stdin.on('end', resolve).resume();
    });
  },
  { purpose: 'holding it for a test' },
);
