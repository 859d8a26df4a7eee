import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { LatheFailure } from '../../errors.ts';
import { bytesOf, splitAt } from './scan-test-helpers.ts';
import { SegmentPipeline, threadLanes } from './segment-pipeline.ts';
import { createTableScanner, segmentOptions, type TableScanOptions, type TableScanResult } from './table-scanner.ts';

type Outcome = { ok: true; result: TableScanResult } | { ok: false; error: LatheError };

function scanAtOnce(bytes: Uint8Array, options: TableScanOptions): Outcome {
  try {
    const scanner = createTableScanner(options);
    scanner.write(bytes);
    return { ok: true, result: scanner.end() };
  } catch (error) {
    if (error instanceof LatheFailure) return { ok: false, error: error.error };
    throw error;
  }
}

/** A seeded source of "wait this many turns", so lanes answer in a different order each run. */
function pauses(seed: number) {
  let state = seed >>> 0;
  return async () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    for (let turns = state % 3; turns > 0; turns--) await new Promise((resolve) => setImmediate(resolve));
  };
}

async function scanInSegments(chunks: Uint8Array[], options: TableScanOptions, lanes: number, segmentBytes: number, seed: number): Promise<Outcome> {
  const resolved = segmentOptions(options);
  const pipeline = new SegmentPipeline(resolved, threadLanes(resolved, lanes, pauses(seed)), { segmentBytes, maxKeptBytes: 4 * segmentBytes, maxLaneBytes: 2 * segmentBytes });
  try {
    for (const chunk of chunks) await pipeline.write(chunk);
    return { ok: true, result: await pipeline.end() };
  } catch (error) {
    if (error instanceof LatheFailure) return { ok: false, error: error.error };
    throw error;
  } finally {
    await pipeline.close();
  }
}

/** The same outcome, but for the last bits of means and standard deviations (merged pairwise). */
function expectSameOutcome(actual: Outcome, expected: Outcome): void {
  if (!expected.ok || !actual.ok) {
    expect(actual).toEqual(expected);
    return;
  }
  const strip = (result: TableScanResult) => ({ ...result, profile: result.profile.map(({ mean: _mean, std: _std, ...rest }) => rest) });
  expect(strip(actual.result)).toEqual(strip(expected.result));
  actual.result.profile.forEach((column, i) => {
    const other = expected.result.profile[i];
    for (const key of ['mean', 'std'] as const) {
      const a = column[key];
      const b = other?.[key] ?? null;
      if (a === null || b === null) expect(a).toBe(b);
      else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
    }
  });
}

const csvField = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String) },
  { weight: 2, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }).map((value) => value.toFixed(3)) },
  { weight: 3, arbitrary: fc.constantFrom('alpha', 'beta', 'gamma', 'é', '😀', 'NA', '', 'true', 'FALSE', '2024-02-29', '2023-02-29') },
  { weight: 2, arbitrary: fc.constantFrom('"a, b"', '"line\nbreak"', '"two\r\nlines"', '"say ""hi"""', '""', '"\n"', '"x\n\n\ny"') },
);
const csvFiles = fc
  .record({
    columns: fc.integer({ min: 1, max: 4 }),
    rows: fc.array(fc.array(csvField, { minLength: 4, maxLength: 4 }), { maxLength: 60 }),
    crlf: fc.array(fc.boolean(), { minLength: 61, maxLength: 61 }),
    bom: fc.boolean(),
    leading: fc.nat({ max: 40 }),
    blank: fc.array(fc.nat({ max: 60 }), { maxLength: 3 }),
    finalNewline: fc.boolean(),
    flaw: fc.option(fc.record({ at: fc.nat(), kind: fc.constantFrom('extra field', 'missing field', 'open quote', 'text after quote', 'bad byte', 'nul') }), { freq: 3 }),
  })
  .map(({ columns, rows, crlf, bom, leading, blank, finalNewline, flaw }) => {
    const lines = [Array.from({ length: columns }, (_, i) => (i === 1 ? '"name, two"' : `c${i}`)).join(',')];
    rows.forEach((row, r) => {
      lines.push(row.slice(0, columns).join(','));
      if (blank.includes(r)) lines.push('');
    });
    if (flaw !== null && lines.length > 1) {
      const at = 1 + (flaw.at % (lines.length - 1));
      const line = lines[at] as string;
      lines[at] = { 'extra field': `${line},extra`, 'missing field': columns > 1 ? line.slice(0, Math.max(0, line.lastIndexOf(','))) : `${line},x`, 'open quote': `"${line}`, 'text after quote': `"q"x,${line}`, 'bad byte': `${line}\u0000`, nul: `${line}\u0000` }[flaw.kind];
    }
    let text = '\n'.repeat(leading) + lines.map((line, i) => line + (i === lines.length - 1 && !finalNewline ? '' : crlf[i % crlf.length] ? '\r\n' : '\n')).join('');
    if (bom) text = `\uFEFF${text}`;
    const bytes = bytesOf(text);
    if (flaw?.kind === 'bad byte') {
      const nul = bytes.indexOf(0);
      if (nul >= 0) bytes[nul] = 0xff;
    }
    return bytes;
  });

