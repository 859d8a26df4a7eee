import { test as base, type Locator, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = resolve(import.meta.dirname, '../..');
const nodeBinary = join(repoRoot, 'node_modules/.bin/node');

/** What `lathe serve --json` prints as its first line. */
export interface LatheServer {
  url: string;
  port: number;
  token: string;
  workspace: string;
  /** The temp folder holding the workspace, config and HOME; removed after the test. */
  root: string;
}

/** The newest modification time of any file under `dir`. */
function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The browser specs drive the built UI: build it when it is missing or older than its sources. */
function ensureUiBuilt(): void {
  const built = join(repoRoot, 'renderer/dist/index.html');
  const sources = Math.max(newestChange(join(repoRoot, 'renderer/src')), statSync(join(repoRoot, 'renderer/index.html')).mtimeMs, newestChange(join(repoRoot, 'shared')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const build = spawnSync(join(repoRoot, 'node_modules/.bin/vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    env: { ...process.env, PATH: `${join(repoRoot, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`Building the UI failed:\n${build.stdout}\n${build.stderr}`);
}

async function firstLine(child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<string> {
  if (!child.stdout) throw new Error('lathe serve has no stdout');
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`lathe serve printed nothing in ${timeoutMs} ms.\n${stderr()}`)), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolvePromise(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lathe serve exited with code ${code} before printing its address.\n${stderr()}`));
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
 * A fresh `lathe serve` per test: its own temp workspace, config folder and HOME (so nothing of
 * the machine's own Lathe state leaks in), on a free port; stopped and removed afterwards.
 */
export const test = base.extend<{ lathe: LatheServer }>({
  // Playwright reads fixture dependencies from the destructuring pattern; this fixture has none.
  // eslint-disable-next-line no-empty-pattern
  lathe: async ({}, use, testInfo) => {
    ensureUiBuilt();
    const root = await mkdtemp(join(tmpdir(), 'lathe-e2e-'));
    const workspace = join(root, 'workspace');
    const config = join(root, 'config');
    const home = join(root, 'home');
    await Promise.all([mkdir(workspace), mkdir(config), mkdir(home)]);

    let stderr = '';
    const child = spawn(nodeBinary, ['main/cli/lathe.ts', 'serve', '--workspace', workspace, '--port', '0', '--json'], {
      cwd: repoRoot,
      env: { ...process.env, HOME: home, LATHE_CONFIG_DIR: config, LATHE_DEFAULT_WORKSPACE: workspace },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
    });

    try {
      const line = await firstLine(child, () => stderr, 30_000);
      const printed = JSON.parse(line) as Omit<LatheServer, 'root'>;
      await use({ ...printed, root });
    } finally {
      await stop(child);
      if (stderr.trim()) await testInfo.attach('lathe-serve-stderr', { body: stderr, contentType: 'text/plain' });
      await rm(root, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';

/** Where specs save screenshots to look at (git-ignored). */
export const screenshotPath = (name: string) => join(repoRoot, 'e2e/screenshots', `${name}.png`);

export interface FileToDrop {
  name: string;
  content: string;
  type?: string;
}

/** A DataTransfer holding files built from bytes, inside the page, as a real drag would carry. */
async function dataTransferWith(page: Page, files: FileToDrop[]) {
  return page.evaluateHandle((items) => {
    const transfer = new DataTransfer();
    for (const item of items) transfer.items.add(new File([item.content], item.name, { type: item.type }));
    return transfer;
  }, files.map((file) => ({ name: file.name, content: file.content, type: file.type ?? 'text/csv' })));
}

/** Drag files over `target` (the overlay shows) without dropping them. */
export async function dragFilesOver(page: Page, target: Locator, files: FileToDrop[]): Promise<void> {
  const dataTransfer = await dataTransferWith(page, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
}

/** Drag files over `target` and drop them there, as a person dropping files from their desktop. */
export async function dropFiles(page: Page, target: Locator, files: FileToDrop[]): Promise<void> {
  const dataTransfer = await dataTransferWith(page, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}
