import type { ColumnProfile, ColumnType } from '../../../shared/contract/datasets.ts';
import { findVersion } from '../datasets/dataset-history.ts';
import type { DatasetManifest } from '../datasets/dataset-manifest.ts';
import { createTableReader, type WantedColumn } from '../training/data/table-reader.ts';
import type { ColumnReading, TableColumns } from '../training/data/table-columns.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * The rows a gate judges: a dataset version's columns read into typed arrays (hash-checked as
 * they stream), with the version's profile. For the training version only its test rows count
 * (`rows`, the indices training stored with its predictions); for another version, all of them.
 */
export interface EvaluationData {
  manifest: DatasetManifest;
  profile: ColumnProfile[];
  table: TableColumns;
  /** The rows judged, as indices into `table`; null: every row. */
  rows: Int32Array | null;
}

export function readingOf(type: ColumnType): ColumnReading {
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'datetime') return 'datetime';
  return 'category';
}

export function rowCount(data: EvaluationData): number {
  return data.rows ? data.rows.length : data.table.rows;
}

export interface DatasetVersionRead {
  manifest: DatasetManifest;
  profile: ColumnProfile[];
}

export async function datasetVersion(workspace: Workspace, name: string, version: number | undefined): Promise<DatasetVersionRead> {
  const found = await findVersion(workspace, name, version);
  return { manifest: found.manifest, profile: await found.profile() };
}

/** Read `columns` (those the version has; each as its own profile's type says) from a dataset version's bytes. */
export async function readEvaluationTable(workspace: Workspace, version: DatasetVersionRead, columns: readonly string[], readAs: (column: ColumnProfile) => ColumnReading = (column) => readingOf(column.type)): Promise<TableColumns> {
  const { manifest, profile } = version;
  const byName = new Map(profile.map((column) => [column.name, column]));
  const wanted: WantedColumn[] = [...new Set(columns)].flatMap((name) => {
    const column = byName.get(name);
    return column ? [{ name, reading: readAs(column) }] : [];
  });
  const reader = createTableReader(manifest.format, wanted, manifest.rows);
  const label = `${manifest.name}@${manifest.version}`;
  for await (const chunk of workspace.blobs.readVerified(manifest.contentHash, manifest.bytes, label)) reader.write(chunk);
  return reader.end();
}
