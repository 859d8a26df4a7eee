import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningKey } from '../bundles/signing-keys.ts';
import { packageModelVersion } from '../bundles/package-model-version.ts';
import { openServingRuntime } from '../serving/serving-runtime.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { label, type GatedVersion } from './gated-version.ts';
import type { ServedPrediction, ServingTarget } from './serving-target.ts';
import { signatureOf } from './stored-predictions.ts';

/**
 * The serving target the gates use for real: package the version into a signed bundle (the
 * user's key, as `lathe models package` does) in a temporary folder, and load it with the
 * serving runtime, which verifies every part and the signature in a fresh worker before it
 * builds the model. The bundle is removed when the runtime closes.
 */
export interface BundleServingOptions {
  stateDir: string;
  latheVersion: string;
  /** The serving worker's entry file, when not the source tree's (the desktop app's and the CLI's bundles pass their own). */
  workerUrl?: URL | undefined;
  /** Tests: change the bundle file between packaging and loading (a tampered bundle). */
  beforeLoad?: ((file: string) => Promise<void>) | undefined;
}

export function bundleServing(workspace: Workspace, options: BundleServingOptions): ServingTarget {
  return {
    async open(version: GatedVersion) {
      const classes = signatureOf(version).classes ?? [];
      const key = await loadOrCreateSigningKey(options.stateDir);
      const dir = await mkdtemp(join(tmpdir(), 'lathe-gates-'));
      const remove = () => rm(dir, { recursive: true, force: true });
      try {
        const file = join(dir, `${version.name}-${version.version}.lathe`);
        await packageModelVersion(workspace, label(version), file, { key, latheVersion: options.latheVersion });
        await options.beforeLoad?.(file);
        const runtime = await openServingRuntime(file, { trust: [key.publicKey], workerUrl: options.workerUrl });
        return {
          async predict(rows) {
            const answers = await runtime.predict(rows);
            return answers.map((answer): ServedPrediction => ('probabilities' in answer ? { probabilities: classes.map((name) => answer.probabilities[name] ?? Number.NaN) } : { value: answer.predicted as number }));
          },
          async close() {
            await runtime.close();
            await remove();
          },
        };
      } catch (error) {
        await remove();
        throw error;
      }
    },
  };
}
