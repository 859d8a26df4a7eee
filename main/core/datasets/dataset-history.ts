import type { ColumnProfile, DatasetSummary, DatasetVersion } from '../../../shared/contract/datasets.ts';
import { failure } from '../errors.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { datasetManifest, datasetProfile, manifestPath, profileOfOriginal, profilePath, type DatasetManifest } from './dataset-manifest.ts';

/** Reading datasets back: every version is a commit that changed `datasets/<name>/dataset.json`. */

export function versionOf(manifest: DatasetManifest, commit: string): DatasetVersion {
  return {
    name: manifest.name,
    version: manifest.version,
    commit,
    date: manifest.importedAt,
    message: manifest.message,
    format: manifest.format,
    rows: manifest.rows,
    columns: manifest.columns,
    bytes: manifest.bytes,
    contentHash: manifest.contentHash,
    sourceFile: manifest.source.fileName,
  };
}

/** The latest manifest of a dataset, or null when there is no such dataset. */
export async function latestManifest(workspace: Workspace, name: string): Promise<DatasetManifest | null> {
  const text = await workspace.git.readFile(manifestPath(name));
  return text === null ? null : datasetManifest.parse(text, manifestPath(name));
}

/** How many datasets the workspace has, from the folder listing alone (no manifest is read). */
export async function countDatasets(workspace: Workspace): Promise<number> {
  return (await workspace.git.list('datasets')).filter((entry) => entry.type === 'tree').length;
}

export async function listDatasets(workspace: Workspace): Promise<DatasetSummary[]> {
  const head = await workspace.git.head();
  if (!head) return [];
  const entries = (await workspace.git.list('datasets')).filter((entry) => entry.type === 'tree');
  const summaries: DatasetSummary[] = [];
  for (const entry of entries) {
    const manifest = await latestManifest(workspace, entry.path);
    if (!manifest) continue;
    const [latestCommit] = await workspace.git.history(manifestPath(entry.path), 1);
    summaries.push({ name: manifest.name, versions: manifest.version, latest: versionOf(manifest, latestCommit?.oid ?? head) });
  }
  // Names are ASCII (the contract says so): a plain comparison, without loading ICU's collator.
  return summaries.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
}

export async function datasetLog(workspace: Workspace, name: string): Promise<DatasetVersion[]> {
  const path = manifestPath(name);
  const commits = await workspace.git.history(path);
  if (commits.length === 0) throw noSuchDataset(name);
  const versions: DatasetVersion[] = [];
  for (const commit of commits) {
    const text = await workspace.git.readFile(path, commit.oid);
    if (text !== null) versions.push(versionOf(datasetManifest.parse(text, `${path}@${commit.oid.slice(0, 7)}`), commit.oid));
  }
  return versions;
}

export interface FoundVersion {
  manifest: DatasetManifest;
  commit: string;
  /** Its per-column profile (read on demand: it is the large part). */
  profile(): Promise<ColumnProfile[]>;
}

export async function findVersion(workspace: Workspace, name: string, version?: number): Promise<FoundVersion> {
  const path = manifestPath(name);
  const commits = await workspace.git.history(path);
  if (commits.length === 0) throw noSuchDataset(name);
  for (const commit of commits) {
    const text = await workspace.git.readFile(path, commit.oid);
    if (text === null) continue;
    const where = `${path}@${commit.oid.slice(0, 7)}`;
    const parsed = datasetManifest.parseWithOriginal(text, where);
    const manifest = parsed.value;
    if (version === undefined || manifest.version === version) {
      return { manifest, commit: commit.oid, profile: () => profileAt(workspace, manifest, commit.oid, profileOfOriginal(parsed.version, parsed.original)) };
    }
    if (manifest.version < version) break;
  }
  const latest = (await latestManifest(workspace, name))?.version ?? 0;
  throw failure('NOT_FOUND', `Dataset "${name}" has no version ${version}; its versions are 1 to ${latest}.`);
}

async function profileAt(workspace: Workspace, manifest: DatasetManifest, commit: string, inline: ColumnProfile[] | null): Promise<ColumnProfile[]> {
  if (inline) return inline;
  const path = profilePath(manifest.name);
  const where = `${path}@${commit.slice(0, 7)}`;
  const text = await workspace.git.readFile(path, commit);
  if (text === null) throw failure('NOT_FOUND', `${where} is missing: the profile of ${manifest.name}@${manifest.version} was not committed with it.`, { location: { file: where } });
  const profile = datasetProfile.parse(text, where);
  if (profile.contentHash !== manifest.contentHash) {
    throw failure('PARSE_ERROR', `${where} describes other bytes (${profile.contentHash}) than ${manifest.name}@${manifest.version} (${manifest.contentHash}).`, {
      location: { file: where, field: 'contentHash' },
    });
  }
  return profile.columns;
}

export function noSuchDataset(name: string) {
  return failure('NOT_FOUND', `There is no dataset named "${name}" in this workspace.`, {
    hint: 'List the datasets with `lathe data list`, or import a file with `lathe data import FILE --name NAME`.',
  });
}
