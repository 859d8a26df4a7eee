import type { PackagedBundle } from '../../../shared/contract/bundles.ts';
import { modelCard } from '../registry/model-card.ts';
import { resolveModelVersion } from '../registry/resolve-model-version.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { bundleSourceFromStore } from './bundle-source.ts';
import type { SigningKey } from './signing-keys.ts';
import { writeBundle } from './write-bundle.ts';

/**
 * `lathe models package NAME@V --out FILE`: the version the reference names (as the registry
 * has it at HEAD), its artifacts read verified from the workspace's store, its model card as the
 * registry renders it, signed with the user's key into one file.
 */
export async function packageModelVersion(workspace: Workspace, ref: string, out: string, options: { key: SigningKey; latheVersion: string }): Promise<PackagedBundle> {
  const version = await resolveModelVersion(workspace, ref);
  const card = await modelCard(workspace, version);
  const source = bundleSourceFromStore(
    workspace.blobs,
    {
      model: { name: version.name, version: version.version },
      runId: version.lineage.run.id,
      dataset: version.lineage.dataset,
      workspaceCommit: version.lineage.workspaceCommit,
    },
    version.artifacts,
    card,
  );
  const written = await writeBundle(source, out, options.key, { latheVersion: options.latheVersion });
  return { file: written.file, bytes: written.bytes, manifest: written.manifest, signer: written.signer };
}
