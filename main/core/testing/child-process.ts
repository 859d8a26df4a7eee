import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A Node script of ours in a process of its own, with a way to wait for a line it prints. */
export function startScript(script: URL, args: readonly string[]): { child: ChildProcess; line: (wanted: (line: string) => boolean) => Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [script.pathname, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const seen: string[] = [];
  const waiters: { wanted: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  lines.on('line', (line) => {
    seen.push(line);
    for (const waiter of waiters.splice(0)) {
      if (waiter.wanted(line)) waiter.resolve(line);
      else waiters.push(waiter);
    }
  });
  const line = (wanted: (line: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const already = seen.find(wanted);
      if (already !== undefined) return resolve(already);
      waiters.push({ wanted, resolve });
      void exited.then((code) => reject(new Error(`${script.pathname} exited (${code}) before printing the line awaited.\n${stderr}`)));
    });
  return { child, line, exited };
}
