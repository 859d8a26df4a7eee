import { z } from 'zod';
import { ColumnProfile, ColumnType, ContentHash, DatasetName, TableFormat } from '../../../shared/contract/datasets.ts';
import { versionedRecord } from '../storage/versioned-record.ts';

/**
 * One version of a dataset is one commit that changed `datasets/<name>/dataset.json`.
 *
 * - `dataset.json` (the manifest) says what the version is: its bytes (content hash, size,
 *   format), its shape (rows, columns), where it came from and the message. It stays small
 *   whatever the data's width, so listing datasets reads little.
 * - `profile.json`, written in the same commit, holds the per-column schema and statistics.
 *
 * Version 1 manifests held the schema and profile inline; they are still read (see
 * `profileOfOriginal`).
 */
const Parse = z.object({
  encoding: z.literal('utf-8'),
  bom: z.boolean(),
  lineEnding: z.enum(['lf', 'crlf', 'mixed', 'none']),
});

const ManifestV1 = z.object({
  schemaVersion: z.literal(1),
  name: DatasetName,
  version: z.number().int().positive(),
  message: z.string(),
  importedAt: z.string(),
  format: TableFormat,
  contentHash: ContentHash,
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  schema: z.array(z.object({ name: z.string(), type: ColumnType })),
  profile: z.array(ColumnProfile),
  source: z.object({ fileName: z.string() }),
  parse: Parse,
});
type ManifestV1 = z.infer<typeof ManifestV1>;

const ManifestV2 = z.object({
  schemaVersion: z.literal(2),
  name: DatasetName,
  version: z.number().int().positive(),
  message: z.string(),
  importedAt: z.string(),
  format: TableFormat,
  contentHash: ContentHash,
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  columns: z.number().int().nonnegative(),
  source: z.object({ fileName: z.string() }),
  parse: Parse,
});
export type DatasetManifest = z.infer<typeof ManifestV2>;

export const datasetManifest = versionedRecord<DatasetManifest>({
  kind: 'dataset manifest',
  versions: [ManifestV1, ManifestV2],
  migrations: [
    ({ schema, profile: _profile, ...rest }: ManifestV1): DatasetManifest => ({ ...rest, schemaVersion: 2, columns: schema.length }),
  ],
});

const ProfileV1 = z.object({
  schemaVersion: z.literal(1),
  /** The bytes this profile describes (the manifest's contentHash). */
  contentHash: ContentHash,
  columns: z.array(ColumnProfile),
});
export type DatasetProfile = z.infer<typeof ProfileV1>;

export const datasetProfile = versionedRecord<DatasetProfile>({ kind: 'dataset profile', versions: [ProfileV1], migrations: [] });

export function manifestPath(name: string): string {
  return `datasets/${name}/dataset.json`;
}

export function profilePath(name: string): string {
  return `datasets/${name}/profile.json`;
}

/** A version 1 manifest's inline profile, or null for a manifest that keeps it in profile.json. */
export function profileOfOriginal(version: number, original: unknown): ColumnProfile[] | null {
  return version === 1 ? (original as ManifestV1).profile : null;
}
