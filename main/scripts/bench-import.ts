// npm run bench:import — how fast Lathe imports a large CSV, beside the floor (sha256sum of the
// same file) and what users would otherwise do (git add + git commit), all measured in this run.
// Also imports a file a quarter the size, to show peak memory does not grow with the file, and
// the large file again with the scanner on one worker thread instead of two (LATHE_SCAN_LANES=1),
// to show what the second core brings.
//   LATHE_BENCH_MB=400 npm run bench:import    (default 200)
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticCsv } from '../core/testing/generate-table.ts';

const sizeMb = Number(process.env.LATHE_BENCH_MB ?? 200);
const dir = join(tmpdir(), 'lathe-bench');
mkdirSync(dir, { recursive: true });

async function dataFile(mb: number): Promise<string> {
  const path = join(dir, `synthetic-${mb}mb.csv`);
  if (!existsSync(path)) {
    process.stdout.write(`generating ${path} … `);
    const { rows } = await writeSyntheticCsv(path, mb * 1e6);
    process.stdout.write(`${rows.toLocaleString()} rows\n`);
  }
  return path;
}

function timed(label: string, run: () => void): number {
  const started = performance.now();
  run();
  const seconds = (performance.now() - started) / 1000;
  return seconds;
}

function freshDir(name: string): string {
  const path = join(dir, name);
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return path;
}

function latheImport(file: string, lanes?: number): { seconds: number; maxRssMb: number; rows: number } {
  const workspace = freshDir('workspace');
  execFileSync(process.execPath, ['main/cli/lathe.ts', 'init', workspace], { env: { ...process.env, LATHE_CONFIG_DIR: join(dir, 'state') } });
  const env = lanes === undefined ? process.env : { ...process.env, LATHE_SCAN_LANES: String(lanes) };
  const child = spawnSync(process.execPath, ['main/core/testing/import-child.ts', workspace, file, 'bench'], { encoding: 'utf8', env });
  if (child.status !== 0) throw new Error(child.stderr);
  const report = JSON.parse(child.stdout) as { result: { ok: boolean; value?: { version: { rows: number } }; error?: unknown }; ms: number; maxRssBytes: number };
  if (!report.result.ok) throw new Error(JSON.stringify(report.result.error));
  return { seconds: report.ms / 1000, maxRssMb: report.maxRssBytes / 2 ** 20, rows: report.result.value!.version.rows };
}

const loadBefore = loadavg().map((load) => load.toFixed(2)).join(' ');
const big = await dataFile(sizeMb);
const small = await dataFile(Math.max(1, Math.round(sizeMb / 4)));
const mb = statSync(big).size / 1e6;
// Warm the page cache so every contender reads from memory, as the second of them would.
execFileSync('cat', [big], { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });

const sha = timed('sha256sum', () => execFileSync('sha256sum', [big], { stdio: ['ignore', 'ignore', 'inherit'] }));
const repo = freshDir('git-repo');
execFileSync('git', ['init', '-q', repo]);
copyFileSync(big, join(repo, 'data.csv'));
const git = timed('git add+commit', () => {
  execFileSync('git', ['-C', repo, 'add', 'data.csv']);
  execFileSync('git', ['-C', repo, '-c', 'user.name=bench', '-c', 'user.email=b@b', 'commit', '-qm', 'data']);
});
const lathe = latheImport(big);
const latheSmall = latheImport(small);
const latheOneLane = latheImport(big, 1);

const row = (label: string, seconds: number, extra = '') =>
  `${label.padEnd(34)} ${seconds.toFixed(2).padStart(7)} s ${(mb / seconds).toFixed(0).padStart(6)} MB/s ${(seconds / sha).toFixed(2).padStart(6)}× sha256sum ${extra}`;
console.log(`\nImport of ${mb.toFixed(0)} MB CSV (${lathe.rows.toLocaleString()} rows), page cache warm, Node ${process.version}, ${availableParallelism()} cores, load ${loadBefore} before\n`);
console.log(row('sha256sum (floor)', sha));
console.log(row('git add + git commit', git));
console.log(row('lathe import (hash+parse+profile+store)', lathe.seconds, `peak RSS ${lathe.maxRssMb.toFixed(0)} MiB`));
console.log(row('  the same, scanner on one worker', latheOneLane.seconds, `peak RSS ${latheOneLane.maxRssMb.toFixed(0)} MiB`));
console.log(`\npeak RSS: ${latheSmall.maxRssMb.toFixed(0)} MiB for ${(statSync(small).size / 1e6).toFixed(0)} MB, ${lathe.maxRssMb.toFixed(0)} MiB for ${mb.toFixed(0)} MB (ratio ${(lathe.maxRssMb / latheSmall.maxRssMb).toFixed(2)}; 1.00 = flat)`);
console.log(`aim: within 3× of sha256sum → ${lathe.seconds / sha <= 3 ? 'met' : 'NOT met'} (${(lathe.seconds / sha).toFixed(2)}×)`);
