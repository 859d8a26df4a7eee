import type { ComparedDataset, DataChange, RunComparison } from '../../../shared/contract/run-comparison.ts';
import type { DatasetInput, RunDetail } from '../../../shared/contract/runs.ts';
import { findVersion } from '../datasets/dataset-history.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * Runs side by side, and in words what made each differ from the first: the params that
 * changed, the data (another version: rows and columns gained or lost), the code (another
 * workspace commit) and the environment (backend, library versions). The answer to "why do
 * these two runs not give the same numbers?" in one place, for the UI and the CLI alike.
 */
export async function compareRuns(workspace: Workspace, runs: readonly RunDetail[]): Promise<RunComparison> {
  const data = await Promise.all(runs.map((run) => Promise.all(run.datasets.map((input) => describeInput(workspace, input)))));
  const paramKeys = [...new Set(runs.flatMap((run) => Object.keys(run.params)))].sort();
  const params = paramKeys
    .map((key) => {
      const values = runs.map((run) => run.params[key] ?? null);
      return { key, values, differs: new Set(values).size > 1 };
    })
    .sort((a, b) => Number(b.differs) - Number(a.differs) || (a.key < b.key ? -1 : 1));
  const metricKeys = [...new Set(runs.flatMap((run) => Object.keys(run.metrics)))].sort();
  const envKeys = [...new Set(runs.flatMap((run) => Object.keys(flatEnvironment(run))))].sort();
  const environment = envKeys.map((key) => {
    const values = runs.map((run) => flatEnvironment(run)[key] ?? null);
    return { key, values, differs: new Set(values).size > 1 };
  });
  const commits = runs.map((run) => run.gitCommit);
  const first = runs[0]!;
  return {
    runs: runs.map(({ id, name, status, experimentName, startTime }) => ({ id, name, status, experimentName, startTime })),
    params,
    metrics: metricKeys.map((key) => ({ key, values: runs.map((run) => run.metrics[key]?.value ?? null) })),
    data,
    code: { commits, differs: new Set(commits).size > 1 },
    environment,
    changes: runs.slice(1).map((run, i) => {
      const dataChanges = dataChangesBetween(data[0]!, data[i + 1]!);
      return {
        runId: run.id,
        against: first.id,
        data: dataChanges,
        reasons: [
          ...paramReasons(first, run),
          ...dataChanges.map(dataReason),
          ...(first.gitCommit !== run.gitCommit ? [`code: workspace commit ${short(first.gitCommit)} → ${short(run.gitCommit)}`] : []),
          ...environment.filter((row) => row.values[0] !== row.values[i + 1]).map((row) => `${row.key}: ${row.values[0] ?? 'not recorded'} → ${row.values[i + 1] ?? 'not recorded'}`),
        ],
      };
    }),
  };
}

function short(commit: string | null): string {
  return commit ? commit.slice(0, 10) : 'not recorded';
}

/** backend, node, cpu…, and each library as `library <name>`. */
function flatEnvironment(run: RunDetail): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(run.environment ?? {})) {
    if (typeof value === 'string') flat[key] = value;
    else if (key === 'libraries' && value && typeof value === 'object') {
      for (const [name, version] of Object.entries(value as Record<string, unknown>)) flat[`library ${name}`] = String(version);
    }
  }
  return flat;
}

function paramReasons(a: RunDetail, b: RunDetail): string[] {
  const keys = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])].sort();
  return keys.filter((key) => a.params[key] !== b.params[key]).map((key) => `param ${key}: ${a.params[key] ?? 'not set'} → ${b.params[key] ?? 'not set'}`);
}

async function describeInput(workspace: Workspace, input: DatasetInput): Promise<ComparedDataset> {
  const described: ComparedDataset = { name: input.name, version: input.version, contentHash: input.contentHash, rows: null, columns: null, message: null, importedAt: null };
  if (input.version === null) return described;
  try {
    const found = await findVersion(workspace, input.name, input.version);
    if (found.manifest.contentHash !== input.contentHash) return described; // another workspace's dataset of that name
    const profile = await found.profile();
    return {
      ...described,
      rows: found.manifest.rows,
      columns: profile.map((column) => ({ name: column.name, type: column.type })),
      message: found.manifest.message,
      importedAt: found.manifest.importedAt,
    };
  } catch {
    return described; // a dataset this workspace does not hold (an MLflow client's input)
  }
}

/** The datasets whose version or bytes differ between two runs' inputs, with their columns' changes. */
function dataChangesBetween(before: readonly ComparedDataset[], after: readonly ComparedDataset[]): DataChange[] {
  const names = [...new Set([...before, ...after].map((d) => d.name))];
  return names.flatMap((name) => {
    const a = before.find((d) => d.name === name) ?? null;
    const b = after.find((d) => d.name === name) ?? null;
    if (a && b && a.contentHash === b.contentHash && a.version === b.version) return [];
    const change: DataChange = { name, before: a, after: b, columnsAdded: [], columnsRemoved: [], typesChanged: [] };
    if (!a?.columns || !b?.columns) return [change];
    const typesBefore = new Map(a.columns.map((c) => [c.name, c.type]));
    const typesAfter = new Map(b.columns.map((c) => [c.name, c.type]));
    change.columnsAdded = b.columns.filter((c) => !typesBefore.has(c.name)).map((c) => c.name);
    change.columnsRemoved = a.columns.filter((c) => !typesAfter.has(c.name)).map((c) => c.name);
    change.typesChanged = b.columns.flatMap((c) => {
      const was = typesBefore.get(c.name);
      return was !== undefined && was !== c.type ? [{ column: c.name, before: was, after: c.type }] : [];
    });
    return [change];
  });
}

const label = (d: ComparedDataset) => `${d.name}${d.version ? `@${d.version}` : ''}`;

function dataReason({ before: a, after: b, columnsAdded, columnsRemoved, typesChanged }: DataChange): string {
  if (!a) return `data: ${label(b!)} was not an input of the first run`;
  if (!b) return `data: ${label(a)} is not an input of this run`;
  const parts = [`data: ${label(a)} → ${label(b)}${a.contentHash === b.contentHash ? '' : ' (other bytes)'}`];
  if (a.rows !== null && b.rows !== null && a.rows !== b.rows) parts.push(`${b.rows - a.rows > 0 ? '+' : ''}${b.rows - a.rows} rows`);
  if (columnsAdded.length) parts.push(`columns added: ${columnsAdded.join(', ')}`);
  if (columnsRemoved.length) parts.push(`columns removed: ${columnsRemoved.join(', ')}`);
  if (typesChanged.length) parts.push(`types changed: ${typesChanged.map((t) => `${t.column} ${t.before} → ${t.after}`).join(', ')}`);
  return parts.join('; ');
}
