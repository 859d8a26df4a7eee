import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * What a benchmark that starts servers needs: a temp folder and the child processes it started,
 * both gone when the benchmark exits, however it exits.
 */
export function benchProcesses(prefix: string): { dir: string; startProcess(args: string[]): Promise<string> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const children: ChildProcess[] = [];
  process.on('exit', () => {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    /** Start a Node process and return the first line it prints (its address). */
    async startProcess(args) {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      const line = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
      if (line.done) throw new Error(`${args.join(' ')} exited before printing its address`);
      return line.value as string;
    },
  };
}
