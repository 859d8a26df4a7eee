import { join } from 'node:path';
import { bundleSourceFromStore } from '../../core/bundles/bundle-source.ts';
import { loadOrCreateSigningKey, type SigningKey } from '../../core/bundles/signing-keys.ts';
import { writeBundle } from '../../core/bundles/write-bundle.ts';
import { coreOnNewWorkspace } from '../../core/testing/core-fixture.ts';
import { Workspace } from '../../core/workspace/workspace.ts';

/**
 * Tests of the agent: real bundles of a small penguins classifier, trained once (a few seconds),
 * packaged as versions 1, 2 and 3 of model `penguins`, signed by a key in `root`/state. They
 * predict alike; a test that needs a version to fail, be slow or disagree says so with the
 * agent's pool hooks, by version.
 */
export interface TrainedBundles {
  v1: string;
  v2: string;
  v3: string;
  key: SigningKey;
}

export async function trainPenguinBundles(root: string): Promise<TrainedBundles> {
  const fixture = await coreOnNewWorkspace(root);
  await fixture.call('datasets:import-sample', { workspace: fixture.workspace });
  const started = await fixture.call('training:start', { workspace: fixture.workspace, dataset: 'penguins', target: 'Species', model: 'mlp', hidden: [8], epochs: 3 });
  const summary = await fixture.call('training:wait', { workspace: fixture.workspace, runId: started.runId });
  if (summary.status !== 'FINISHED') throw new Error(`training ended ${summary.status}`);
  const run = await fixture.call('runs:get', { workspace: fixture.workspace, runId: started.runId });
  const key = await loadOrCreateSigningKey(join(root, 'state'));
  const workspace = await Workspace.open(fixture.workspace);
  try {
    const files: string[] = [];
    for (const version of [1, 2, 3]) {
      const source = bundleSourceFromStore(workspace.blobs, { model: { name: 'penguins', version }, runId: started.runId, dataset: null, workspaceCommit: run.gitCommit }, run.artifacts, `# penguins@${version}\n`);
      const file = join(root, `penguins-${version}.lathe`);
      await writeBundle(source, file, key, { latheVersion: 'test' });
      files.push(file);
    }
    return { v1: files[0]!, v2: files[1]!, v3: files[2]!, key };
  } finally {
    await workspace.close();
    await fixture.core.close();
  }
}

/** One penguin, one value per column, as the pandas codec sends it (tensors of one row). */
export const ADELIE = {
  Island: 'Torgersen',
  'Beak Length (mm)': 39.1,
  'Beak Depth (mm)': 18.7,
  'Flipper Length (mm)': 181,
  'Body Mass (g)': 3750,
  Sex: 'MALE',
} as const;
