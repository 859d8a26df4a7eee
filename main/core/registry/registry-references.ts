import type { BlobReference } from '../storage/blob-references.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { reachableCommits } from '../workspace/reachable-commits.ts';
import { MODELS_DIR, versionRecord } from './model-records.ts';

/**
 * The artifact bytes every model version in the history names, so store:gc keeps a registered
 * model's files even after its run is deleted, and store:verify checks them. Every reachable
 * commit's `models/<name>/versions/*.json` is read (each distinct file once); one that cannot be
 * read stops the walk with its error, since gc must never guess what is unreferenced.
 * `commits` narrows the walk (`data push` and `data pull` ask for HEAD's alone).
 */
export async function modelBlobReferences(workspace: Workspace, commits?: readonly string[]): Promise<BlobReference[]> {
  const references: BlobReference[] = [];
  const seenTrees = new Set<string>();
  const seenFiles = new Set<string>();
  for (const commit of commits ?? (await reachableCommits(workspace.git))) {
    for (const model of await workspace.git.list(MODELS_DIR, commit)) {
      if (model.type !== 'tree' || seenTrees.has(model.oid)) continue;
      seenTrees.add(model.oid);
      const versions = (await workspace.git.entries(model.oid)).find((entry) => entry.path === 'versions' && entry.type === 'tree');
      if (!versions || seenTrees.has(versions.oid)) continue;
      seenTrees.add(versions.oid);
      for (const file of await workspace.git.entries(versions.oid)) {
        if (file.type !== 'blob' || !file.path.endsWith('.json') || seenFiles.has(file.oid)) continue;
        seenFiles.add(file.oid);
        const where = `${MODELS_DIR}/${model.path}/versions/${file.path}@${commit.slice(0, 7)}`;
        const record = versionRecord.parse(await workspace.git.readBlobText(file.oid), where);
        for (const artifact of record.artifacts) {
          references.push({ hash: artifact.contentHash, bytes: artifact.bytes, usedBy: `${record.name}@${record.version}: ${artifact.path}` });
        }
      }
    }
  }
  return references;
}
