import type { ModelDetail, ModelSummary, ModelVersionSummary } from '../../../shared/contract/registry.ts';
import { aliasesOf, modelNames, readAliases, readModel, readVersion, requireModel, versionNumbers, type RegistryReader } from './model-reads.ts';
import type { VersionRecord } from './model-records.ts';

/** Every registered model, in name order, with its latest version and aliases. A folder under models/ without a model.json (made by hand) is not a model. */
export async function listModels(workspace: RegistryReader): Promise<ModelSummary[]> {
  const summaries: ModelSummary[] = [];
  for (const name of await modelNames(workspace)) {
    const model = await readModel(workspace, name);
    if (!model) continue;
    const aliases = await readAliases(workspace, name);
    const numbers = await versionNumbers(workspace, name);
    const newest = numbers.at(-1);
    const latest = newest === undefined ? null : await readVersion(workspace, name, newest);
    summaries.push({
      name,
      description: model.description,
      createdAt: model.createdAt,
      versions: numbers.length,
      latest: latest ? versionSummary(latest, aliases) : null,
      aliases,
    });
  }
  return summaries;
}

/** One model with every version, newest first. */
export async function showModel(workspace: RegistryReader, name: string): Promise<ModelDetail> {
  const model = await requireModel(workspace, name);
  const aliases = await readAliases(workspace, name);
  const versionList: ModelVersionSummary[] = [];
  for (const number of (await versionNumbers(workspace, name)).reverse()) {
    const record = await readVersion(workspace, name, number);
    if (record) versionList.push(versionSummary(record, aliases));
  }
  return { name, description: model.description, createdAt: model.createdAt, versions: versionList.length, aliases, versionList };
}

function versionSummary(record: VersionRecord, aliases: Record<string, number>): ModelVersionSummary {
  return {
    name: record.name,
    version: record.version,
    registeredAt: record.registeredAt,
    description: record.description,
    metrics: record.metrics,
    aliases: aliasesOf(aliases, record.version),
    runId: record.lineage.run.id,
    runName: record.lineage.run.name,
    dataset: record.lineage.dataset,
  };
}
