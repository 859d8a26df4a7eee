import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_THRESHOLD_BYTES } from '../core/datasets/table-scan.ts';
import { writeSyntheticCsv } from '../core/testing/generate-table.ts';
import { cliBundleOptions, heavyModulesLoadedAtStart, scanWorkerBundleOptions } from '../scripts/build.ts';

/**
 * The bundled CLI, built exactly as `npm run build` builds it but into a stand-in project folder,
 * run as the installed `lathe` runs it: it must find its scan worker, the built UI and
 * package.json from main/dist, where the relative paths of the source no longer hold.
 */
const repoRoot = join(import.meta.dirname, '..', '..');
let root: string;
let bundle: string;
let heavyAtStart: string[];
let heavyInCore: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lathe-cli-bundle-'));
  const distDir = join(root, 'main', 'dist');
  bundle = join(distDir, 'lathe.mjs');
  await mkdir(join(root, 'renderer', 'dist'), { recursive: true });
  await writeFile(join(root, 'renderer', 'dist', 'index.html'), '<!doctype html><title>stand-in UI</title>');
  await copyFile(join(repoRoot, 'package.json'), join(root, 'package.json'));
  await symlink(join(repoRoot, 'resources'), join(root, 'resources'));
  // The worker bundle leaves the package's dependencies to node_modules, as in the project.
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'));

  const [cli] = await Promise.all([
    build({ ...cliBundleOptions(distDir), logLevel: 'silent' }),
    build({ ...(await scanWorkerBundleOptions(join(distDir, 'table-scan-worker.cjs'))), logLevel: 'silent' }),
  ]);
  const metafile = cli.metafile!;
  heavyAtStart = heavyModulesLoadedAtStart(metafile, relative(process.cwd(), bundle));
  const coreChunk = Object.keys(metafile.outputs).find((file) => /cli-chunks\/lathe-core-[^/]*\.mjs$/.test(file));
  heavyInCore = coreChunk ? heavyModulesLoadedAtStart(metafile, coreChunk) : [];
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const lathe = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [bundle, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LATHE_CONFIG_DIR: join(root, 'config') } });

describe('the bundled CLI', () => {
  it('loads only its entry chunk for --help: no core, server or zod (the build refuses otherwise)', () => {
    expect(heavyInCore).toEqual(expect.arrayContaining([expect.stringContaining('isomorphic-git')])); // the check can see them
    expect(heavyAtStart).toEqual([]);
    const help = lathe(root, '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('lathe data import FILE');
    expect(lathe(root, '--version').stdout.trim()).toMatch(/^lathe \d+\.\d+\.\d+$/);
  });

  it('imports a file large enough for the scan worker, which it finds beside the bundle', async () => {
    const workspace = join(root, 'ws-import');
    expect(lathe(root, 'init', workspace).status).toBe(0);
    const file = join(root, 'large.csv');
    const { rows } = await writeSyntheticCsv(file, WORKER_THRESHOLD_BYTES + 1024 * 1024);
    const imported = lathe(workspace, 'data', 'import', file, '--name', 'large', '--json');
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ status: 'created', version: { name: 'large', rows } });
    expect(lathe(workspace, 'data', 'list').stdout).toMatch(/^large\s+1\s/m);
  }, 60_000);

  it('serves the built UI found from main/dist', async () => {
    const workspace = join(root, 'ws-serve');
    const child = spawn(process.execPath, [bundle, 'serve', '--port', '0', '--json', '--workspace', workspace], {
      env: { ...process.env, LATHE_CONFIG_DIR: join(root, 'config') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const { url } = JSON.parse(line) as { url: string };
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('stand-in UI');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
