import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReferenceProfile } from '../../../shared/contract/monitoring.ts';
import type { ModelVersion } from '../../../shared/contract/registry.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * Training references already built, kept in `.lathe/monitoring/references/` (local state, never
 * committed), so that deploying a version again — a canary after a replace, another target, a
 * rollback — does not read its whole dataset again (a million rows by fifty columns is tens of
 * seconds). A file is named by what the reference is made from: the version, its dataset's and
 * its test predictions' content hashes, and the signature's inputs; anything else about it
 * changing makes another name. A file that does not read back as a reference is ignored and
 * rebuilt; one that cannot be written is not kept (the deploy does not depend on the cache).
 */
export async function cachedReference(workspace: Workspace, version: ModelVersion, build: () => Promise<ReferenceProfile>): Promise<ReferenceProfile> {
  const file = join(workspace.latheDir, 'monitoring', 'references', `${cacheKey(version)}.json`);
  const kept = await readFile(file, 'utf8').then(
    (text) => ReferenceProfile.safeParse(JSON.parse(text)),
    () => null,
  ).catch(() => null);
  if (kept?.success && kept.data.model === version.name && kept.data.version === version.version) return kept.data;
  const profile = await build();
  await mkdir(join(workspace.latheDir, 'monitoring', 'references'), { recursive: true })
    .then(() => writeFileAtomic(file, JSON.stringify(profile)))
    .catch(() => undefined);
  return profile;
}

function cacheKey(version: ModelVersion): string {
  const predictions = version.artifacts.find((artifact) => artifact.path === 'test-predictions.jsonl')?.contentHash ?? null;
  const made = JSON.stringify({ schema: 1, name: version.name, version: version.version, dataset: version.lineage.dataset, predictions, inputs: version.signature?.inputs ?? null, metrics: version.metrics });
  return `${encodeURIComponent(version.name).slice(0, 64)}@${version.version}-${createHash('sha256').update(made).digest('hex').slice(0, 32)}`;
}
