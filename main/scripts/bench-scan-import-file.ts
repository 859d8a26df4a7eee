/**
 * Full-mode scan of the import benchmark's CSV (main/core/testing/generate-table.ts,
 * writeSyntheticCsv), timed end to end including reading:
 *
 *   node_modules/.bin/node main/scripts/bench-scan-import-file.ts [path] [--runs 3]
 *
 * Prints seconds, MB/s and rows per run, the best run, and the peak RSS.
 */
import { createReadStream } from 'node:fs';
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createTableScanner } from '../core/datasets/table/table-scanner.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '1' } } });
const path = positionals[0] ?? '/tmp/lathe-bench/synthetic-200mb.csv';
const mb = statSync(path).size / 1e6;
let best = Number.POSITIVE_INFINITY;
for (let run = 1; run <= Number(values.runs); run++) {
  const t = performance.now();
  const s = createTableScanner({ format: 'csv', fileName: 'x.csv' });
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) s.write(c as Uint8Array);
  const r = s.end();
  const seconds = (performance.now() - t) / 1000;
  best = Math.min(best, seconds);
  console.log(seconds.toFixed(2), 's', (mb / seconds).toFixed(0), 'MB/s', r.rows);
}
console.log(`best ${best.toFixed(2)} s (${(mb / best).toFixed(0)} MB/s); peak RSS ${((process.resourceUsage().maxRSS * 1024) / 2 ** 20).toFixed(0)} MiB`);
