import type { BlobReference } from '../storage/blob-references.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { reachableCommits } from '../workspace/reachable-commits.ts';
import { datasetManifest } from './dataset-manifest.ts';

/**
 * The bytes every dataset version in the history names: each reachable commit's
 * `datasets/<name>/dataset.json`, each distinct manifest read once. A manifest that cannot be
 * read stops the walk with its error (gc must never guess what is unreferenced).
 * `commits` narrows the walk (`data push` and `data pull` ask for HEAD's alone).
 */
export async function datasetBlobReferences(workspace: Workspace, commits?: readonly string[]): Promise<BlobReference[]> {
  const references: BlobReference[] = [];
  const seenTrees = new Set<string>();
  const seenManifests = new Set<string>();
  for (const commit of commits ?? (await reachableCommits(workspace.git))) {
    for (const dataset of await workspace.git.list('datasets', commit)) {
      if (dataset.type !== 'tree' || seenTrees.has(dataset.oid)) continue;
      seenTrees.add(dataset.oid);
      const manifest = (await workspace.git.entries(dataset.oid)).find((entry) => entry.path === 'dataset.json' && entry.type === 'blob');
      if (!manifest || seenManifests.has(manifest.oid)) continue;
      seenManifests.add(manifest.oid);
      const where = `datasets/${dataset.path}/dataset.json@${commit.slice(0, 7)}`;
      const parsed = datasetManifest.parse(await workspace.git.readBlobText(manifest.oid), where);
      references.push({ hash: parsed.contentHash, bytes: parsed.bytes, usedBy: `${parsed.name}@${parsed.version}` });
    }
  }
  return references;
}
