import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../storage/blob-store.ts';
import { writeArtifactBytes } from '../tracking/run-artifacts.ts';
import type { GatedVersion } from './gated-version.ts';
import { readStoredPredictions } from './stored-predictions.ts';

/** Stored predictions as training writes them, and as a person or another tool might. */
let dir: string;
let blobs: BlobStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lathe-predictions-'));
  blobs = new BlobStore(dir, join(dir, '.lathe'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function version(task: 'classification' | 'regression', text: string): Promise<GatedVersion> {
  const writer = await writeArtifactBytes(blobs, new TextEncoder().encode(text));
  const { hash, bytes } = await writer.commit();
  return {
    name: 'm',
    version: 1,
    lineage: { run: { id: 'r' }, dataset: null },
    signature: { task, target: { name: 'y', type: 'string' }, inputs: [], classes: task === 'classification' ? ['a "quoted" class', 'b', '3'] : null },
    artifacts: [{ path: 'test-predictions.jsonl', contentHash: hash, bytes }],
  };
}

describe('stored test predictions', () => {
  it("read training's lines and any other JSON spelling of them alike", async () => {
    const classes = ['a "quoted" class', 'b', '3'];
    const line = (row: number, actual: unknown, predicted: unknown, p: number[]) => JSON.stringify({ row, actual, predicted, probabilities: Object.fromEntries(classes.map((name, c) => [name, p[c]])) });
    const text = [
      line(4, 'b', 'b', [0.1, 0.8, 0.1]),
      line(9, classes[0], 'b', [0.3, 0.6, 0.1]),
      line(12, 3, '3', [0, 0.25, 0.75]), // a number as the actual class
      '  { "probabilities": { "b": 0.5, "3": 0.5 }, "predicted": "3", "actual": "unseen", "row": 20 }  ',
      '',
    ].join('\n');
    const read = await readStoredPredictions(blobs, await version('classification', text));
    expect(read).toMatchObject({ task: 'classification', classes });
    if (read.task !== 'classification') throw new Error('classification expected');
    expect(Array.from(read.rows)).toEqual([4, 9, 12, 20]);
    expect(Array.from(read.actual)).toEqual([1, 0, 2, -1]);
    expect(Array.from(read.predicted)).toEqual([1, 1, 2, 2]);
    expect(Array.from(read.probabilities.subarray(9, 12))).toEqual([Number.NaN, 0.5, 0.5]);
    expect(read.probabilities[1]).toBeCloseTo(0.8, 6);
  });

  it('refuse a line that is not a prediction, with its line number', async () => {
    const good = JSON.stringify({ row: 1, actual: 2.5, predicted: 3 });
    await expect(readStoredPredictions(blobs, await version('regression', `${good}\n{"row":2,"actual":1,"predicted":}\n`))).rejects.toMatchObject({ error: { code: 'PARSE_ERROR', location: { line: 2 } } });
    await expect(readStoredPredictions(blobs, await version('regression', `${good}\n{"row":2,"actual":null,"predicted":1}\n`))).rejects.toMatchObject({ error: { message: expect.stringMatching(/line 2: "actual" and "predicted" are not numbers/) } });
    await expect(readStoredPredictions(blobs, await version('regression', `{"row":-1,"actual":1,"predicted":1}\n`))).rejects.toMatchObject({ error: { message: expect.stringMatching(/line 1: "row" is not a row index/) } });
    await expect(readStoredPredictions(blobs, await version('classification', `{"row":1,"actual":"b","predicted":"zebra","probabilities":{}}\n`))).rejects.toMatchObject({ error: { message: expect.stringMatching(/the prediction "zebra" is not one of the model's classes/) } });
  });
});
