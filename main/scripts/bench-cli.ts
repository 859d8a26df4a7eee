// npm run bench:cli — how long `lathe` takes to start and answer, beside a bare `node -e ''`,
// all measured in this run on a small real workspace (two datasets, three versions). Scripts and
// CI call the CLI in loops; the aim is the simple commands within 3× of a bare Node start.
//   LATHE_BENCH_RUNS=31 npm run bench:cli    (default 21 runs of each; the median is shown)
// It builds the CLI bundle first, so the figures are never those of a stale bundle.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from './build.ts';

const runs = Math.max(15, Number(process.env.LATHE_BENCH_RUNS ?? 21));
const root = join(import.meta.dirname, '..', '..');
const node = process.execPath;
const bundle = join(root, 'main', 'dist', 'lathe.mjs');
const launcher = join(root, 'main', 'cli', 'lathe-launcher.cjs');
const source = join(root, 'main', 'cli', 'lathe.ts');
const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path) && nodeMajor(path) < 24);

interface Contender {
  label: string;
  command: string[];
  env?: Record<string, string>;
  /** Counts toward the aim. */
  simple?: boolean;
}

function nodeMajor(binary: string): number {
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return Number(version.replace(/^v/, '').split('.')[0]);
}

function run(contender: Contender, cwd: string, env: NodeJS.ProcessEnv): number {
  const [file, ...args] = contender.command;
  const started = performance.now();
  const child = spawnSync(file!, args, { cwd, env: { ...env, ...contender.env }, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${contender.label} failed (exit ${child.status}):\n${child.stdout}${child.stderr}`);
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await buildCli();
const dir = await mkdtemp(join(tmpdir(), 'lathe-bench-cli-'));
try {
  const workspace = join(dir, 'workspace');
  const env = { ...process.env, LATHE_CONFIG_DIR: join(dir, 'config') };
  const lathe = (...args: string[]) => run({ label: `lathe ${args.join(' ')}`, command: [node, bundle, ...args] }, dir, env);
  lathe('init', workspace);
  await writeFile(join(dir, 'weather.csv'), 'city,temp,when\nOslo,3.5,2026-01-02\nLima,19,2026-01-02\n');
  await writeFile(join(dir, 'penguins.csv'), 'species,island,mass\nAdelie,Torgersen,3750\nGentoo,Biscoe,5000\n');
  lathe('data', 'import', 'weather.csv', '-w', workspace, '-m', 'First readings');
  lathe('data', 'import', 'penguins.csv', '-w', workspace);
  await writeFile(join(dir, 'weather.csv'), 'city,temp,when\nOslo,3.5,2026-01-02\nLima,19,2026-01-02\nPune,31,2026-01-03\n');
  lathe('data', 'import', 'weather.csv', '-w', workspace, '-m', 'Add Pune');

  const contenders: Contender[] = [
    { label: "node -e ''  (a bare Node start)", command: [node, '-e', ''] },
    { label: 'lathe --help', command: [node, bundle, '--help'], simple: true },
    { label: 'lathe data list', command: [node, bundle, 'data', 'list'], simple: true },
    { label: 'lathe data log weather', command: [node, bundle, 'data', 'log', 'weather'], simple: true },
    { label: 'lathe data show weather', command: [node, bundle, 'data', 'show', 'weather'] },
    { label: 'lathe data list, through the launcher', command: [node, launcher, 'data', 'list'] },
    {
      label: 'lathe data list, no compile cache',
      command: [node, bundle, 'data', 'list'],
      env: { NODE_DISABLE_COMPILE_CACHE: '1' },
    },
    { label: 'lathe data list, from source (type stripping)', command: [node, source, 'data', 'list'] },
    { label: 'git log (for scale)', command: ['git', 'log', '--oneline'] },
  ];
  if (oldNode) contenders.splice(6, 0, { label: `lathe data list, launcher on ${oldNode} (re-runs on Node 24)`, command: [oldNode, launcher, 'data', 'list'] });

  // Two warm-up runs each (page cache, V8's compile cache), then rounds over all contenders, so
  // that a busy moment of the machine weighs on each of them alike.
  const times = new Map<Contender, number[]>(contenders.map((contender) => [contender, []]));
  for (let round = -2; round < runs; round += 1) {
    for (const contender of contenders) {
      const ms = run(contender, workspace, env);
      if (round >= 0) times.get(contender)!.push(ms);
    }
  }

  const bare = median(times.get(contenders[0]!)!);
  const width = Math.max(...contenders.map((contender) => contender.label.length));
  console.log(`\nlathe start-up: median of ${runs} runs each, Node ${process.version}, ${availableParallelism()} CPUs, main/dist/lathe.mjs unless said\n`);
  console.log(`${''.padEnd(width)}  ${'median'.padStart(8)}  ${'× bare'.padStart(7)}`);
  for (const contender of contenders) {
    const ms = median(times.get(contender)!);
    console.log(`${contender.label.padEnd(width)}  ${`${ms.toFixed(0)} ms`.padStart(8)}  ${`${(ms / bare).toFixed(2)}×`.padStart(7)}`);
  }
  const simple = contenders.filter((contender) => contender.simple).map((contender) => ({ label: contender.label, ratio: median(times.get(contender)!) / bare }));
  const met = simple.every(({ ratio }) => ratio <= 3);
  console.log(`\naim: simple commands within 3× of a bare start → ${met ? 'met' : 'NOT met'} (${simple.map(({ label, ratio }) => `${label.replace('lathe ', '')} ${ratio.toFixed(2)}×`).join(', ')})`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
