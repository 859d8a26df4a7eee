import { describe, expect, it } from 'vitest';
import { LatheFailure } from '../errors.ts';
import { createTableScanner, type TableScanOptions, type TableScanResult } from './table/table-scanner.ts';
import { startTableScan, type ScanTuning } from './table-scan.ts';

const encoder = new TextEncoder();

/** Scans `text` on worker threads, fed in chunks of `chunkBytes`. */
async function scanOnWorkers(text: string, options: TableScanOptions, tuning: ScanTuning, chunkBytes = 4096): Promise<TableScanResult> {
  const scan = startTableScan(options, null, undefined, tuning);
  try {
    const bytes = encoder.encode(text);
    for (let at = 0; at < bytes.length; at += chunkBytes) await scan.write(bytes.subarray(at, at + chunkBytes));
    return await scan.end();
  } finally {
    await scan.close();
  }
}

function scanAtOnce(text: string, options: TableScanOptions): TableScanResult {
  const scanner = createTableScanner(options);
  scanner.write(encoder.encode(text));
  return scanner.end();
}

async function failureOf(run: Promise<unknown>): Promise<LatheFailure> {
  try {
    await run;
  } catch (error) {
    if (error instanceof LatheFailure) return error;
    throw error;
  }
  throw new Error('expected the scan to fail');
}

/** A CSV of `rows` rows whose notes hold quoted commas and line breaks. */
function csv(rows: number): string {
  const lines = ['id,price,note'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(i * 7) % 1000}.25,${i % 5 === 0 ? `"note ${i},\nwith a break"` : `plain ${i % 13}`}`);
  return `${lines.join('\n')}\n`;
}

describe('the table scan on worker threads', () => {
  it('profiles a JSON Lines record nested 100,000 deep (once an INTERNAL error on the worker)', async () => {
    const result = await scanOnWorkers(`{"id": 1, "deep": ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n{"id": 2, "deep": []}\n`, { format: 'jsonl', fileName: 'deep.jsonl' }, {});
    expect(result.rows).toBe(2);
    expect(result.profile[1]).toMatchObject({ name: 'deep', type: 'string', distinct: 2 });
  });

  it('two workers reading 4 KiB segments give what one pass gives (but the last bits of mean and std)', async () => {
    const text = csv(3000);
    const options: TableScanOptions = { format: 'csv', fileName: 'notes.csv' };
    const two = await scanOnWorkers(text, options, { lanes: 2, segmentBytes: 4096 }, 1000);
    const one = await scanOnWorkers(text, options, { lanes: 1, segmentBytes: 4096 }, 7000);
    expect(two).toEqual(one);
    const once = scanAtOnce(text, options);
    const strip = (result: TableScanResult) => ({ ...result, profile: result.profile.map(({ mean: _mean, std: _std, ...rest }) => rest) });
    expect(strip(two)).toEqual(strip(once));
    expect(two.profile[1]?.mean).toBeCloseTo(once.profile[1]?.mean as number, 9);
  });

  it('an error far into the file names its true line and row, found by whichever worker read it', async () => {
    const lines = csv(3000).split('\n');
    lines[2500] = `${lines[2500]},one too many`;
    const text = lines.join('\n');
    const options: TableScanOptions = { format: 'csv', fileName: 'notes.csv' };
    const onWorkers = await failureOf(scanOnWorkers(text, options, { lanes: 2, segmentBytes: 4096 }));
    const once = (() => {
      try {
        scanAtOnce(text, options);
      } catch (error) {
        return error as LatheFailure;
      }
      throw new Error('expected the scan to fail');
    })();
    expect(onWorkers.error).toEqual(once.error);
    expect(onWorkers.error.location).toMatchObject({ line: 2501 });
  });

  it('a quoted line break exactly where a segment is cut: the cut moves to the end of that row', async () => {
    // The first line break at or after byte 64 is inside the quoted note of row 1.
    const text = `id,note\n1,"${'x'.repeat(60)}\nstill the note, "" and more"\n2,after\n`;
    const options: TableScanOptions = { format: 'csv', fileName: 'cut.csv' };
    const result = await scanOnWorkers(text, options, { lanes: 2, segmentBytes: 64 }, 16);
    expect(result).toEqual(scanAtOnce(text, options));
    expect(result.rows).toBe(2);
  });

  it('JSON Lines on two workers, with keys that first appear late', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify(i < 1500 ? { id: i, v: i % 17 } : { id: i, v: i % 17, late: `k${i % 3}` }));
    const text = `${lines.join('\n')}\n`;
    const options: TableScanOptions = { format: 'jsonl', fileName: 'data.jsonl' };
    const two = await scanOnWorkers(text, options, { lanes: 2, segmentBytes: 2048 }, 3000);
    expect(two.columns).toEqual(['id', 'v', 'late']);
    expect(two.profile[2]).toMatchObject({ count: 500, missing: 1500, distinct: 3 });
    expect(two).toEqual(await scanOnWorkers(text, options, { lanes: 1, segmentBytes: 2048 }));
  });
});
