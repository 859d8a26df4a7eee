import type { DatasetDetail } from '../../../../shared/contract/datasets.ts';

/** What the diff needs of a dataset version: its record and its columns' profile. */
export type DatasetFacts = Pick<DatasetDetail, 'version' | 'profile'>;
import type { DatasetInput, RunDetail, RunEnvironment } from '../../../../shared/contract/runs.ts';

/**
 * "Why did these differ": what changed between two runs, from their records and their datasets'
 * versions. Each part lists only what changed; an empty part says nothing changed there.
 */
export interface Change {
  readonly key: string;
  /** null: the first run (A) has none. */
  readonly before: string | null;
  /** null: the second run (B) has none. */
  readonly after: string | null;
}

export interface DataChange {
  readonly name: string;
  readonly before: DatasetInput | null;
  readonly after: DatasetInput | null;
  /** Facts of both versions, when main could show them. */
  readonly rows: Change | null;
  readonly columns: Change | null;
  readonly contentHash: Change | null;
  readonly columnsAdded: readonly string[];
  readonly columnsRemoved: readonly string[];
  /** `name: integer → number` */
  readonly typesChanged: readonly Change[];
}

export interface RunDifference {
  readonly params: readonly Change[];
  readonly data: readonly DataChange[];
  readonly environment: readonly Change[];
  readonly gitCommit: Change | null;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Keys whose values differ between two records (a key one lacks counts). */
export function changedEntries(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): Change[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(collator.compare);
  return keys.flatMap((key) => {
    const a = Object.hasOwn(before, key) ? before[key]! : null;
    const b = Object.hasOwn(after, key) ? after[key]! : null;
    return a === b ? [] : [{ key, before: a, after: b }];
  });
}

/** An environment as flat text entries: `backend`, `platform`, `library tfjs-core`… */
export function environmentEntries(environment: RunEnvironment | null): Record<string, string> {
  if (!environment) return {};
  const entries: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) {
    if (key === 'libraries' || value === undefined) continue;
    entries[key] = value === null ? 'none' : typeof value === 'string' ? value : JSON.stringify(value);
  }
  for (const [name, version] of Object.entries(environment.libraries ?? {})) entries[`library ${name}`] = version;
  return entries;
}

/** `name@version` of a dataset input: what datasets:show is asked for. */
export const datasetRef = (input: Pick<DatasetInput, 'name' | 'version'>): string => (input.version === null ? input.name : `${input.name}@${input.version}`);

function change(key: string, before: string | number | null | undefined, after: string | number | null | undefined): Change | null {
  const a = before === null || before === undefined ? null : String(before);
  const b = after === null || after === undefined ? null : String(after);
  return a === b ? null : { key, before: a, after: b };
}

function dataChange(name: string, before: DatasetInput | null, after: DatasetInput | null, shown: (ref: string) => DatasetFacts | null): DataChange | null {
  if (before && after && before.contentHash === after.contentHash && before.version === after.version) return null;
  const a = before ? shown(datasetRef(before)) : null;
  const b = after ? shown(datasetRef(after)) : null;
  const typesBefore = new Map((a?.profile ?? []).map((column) => [column.name, column.type]));
  const typesAfter = new Map((b?.profile ?? []).map((column) => [column.name, column.type]));
  const both = Boolean(a && b);
  return {
    name,
    before,
    after,
    rows: both ? change('rows', a!.version.rows, b!.version.rows) : null,
    columns: both ? change('columns', a!.version.columns, b!.version.columns) : null,
    contentHash: change('content hash', before?.contentHash, after?.contentHash),
    columnsAdded: both ? [...typesAfter.keys()].filter((column) => !typesBefore.has(column)) : [],
    columnsRemoved: both ? [...typesBefore.keys()].filter((column) => !typesAfter.has(column)) : [],
    typesChanged: both
      ? [...typesAfter.entries()].flatMap(([column, type]) => {
          const was = typesBefore.get(column);
          return was !== undefined && was !== type ? [{ key: column, before: was, after: type }] : [];
        })
      : [],
  };
}

/**
 * What changed from run A to run B. `shown` gives a dataset version's record and profile (from
 * datasets:show) when it was read; without it the data part still says which version and hash.
 */
export function diffRuns(a: RunDetail, b: RunDetail, shown: (ref: string) => DatasetFacts | null = () => null): RunDifference {
  const names = [...new Set([...a.datasets.map((input) => input.name), ...b.datasets.map((input) => input.name)])].sort(collator.compare);
  const data = names.flatMap((name) => {
    const found = dataChange(name, a.datasets.find((input) => input.name === name) ?? null, b.datasets.find((input) => input.name === name) ?? null, shown);
    return found ? [found] : [];
  });
  return {
    params: changedEntries(a.params, b.params),
    data,
    environment: changedEntries(environmentEntries(a.environment), environmentEntries(b.environment)),
    gitCommit: change('git commit', a.gitCommit, b.gitCommit),
  };
}

/** The dataset versions to read (datasets:show) to explain two runs' data change. */
export function datasetRefsToShow(a: RunDetail, b: RunDetail): string[] {
  const refs = new Set<string>();
  for (const name of new Set([...a.datasets, ...b.datasets].map((input) => input.name))) {
    const inA = a.datasets.find((input) => input.name === name);
    const inB = b.datasets.find((input) => input.name === name);
    if (inA && inB && inA.contentHash === inB.contentHash && inA.version === inB.version) continue;
    for (const input of [inA, inB]) if (input && input.version !== null) refs.add(datasetRef(input));
  }
  return [...refs];
}
