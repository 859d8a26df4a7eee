import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { callLathe, type LocalAgent } from './agents.ts';
import { test as latheTest } from './lathe-server.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const nodeBinary = join(repoRoot, 'node_modules/.bin/node');

/** The agent's first line (its JSON summary), or why it printed none. */
function firstLine(child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<string> {
  if (!child.stdout) throw new Error('lathe agent has no stdout');
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`lathe agent printed nothing in ${timeoutMs} ms.\n${stderr()}`)), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolvePromise(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lathe agent exited with code ${code} before printing its address.\n${stderr()}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * One deploy target beside the test's `lathe serve` (a lighter load than agents.ts's two on a
 * busy machine): `lathe agent --port 0` with its own data folder inside the server's temp root,
 * trusting the workspace's signing key, stopped after the test.
 */
export const test = latheTest.extend<{ agent: LocalAgent }>({
  agent: async ({ lathe }, use, testInfo) => {
    const key = await callLathe<{ publicKey: string }>(lathe, 'keys:show', {});
    const dataDir = join(lathe.root, 'agent-edge-1');
    await mkdir(dataDir);
    let stderr = '';
    const child = spawn(nodeBinary, ['main/cli/lathe.ts', 'agent', '--port', '0', '--data-dir', dataDir, '--trust', key.publicKey, '--json'], {
      cwd: repoRoot,
      env: { ...process.env, HOME: join(lathe.root, 'home'), LATHE_CONFIG_DIR: join(lathe.root, 'config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
    });
    try {
      const printed = JSON.parse(await firstLine(child, () => stderr, 30_000)) as { url: string; adminToken: string | null };
      if (!printed.adminToken) throw new Error('lathe agent printed no admin token: its data folder was not new.');
      child.stdout?.resume();
      await use({ name: 'edge-1', url: printed.url, adminToken: printed.adminToken });
    } finally {
      await stop(child);
      if (stderr.trim()) await testInfo.attach('lathe-agent-stderr', { body: stderr, contentType: 'text/plain' });
    }
  },
});

export { callLathe, type LocalAgent } from './agents.ts';
export { expect, screenshotPath } from './lathe-server.ts';
