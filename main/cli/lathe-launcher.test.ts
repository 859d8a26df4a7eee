import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../core/testing/temp-dir.ts';

/**
 * The `lathe` command npm installs (package.json "bin", `npm link`, node_modules/.bin/lathe) is
 * main/cli/lathe-launcher.cjs, run by whatever `node` is first on PATH. These tests run it with
 * the project's Node 24 and with an older system Node, in a stand-in project whose CLI reports
 * how it was run, and once in this project for real.
 */
const tempDir = useTempDirs();
const repoRoot = join(import.meta.dirname, '..', '..');
const launcher = join(repoRoot, 'main', 'cli', 'lathe-launcher.cjs');
const node24 = join(repoRoot, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');

function majorOf(binary: string): number {
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  return Number(version.replace(/^v/, '').split('.')[0]);
}

/** The first `node` on PATH outside node_modules that is older than 24 (the system's), if any. */
function findOldNode(): string | undefined {
  const candidates = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir && !dir.includes('node_modules'));
  for (const path of [...candidates.map((dir) => join(dir, 'node')), '/usr/bin/node', '/usr/local/bin/node']) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      continue;
    }
    if (majorOf(path) < 24) return path;
  }
  return undefined;
}

const oldNode = findOldNode();
if (!oldNode) console.warn('lathe-launcher.test.ts: no Node older than 24 on PATH or in /usr/bin; the tests that run the launcher on an old Node are skipped.');

// The stand-in CLI: says which entry ran, on which Node, in which process, with which arguments;
// and exits, waits for a signal, dies of one or echoes stdin, as asked.
const standInCli = (entry: string) => `
const args = process.argv.slice(2);
const report = { entry: ${JSON.stringify(entry)}, node: process.versions.node, script: process.argv[1], args };
if (args[0] === 'wait') {
  process.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(7); });
  console.log('ready');
  setInterval(() => {}, 1000);
} else if (args[0] === 'die') {
  process.kill(process.pid, 'SIGTERM');
} else if (args[0] === 'cat') {
  process.stdin.pipe(process.stdout);
} else {
  console.log(JSON.stringify(report));
  process.exitCode = args[0] === 'fail' ? 3 : 0;
}
`;

interface StandIn {
  root: string;
  launcher: string;
  bundle: string;
  source: string;
}

async function standInProject(options: { bundle?: boolean; projectNode?: boolean } = {}): Promise<StandIn> {
  const root = await tempDir();
  await mkdir(join(root, 'main', 'cli'), { recursive: true });
  await mkdir(join(root, 'main', 'dist'), { recursive: true });
  const project = { root, launcher: join(root, 'main', 'cli', 'lathe-launcher.cjs'), bundle: join(root, 'main', 'dist', 'lathe.mjs'), source: join(root, 'main', 'cli', 'lathe.ts') };
  await copyFile(launcher, project.launcher);
  await writeFile(project.source, standInCli('source'));
  if (options.bundle !== false) await writeFile(project.bundle, standInCli('bundle'));
  if (options.projectNode !== false) {
    await mkdir(join(root, 'node_modules', 'node', 'bin'), { recursive: true });
    await symlink(node24, join(root, 'node_modules', 'node', 'bin', 'node'));
  }
  return project;
}

function launch(node: string, project: StandIn, args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync(node, [project.launcher, ...args], { encoding: 'utf8', input, cwd: project.root });
}

const reportOf = (result: SpawnSyncReturns<string>) => JSON.parse(result.stdout) as { entry: string; node: string; script: string; args: string[] };
const ARGS = ['data', 'import', 'my file.csv', '--message', 'it\'s "quoted" $HOME *', ''];

describe('lathe launcher on Node 24', () => {
  it('runs the bundle in its own process, with the arguments as given', async () => {
    expect(majorOf(node24)).toBeGreaterThanOrEqual(24);
    const project = await standInProject();
    const result = launch(node24, project, ARGS);
    expect(result.status).toBe(0);
    expect(reportOf(result)).toEqual({ entry: 'bundle', node: expect.stringMatching(/^2[4-9]\.|^[3-9]\d\./), script: project.launcher, args: ARGS });
    expect(launch(node24, project, ['fail']).status).toBe(3);
  });

  it('runs the source when the bundle was never built', async () => {
    const project = await standInProject({ bundle: false });
    expect(reportOf(launch(node24, project, ['x']))).toMatchObject({ entry: 'source', script: project.launcher, args: ['x'] });
  });
});

describe.skipIf(!oldNode)(`lathe launcher on an old Node (${oldNode ?? 'none found'})`, () => {
  const old = oldNode!;

  it('runs the bundle with the project\'s Node 24, passing arguments, stdin, stdout and the exit code through', async () => {
    const project = await standInProject();
    const result = launch(old, project, ARGS);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(reportOf(result)).toEqual({ entry: 'bundle', node: expect.stringMatching(/^2[4-9]\./), script: project.bundle, args: ARGS });
    expect(launch(old, project, ['fail']).status).toBe(3);
    expect(launch(old, project, ['cat'], 'piped in\n')).toMatchObject({ status: 0, stdout: 'piped in\n' });
  });

  it('runs the source with the project\'s Node 24 when the bundle was never built', async () => {
    const project = await standInProject({ bundle: false });
    expect(reportOf(launch(old, project, ['x']))).toMatchObject({ entry: 'source', script: project.source, node: expect.stringMatching(/^2[4-9]\./) });
  });

  it('passes a signal to the CLI, and dies of the signal the CLI died of', async () => {
    const project = await standInProject();
    const child = spawn(old, [project.launcher, 'wait'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = createInterface({ input: child.stdout });
    const printed: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for await (const line of lines) {
      printed.push(line);
      if (line === 'ready') child.kill('SIGTERM');
    }
    expect(await exited).toBe(7);
    expect(printed).toEqual(['ready', 'got SIGTERM']);

    expect(launch(old, project, ['die'])).toMatchObject({ status: null, signal: 'SIGTERM' });
  });

  it('says in one line what to install when there is no Node 24', async () => {
    const project = await standInProject({ projectNode: false });
    const result = launch(old, project, ['data', 'list']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^lathe: Lathe needs Node\.js 24 or newer; this is Node\.js \d+\.\d+\.\d+ .*Install Node\.js 24 .*npm install/);
  });
});

describe('lathe launcher in this project', () => {
  const expectVersion = (result: SpawnSyncReturns<string>) => {
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toMatch(/^lathe \d+\.\d+\.\d+$/);
  };

  it('runs lathe --version on Node 24', () => {
    expectVersion(spawnSync(node24, [launcher, '--version'], { encoding: 'utf8' }));
  });

  it.skipIf(!oldNode)('runs lathe --version on the old system Node', () => {
    expectVersion(spawnSync(oldNode!, [launcher, '--version'], { encoding: 'utf8' }));
  });

  it('is what package.json "bin" names', async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
    expect(pkg.bin?.lathe && join(repoRoot, pkg.bin.lathe)).toBe(launcher);
  });
});