const jsonValue = fc.oneof(fc.integer({ min: -50, max: 50 }), fc.double({ min: -100, max: 100, noNaN: true }), fc.constantFrom('a', 'b', 'NA', '2024-01-01', null, true, [1, 2], { x: 'y' }));
const jsonlFiles = fc
  .record({
    records: fc.array(fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', '1', 'late key'), jsonValue, { maxKeys: 4 }), { maxLength: 60 }),
    crlf: fc.boolean(),
    blank: fc.array(fc.nat({ max: 60 }), { maxLength: 3 }),
    flaw: fc.option(fc.nat(), { freq: 4 }),
  })
  .map(({ records, crlf, blank, flaw }) => {
    const lines: string[] = [];
    records.forEach((record, r) => {
      lines.push(flaw !== null && flaw % records.length === r ? `{"a": 1,, "b"}` : JSON.stringify(record));
      if (blank.includes(r)) lines.push('   ');
    });
    return bytesOf(lines.map((line) => `${line}${crlf ? '\r\n' : '\n'}`).join(''));
  });

const plans = fc.record({
  segmentBytes: fc.integer({ min: 8, max: 400 }),
  cuts: fc.array(fc.nat(), { maxLength: 8 }),
  seed: fc.nat(),
});

/** Longer files: numeric columns past the histogram's first 256 values, a trend among them. */
const longCsvFiles = fc
  .record({
    rows: fc.integer({ min: 200, max: 1500 }),
    seed: fc.nat(),
    quotedEvery: fc.integer({ min: 2, max: 50 }),
  })
  .map(({ rows, seed, quotedEvery }) => {
    let state = seed;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    const lines = ['id,reading,label,note'];
    for (let i = 0; i < rows; i++) {
      const reading = next() % 10 === 0 ? 'NA' : ((next() % 20000) / 100 - 50).toFixed(2);
      const note = i % quotedEvery === 0 ? `"n${i},\n""q"""` : `n${next() % 40}`;
      lines.push(`${i * 3},${reading},${['a', 'b', 'c'][next() % 3]},${note}`);
    }
    return bytesOf(`${lines.join(next() % 2 === 0 ? '\n' : '\r\n')}\n`);
  });

describe('a file read in segments on two lanes', () => {
  it('csv, longer files: the same result as one lane and as one pass', async () => {
    await fc.assert(
      fc.asyncProperty(longCsvFiles, fc.integer({ min: 200, max: 3000 }), fc.array(fc.nat(), { maxLength: 12 }), fc.nat(), async (bytes, segmentBytes, cuts, seed) => {
        const options: TableScanOptions = { format: 'csv', fileName: 'data.csv', previewRows: 5 };
        const chunks = splitAt(bytes, cuts.map((cut) => cut % (bytes.length + 1)));
        const twoLanes = await scanInSegments(chunks, options, 2, segmentBytes, seed);
        expect(twoLanes).toEqual(await scanInSegments(chunks, options, 1, segmentBytes, seed + 1));
        expectSameOutcome(twoLanes, scanAtOnce(bytes, options));
      }),
      { numRuns: Number(process.env.PIPELINE_RUNS ?? 300) / 6, timeout: 10_000 },
    );
  });
  for (const [format, files] of [
    ['csv', csvFiles],
    ['jsonl', jsonlFiles],
  ] as const) {
    it(`${format}: the same result as one lane and as one pass, wherever it is cut and chunked, errors included`, async () => {
      await fc.assert(
        fc.asyncProperty(files, plans, async (bytes, { segmentBytes, cuts, seed }) => {
          const options: TableScanOptions = { format, fileName: `data.${format}`, previewRows: 7, maxPreviewCellChars: 4 };
          const chunks = splitAt(bytes, cuts.map((cut) => cut % (bytes.length + 1)));
          const twoLanes = await scanInSegments(chunks, options, 2, segmentBytes, seed);
          const oneLane = await scanInSegments(chunks, options, 1, segmentBytes, seed + 1);
          expect(twoLanes).toEqual(oneLane);
          expectSameOutcome(twoLanes, scanAtOnce(bytes, options));
        }),
        { numRuns: Number(process.env.PIPELINE_RUNS ?? 300), timeout: 5000 },
      );
    });
  }
});

describe('limits that only the whole file can break', () => {
  it('JSON Lines: more than 10,000 keys across segments is refused at the record that adds one too many', async () => {
    const records = Array.from({ length: 10 }, (_, r) => JSON.stringify(Object.fromEntries(Array.from({ length: 1100 }, (_, k) => [`r${r}k${k}`, k]))));
    const bytes = bytesOf(`${records.join('\n')}\n`);
    const options: TableScanOptions = { format: 'jsonl', fileName: 'wide.jsonl' };
    const once = scanAtOnce(bytes, options);
    expect(once).toMatchObject({ ok: false, error: { code: 'TOO_LARGE', location: { line: 10, row: 9 } } });
    for (const segmentBytes of [20_000, 60_000]) {
      expect(await scanInSegments(splitAt(bytes, [7777, 50_000]), options, 2, segmentBytes, segmentBytes)).toEqual(once);
    }
  });

  it('a file with only a header, or nothing, in several segments: the same refusal as one pass', async () => {
    for (const [format, text] of [
      ['csv', `a,b\n${'\n'.repeat(300)}`],
      ['csv', '\n'.repeat(300)],
      ['jsonl', ' \n'.repeat(300)],
    ] as const) {
      const options: TableScanOptions = { format, fileName: `data.${format}` };
      const bytes = bytesOf(text);
      const once = scanAtOnce(bytes, options);
      expect(once.ok).toBe(false);
      expect(await scanInSegments([bytes], options, 2, 16, 3)).toEqual(once);
    }
  });
});
