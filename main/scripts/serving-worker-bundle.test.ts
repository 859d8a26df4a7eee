import { build } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { copyWasmBinaries, servingWorkerBundleOptions } from './build.ts';
import { bundleSourceFromStore } from '../core/bundles/bundle-source.ts';
import { loadOrCreateSigningKey } from '../core/bundles/signing-keys.ts';
import { writeBundle } from '../core/bundles/write-bundle.ts';
import { coreOnNewWorkspace } from '../core/testing/core-fixture.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { Workspace } from '../core/workspace/workspace.ts';
import { openServingRuntime } from '../core/serving/serving-runtime.ts';

/**
 * The CLI's and the desktop app's bundles start the serving worker from main/dist/serving-worker.cjs
 * (npm run build), TensorFlow.js bundled in and its .wasm files beside it: built the same way
 * here, it must verify and serve a bundle as the source tree's worker does.
 */
const tempDir = useTempDirs();

describe('the bundled serving worker', () => {
  it('verifies and serves a bundle from a folder of its own', async () => {
    const root = await tempDir();
    const dist = join(root, 'dist');
    const outfile = join(dist, 'serving-worker.cjs');
    await build({ bundle: true, logLevel: 'warning', legalComments: 'none', ...(await servingWorkerBundleOptions(outfile)) });
    await copyWasmBinaries(dist);

    const fixture = await coreOnNewWorkspace(root);
    await fixture.call('datasets:import-sample', { workspace: fixture.workspace });
    const started = await fixture.call('training:start', { workspace: fixture.workspace, dataset: 'penguins', target: 'Species', model: 'linear', epochs: 2, backend: 'wasm' });
    await fixture.call('training:wait', { workspace: fixture.workspace, runId: started.runId });
    const run = await fixture.call('runs:get', { workspace: fixture.workspace, runId: started.runId });
    await fixture.core.close();
    const key = await loadOrCreateSigningKey(join(root, 'state'));
    const file = join(root, 'model.lathe');
    const workspace = await Workspace.open(fixture.workspace);
    try {
      await writeBundle(bundleSourceFromStore(workspace.blobs, { model: { name: 'penguins', version: 1 }, runId: started.runId, dataset: null, workspaceCommit: null }, run.artifacts, '# card\n'), file, key, { latheVersion: 'test' });
    } finally {
      await workspace.close();
    }

    const runtime = await openServingRuntime(file, { trust: [key.publicKey], workerUrl: pathToFileURL(outfile), backend: 'wasm' });
    try {
      expect(runtime.backend.name).toBe('wasm');
      const [prediction] = await runtime.predict([{ Island: 'Biscoe', 'Beak Length (mm)': 48, 'Beak Depth (mm)': 15, 'Flipper Length (mm)': 220, 'Body Mass (g)': 5400, Sex: 'MALE' }]);
      expect(prediction).toMatchObject({ predicted: expect.any(String), probabilities: { Adelie: expect.any(Number), Chinstrap: expect.any(Number), Gentoo: expect.any(Number) } });
    } finally {
      await runtime.close();
    }
    const stranger = await loadOrCreateSigningKey(join(root, 'other-state'));
    await expect(openServingRuntime(file, { trust: [stranger.publicKey], workerUrl: pathToFileURL(outfile) })).rejects.toMatchObject({ error: { code: 'FORBIDDEN' } });
  });
});
