import type { DatasetDetail } from '../../../shared/contract/datasets.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { findVersion, versionOf } from './dataset-history.ts';
import { readPreview } from './table/table-scanner.ts';

/** One version of a dataset to look at: its profile and first rows, from bytes checked against their hash. */
export async function showDataset(workspace: Workspace, name: string, version?: number): Promise<DatasetDetail> {
  const found = await findVersion(workspace, name, version);
  const { manifest, commit } = found;
  await workspace.blobs.assertIntact(manifest.contentHash, manifest.bytes, `${name}@${manifest.version}`);
  const preview = await readPreview(workspace.blobs.read(manifest.contentHash), {
    format: manifest.format,
    fileName: manifest.source.fileName,
  });
  return { version: versionOf(manifest, commit), profile: await found.profile(), preview };
}

