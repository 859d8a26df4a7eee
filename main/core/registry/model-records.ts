import { z } from 'zod';
import { AliasName, ModelName, ModelVersionNumber } from '../../../shared/contract/model-ref.ts';
import { CardText, ModelArtifact, ModelLineage, Promotion, SignatureSummary } from '../../../shared/contract/registry.ts';
import { versionedRecord } from '../storage/versioned-record.ts';

/**
 * A registered model is a folder in the workspace's git tree, and every change to it is a commit:
 *
 *   models/<name>/model.json          the model: name, description, when it was made
 *   models/<name>/aliases.json        alias → version number
 *   models/<name>/versions/<n>.json   one version: lineage, metrics, signature, artifacts by hash,
 *                                     card fields and promotions
 *
 * Versions never move or disappear; only their description, card fields and promotions change.
 */
const ModelV1 = z.object({
  schemaVersion: z.literal(1),
  name: ModelName,
  description: z.string(),
  createdAt: z.string(),
});
export type ModelRecord = z.infer<typeof ModelV1>;
export const modelRecord = versionedRecord<ModelRecord>({ kind: 'registered model', versions: [ModelV1], migrations: [] });

const AliasesV1 = z.object({
  schemaVersion: z.literal(1),
  aliases: z.record(AliasName, ModelVersionNumber),
});
export type AliasesRecord = z.infer<typeof AliasesV1>;
export const aliasesRecord = versionedRecord<AliasesRecord>({ kind: 'model aliases', versions: [AliasesV1], migrations: [] });

const VersionV1 = z.object({
  schemaVersion: z.literal(1),
  name: ModelName,
  version: ModelVersionNumber,
  registeredAt: z.string(),
  description: z.string(),
  lineage: ModelLineage,
  signature: SignatureSummary.nullable(),
  metrics: z.record(z.string(), z.number()),
  artifacts: z.array(ModelArtifact).min(1),
  card: CardText,
  promotions: z.array(Promotion),
});
export type VersionRecord = z.infer<typeof VersionV1>;
export const versionRecord = versionedRecord<VersionRecord>({ kind: 'model version record', versions: [VersionV1], migrations: [] });

export const MODELS_DIR = 'models';

export function modelDir(name: string): string {
  return `${MODELS_DIR}/${name}`;
}

export function modelPath(name: string): string {
  return `${modelDir(name)}/model.json`;
}

export function aliasesPath(name: string): string {
  return `${modelDir(name)}/aliases.json`;
}

export function versionsDir(name: string): string {
  return `${modelDir(name)}/versions`;
}

export function versionPath(name: string, version: number): string {
  return `${versionsDir(name)}/${version}.json`;
}

export const EMPTY_CARD: z.infer<typeof CardText> = { intendedUse: '', limitations: '', ethicalConsiderations: '', caveats: '' };
