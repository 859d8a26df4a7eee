import { z } from 'zod';
import { ColumnProfile, ColumnType, ContentHash, DatasetName, TableFormat } from '../../../shared/contract/datasets.ts';
import { failure } from '../errors.ts';

/**
 * `datasets/<name>/dataset.json`: what one version of a dataset is. Committed to git, so a
 * version is a commit. Readers accept every schema version ever written and migrate it.
 */
export const MANIFEST_SCHEMA_VERSION = 1;

export const DatasetManifestV1 = z.object({
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
  parse: z.object({
    encoding: z.literal('utf-8'),
    bom: z.boolean(),
    lineEnding: z.enum(['lf', 'crlf', 'mixed', 'none']),
  }),
});
export type DatasetManifest = z.infer<typeof DatasetManifestV1>;

export function manifestPath(name: string): string {
  return `datasets/${name}/dataset.json`;
}

export function parseManifest(text: string, where: string): DatasetManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw failure('PARSE_ERROR', `${where} is not valid JSON: ${(error as Error).message}`, { location: { file: where } });
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > MANIFEST_SCHEMA_VERSION) {
    throw failure('UNAVAILABLE', `${where} was written by a newer Lathe (manifest version ${version}).`, { hint: 'Update Lathe to read it.' });
  }
  const parsed = DatasetManifestV1.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw failure('PARSE_ERROR', `${where} is not a valid dataset manifest: ${field || 'root'}: ${issue?.message}`, { location: { file: where, field } });
  }
  return parsed.data;
}

export function serializeManifest(manifest: DatasetManifest): string {
  return `${JSON.stringify(DatasetManifestV1.parse(manifest), null, 2)}\n`;
}
