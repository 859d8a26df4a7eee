/**
 * Wide files: time and peak memory of importing a CSV with as many columns as Lathe accepts
 * (MAX_COLUMNS, ~100 rows), and of refusing one with 300,000 columns (a 4.3 MB file that once
 * took 40 s and 4.3 GB). Each import runs in a process of its own (import-child.ts), so its peak
 * RSS is its own.
 *
 *   node_modules/.bin/node main/scripts/bench-scan-wide.ts [--rows 100] [--columns N] [--refused 300000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_COLUMNS } from '../core/datasets/table/table-sink.ts';
import { writeWideCsv } from '../core/testing/generate-table.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100' },
    columns: { type: 'string', default: String(MAX_COLUMNS) },
    refused: { type: 'string', default: '300000' },
  },
});
const dir = join(tmpdir(), 'lathe-bench-wide');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

function importInChild(file: string): { seconds: number; maxRssMb: number; outcome: string; manifestBytes: number } {
  const workspace = join(dir, 'workspace');
  rmSync(workspace, { recursive: true, force: true });
  execFileSync(process.execPath, ['main/cli/lathe.ts', 'init', workspace], { env: { ...process.env, LATHE_CONFIG_DIR: join(dir, 'state') } });
  const started = performance.now();
  const child = spawnSync(process.execPath, ['main/core/testing/import-child.ts', workspace, file, 'wide'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(child.stderr);
  const line = child.stdout.trim().split('\n').pop() ?? '{}';
  const report = JSON.parse(line) as { result: { ok: boolean; error?: { code: string; message: string; location?: unknown } }; maxRssBytes: number };
  const outcome = report.result.ok ? 'imported' : `${report.result.error?.code}: ${report.result.error?.message} ${JSON.stringify(report.result.error?.location)}`;
  let manifestBytes = 0;
  for (const name of ['dataset.json', 'profile.json']) {
    try {
      manifestBytes += statSync(join(workspace, 'datasets', 'wide', name)).size;
    } catch {
      // not written (refused) or not part of this manifest layout
    }
  }
  return { seconds, maxRssMb: report.maxRssBytes / 2 ** 20, outcome, manifestBytes };
}

const rows = Number(values.rows);
for (const columns of [Number(values.columns), Number(values.refused)]) {
  const file = join(dir, `wide-${columns}.csv`);
  const { bytes } = await writeWideCsv(file, columns, columns > Number(values.columns) ? 2 : rows);
  const result = importInChild(file);
  console.log(
    `${columns.toLocaleString('en')} columns (${(bytes / 1e6).toFixed(1)} MB): ${result.seconds.toFixed(2)} s (process included), peak RSS ${result.maxRssMb.toFixed(0)} MiB, manifest ${(result.manifestBytes / 1e6).toFixed(1)} MB\n  ${result.outcome}`,
  );
}
