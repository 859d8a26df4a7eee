import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleSourceFromStore } from '../bundles/bundle-source.ts';
import { loadOrCreateSigningKey } from '../bundles/signing-keys.ts';
import { writeBundle } from '../bundles/write-bundle.ts';
import { sourceResourcesDir } from '../paths.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { writeSampleBundle } from '../testing/sample-bundle.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { Workspace } from '../workspace/workspace.ts';
import { measureSingleRowLatency, openServingRuntime } from './serving-runtime.ts';

/**
 * The runtime against real training runs: a bundle packaged from a run's stored artifacts, loaded
 * in a fresh worker, must predict the run's own test rows exactly as training's evaluation did
 * (no training/serving skew), from the CSV rows as a client would send them.
 */
const tempDir = useTempDirs();

interface StoredPrediction {
  row: number;
  actual: string | number;
  predicted: string | number;
  probabilities?: Record<string, number>;
}

function rowsOf(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i]!, cell])));
}

async function penguinRows(): Promise<Record<string, string>[]> {
  return rowsOf(await readFile(join(sourceResourcesDir(), 'samples', 'penguins.csv'), 'utf8'));
}

/** A regression table with every kind of input: numbers, text, dates, true/false, and missing values in each. */
function housesCsv(): string {
  const lines = ['rooms,area,district,built,garden,price'];
  const districts = ['north', 'south', 'east', 'west', 'centre'];
  for (let i = 0; i < 400; i++) {
    const rooms = 1 + (i % 6);
    const area = 30 + ((i * 37) % 170);
    const district = districts[(i * 7) % 5]!;
    const built = `19${50 + ((i * 13) % 50)}-0${1 + (i % 9)}-1${i % 10}`;
    const garden = i % 3 === 0 ? 'true' : 'false';
    const price = 50 + rooms * 20 + area * 2.5 + districts.indexOf(district) * 15 + (garden === 'true' ? 30 : 0) + ((i * 17) % 11);
    const missing = (column: number) => i % 23 === column + 1;
    lines.push([missing(0) ? '' : rooms, missing(1) ? 'NA' : area, missing(2) ? '' : district, missing(3) ? '' : built, missing(4) ? '' : garden, price.toFixed(1)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

async function trainedBundle(target: string) {
  const root = await tempDir();
  const fixture = await coreOnNewWorkspace(root);
  let dataset = 'penguins';
  if (target === 'price') {
    dataset = 'houses';
    await fixture.call('datasets:import-file', { workspace: fixture.workspace, path: await fixture.file('houses.csv', housesCsv()), name: 'houses' });
  } else {
    await fixture.call('datasets:import-sample', { workspace: fixture.workspace });
  }
  const started = await fixture.call('training:start', { workspace: fixture.workspace, dataset, target, model: 'mlp', hidden: [8], epochs: 5 });
  const summary = await fixture.call('training:wait', { workspace: fixture.workspace, runId: started.runId });
  expect(summary.status).toBe('FINISHED');
  const run = await fixture.call('runs:get', { workspace: fixture.workspace, runId: started.runId });
  const stored = (await fixture.call('runs:read-artifact', { workspace: fixture.workspace, runId: started.runId, path: 'test-predictions.jsonl' })).text;
  const key = await loadOrCreateSigningKey(join(root, 'state'));
  const file = join(root, 'model.lathe');
  const workspace = await Workspace.open(fixture.workspace);
  try {
    const source = bundleSourceFromStore(workspace.blobs, { model: { name: 'penguins', version: 1 }, runId: started.runId, dataset: null, workspaceCommit: run.gitCommit }, run.artifacts, '# penguins@1\n');
    await writeBundle(source, file, key, { latheVersion: 'test' });
  } finally {
    await workspace.close();
    await fixture.core.close();
  }
  return { root, file, key, stored: stored.trim().split('\n').map((line) => JSON.parse(line) as StoredPrediction) };
}

describe('the serving runtime', () => {
  it("predicts a classifier's test rows exactly as its training run did", async () => {
    const { file, key, stored } = await trainedBundle('Species');
    const rows = await penguinRows();
    const runtime = await openServingRuntime(file, { trust: [key.publicKey] });
    try {
      expect(runtime.model).toMatchObject({ task: 'classification', target: 'Species', classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
      expect(runtime.manifest.model).toEqual({ name: 'penguins', version: 1 });
      const served = await runtime.predict(stored.map((p) => rows[p.row]!));
      expect(served).toHaveLength(stored.length);
      stored.forEach((expected, i) => {
        const got = served[i]!;
        expect(got.predicted, `row ${expected.row}`).toBe(expected.predicted);
        if (!('probabilities' in got)) throw new Error('a classifier gives probabilities');
        for (const [name, p] of Object.entries(expected.probabilities!)) expect(got.probabilities[name]).toBeCloseTo(p, 5);
      });
      // Values as JSON gives them serve the same as text from a CSV line.
      const typed = { ...rows[stored[0]!.row]!, 'Beak Length (mm)': Number(rows[stored[0]!.row]!['Beak Length (mm)']) };
      expect((await runtime.predict([typed]))[0]).toEqual(served[0]);

      const latency = await measureSingleRowLatency(runtime, rows.slice(0, 10), { samples: 20, warmup: 2 });
      expect(latency.samples).toBe(20);
      expect(latency.p99Ms).toBeGreaterThanOrEqual(latency.p50Ms);
    } finally {
      await runtime.close();
    }
  });

  it("predicts a regression's test rows exactly as its training run did", async () => {
    const { file, key, stored } = await trainedBundle('price');
    const rows = rowsOf(housesCsv());
    const runtime = await openServingRuntime(file, { trust: [key.publicKey] });
    try {
      expect(runtime.model).toMatchObject({ task: 'regression', target: 'price', classes: null });
      expect(runtime.model.inputs.map((input) => input.type)).toEqual(['integer', 'integer', 'string', 'datetime', 'boolean']);
      const served = await runtime.predict(stored.map((p) => rows[p.row]!));
      // The stored predictions are the model's float32 outputs: served ones match them to float32 precision.
      stored.forEach((expected, i) => expect(Math.abs((served[i]!.predicted as number) - (expected.predicted as number)), `row ${expected.row}`).toBeLessThanOrEqual(1e-6 * Math.abs(expected.predicted as number)));
    } finally {
      await runtime.close();
    }
  });

  it('refuses a tampered bundle, and one whose signer it does not trust, before loading any model', async () => {
    const { root, file, key } = await trainedBundle('Species');
    const bytes = new Uint8Array(await readFile(file));
    const weightsAt = Buffer.from(bytes).indexOf(Buffer.from('model/weights.bin\u0000')) + 512;
    bytes[weightsAt + 17]! ^= 0x40;
    const tampered = join(root, 'tampered.lathe');
    await writeFile(tampered, bytes);
    await expect(openServingRuntime(tampered, { trust: [key.publicKey] })).rejects.toMatchObject({
      error: { code: 'DATA_DAMAGED', message: expect.stringMatching(/did not verify: part model\/weights\.bin: SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}\.$/) },
    });

    const stranger = await loadOrCreateSigningKey(join(root, 'someone-else'));
    await expect(openServingRuntime(file, { trust: [stranger.publicKey] })).rejects.toMatchObject({
      error: { code: 'FORBIDDEN', message: expect.stringContaining(`signed by key ${key.publicKey.fingerprint}…`) },
    });
    await expect(openServingRuntime(file, { trust: [] })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  it('says so when its worker file is missing (a bundled Lathe that did not pass its own), and loads no model', async () => {
    const dir = await tempDir();
    const { file, key } = await writeSampleBundle(dir);
    await expect(openServingRuntime(file, { trust: [key.publicKey], workerUrl: pathToFileURL(join(dir, 'serving-worker.cjs')) })).rejects.toMatchObject({
      error: { code: 'UNAVAILABLE', message: expect.stringContaining('The serving worker cannot start'), hint: expect.stringContaining('workerUrl') },
    });
  });

  it('refuses rows that are not objects, saying which; answers requests in flight together, each its own; refuses after close', async () => {
    const { file, key } = await trainedBundle('Species');
    const rows = await penguinRows();
    const runtime = await openServingRuntime(file, { trust: [key.publicKey] });
    try {
      await expect(runtime.predict([{ Island: 'Biscoe' }, 'Biscoe' as never])).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', message: 'rows.1: expected an object keyed by column name, got string.' } });
      await expect(runtime.predict('rows' as never)).rejects.toMatchObject({ error: { code: 'INVALID_INPUT' } });
      // A row with no known column is predicted from the training fills, not refused.
      expect((await runtime.predict([{}]))[0]).toHaveProperty('probabilities');
      expect(await runtime.predict([])).toEqual([]);

      const one = await Promise.all(rows.slice(0, 20).map((row) => runtime.predict([row])));
      const together = await runtime.predict(rows.slice(0, 20));
      expect(one.map(([prediction]) => prediction!.predicted)).toEqual(together.map((prediction) => prediction.predicted));
    } finally {
      await runtime.close();
    }
    await expect(runtime.predict([{}])).rejects.toMatchObject({ error: { code: 'CANCELLED', message: 'The serving runtime was closed.' } });
  });
});
