import { metricNumber, type RunSummary } from '../../../../shared/contract/runs.ts';

/**
 * The runs table's columns: a few of every run's own (status, name, start, duration, dataset),
 * then any param or metric the runs have. A column id is what a saved layout remembers.
 */
export type AttributeColumn = 'status' | 'name' | 'experiment' | 'start' | 'duration' | 'dataset';
export type ColumnId = AttributeColumn | `param:${string}` | `metric:${string}`;

export const attributeColumns: readonly AttributeColumn[] = ['status', 'name', 'experiment', 'start', 'duration', 'dataset'];

/** Shown unless the user removes them; `experiment` only when several experiments are listed. */
export const defaultAttributeColumns: readonly AttributeColumn[] = ['status', 'name', 'start', 'duration', 'dataset'];

export interface SortOrder {
  readonly column: ColumnId;
  readonly descending: boolean;
}

export const DEFAULT_SORT: SortOrder = { column: 'start', descending: true };

export type ColumnKind = 'attribute' | 'param' | 'metric';

export function columnKind(id: ColumnId): ColumnKind {
  if (id.startsWith('param:')) return 'param';
  if (id.startsWith('metric:')) return 'metric';
  return 'attribute';
}

/** The param or metric key of a column (`metric:val_loss` → `val_loss`); an attribute's own id. */
export function columnKey(id: ColumnId): string {
  const kind = columnKind(id);
  return kind === 'attribute' ? id : id.slice(kind.length + 1);
}

export const paramColumn = (key: string): ColumnId => `param:${key}`;
export const metricColumn = (key: string): ColumnId => `metric:${key}`;

const attributeLabels: Record<AttributeColumn, string> = {
  status: 'Status',
  name: 'Run',
  experiment: 'Experiment',
  start: 'Started',
  duration: 'Duration',
  dataset: 'Dataset',
};

export function columnLabel(id: ColumnId): string {
  return columnKind(id) === 'attribute' ? attributeLabels[id as AttributeColumn] : columnKey(id);
}

/** Numbers read right-aligned; text left. */
export function columnIsNumeric(id: ColumnId, numericParams: ReadonlySet<string>): boolean {
  const kind = columnKind(id);
  if (kind === 'metric') return true;
  if (kind === 'param') return numericParams.has(columnKey(id));
  return id === 'start' || id === 'duration';
}

/** How long a run took, or has been running (`now`), in milliseconds. */
export function runDuration(run: Pick<RunSummary, 'startTime' | 'endTime' | 'status'>, now: number): number | null {
  if (run.endTime !== null) return Math.max(0, run.endTime - run.startTime);
  return run.status === 'RUNNING' ? Math.max(0, now - run.startTime) : null;
}

/** `penguins@3`; the first input when a run read several. */
export function datasetLabel(run: Pick<RunSummary, 'datasets'>): string | null {
  const input = run.datasets[0];
  if (!input) return null;
  return input.version === null ? input.name : `${input.name}@${input.version}`;
}

/** A param's text as a number when the whole of it is one ("0.01", "64"), else null. */
export function paramNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const trimmed = text.trim();
  if (trimmed === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return null;
  return Number(trimmed);
}

/** What a column sorts by: a number, a text, or null (no value: last in either direction). */
export function sortValue(run: RunSummary, id: ColumnId, now: number, numericParams: ReadonlySet<string>): number | string | null {
  switch (columnKind(id)) {
    case 'metric': {
      const latest = run.metrics[columnKey(id)];
      return latest === undefined ? null : metricNumber(latest.value);
    }
    case 'param': {
      const text = run.params[columnKey(id)];
      if (text === undefined) return null;
      return numericParams.has(columnKey(id)) ? paramNumber(text) : text;
    }
    default:
      switch (id as AttributeColumn) {
        case 'status':
          return run.status;
        case 'name':
          return run.name;
        case 'experiment':
          return run.experimentName;
        case 'start':
          return run.startTime;
        case 'duration':
          return runDuration(run, now);
        case 'dataset':
          return datasetLabel(run);
      }
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * Runs in a column's order. Runs without a value come last whichever way it sorts, and NaN
 * after every number (as main's search orders them); ties keep the newest first, then the id,
 * so the order is the same every time.
 */
export function sortRuns(runs: readonly RunSummary[], order: SortOrder, now: number, numericParams: ReadonlySet<string>): RunSummary[] {
  const direction = order.descending ? -1 : 1;
  const keyed = runs.map((run) => ({ run, value: sortValue(run, order.column, now, numericParams) }));
  keyed.sort((a, b) => {
    const byValue = compareValues(a.value, b.value, direction);
    if (byValue !== 0) return byValue;
    if (a.run.startTime !== b.run.startTime) return b.run.startTime - a.run.startTime;
    return a.run.id < b.run.id ? -1 : a.run.id > b.run.id ? 1 : 0;
  });
  return keyed.map((entry) => entry.run);
}

function compareValues(a: number | string | null, b: number | string | null, direction: number): number {
  const aMissing = a === null || (typeof a === 'number' && Number.isNaN(a));
  const bMissing = b === null || (typeof b === 'number' && Number.isNaN(b));
  if (aMissing || bMissing) {
    if (aMissing && bMissing) return a === null && b === null ? 0 : a === null ? 1 : b === null ? -1 : 0;
    return aMissing ? 1 : -1;
  }
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -direction : direction;
  return collator.compare(String(a), String(b)) * direction;
}

/** Params and metrics the runs have, with how many runs have each and whether a param is always a number. */
export interface RunKeys {
  readonly params: readonly string[];
  readonly metrics: readonly string[];
  /** Params whose every value is a number. */
  readonly numericParams: ReadonlySet<string>;
  /** Params whose value is not the same in every run that has it. */
  readonly varyingParams: ReadonlySet<string>;
  readonly paramCounts: ReadonlyMap<string, number>;
  readonly metricCounts: ReadonlyMap<string, number>;
}

export function runKeys(runs: readonly RunSummary[]): RunKeys {
  const paramCounts = new Map<string, number>();
  const metricCounts = new Map<string, number>();
  const notNumeric = new Set<string>();
  const firstValue = new Map<string, string>();
  const varyingParams = new Set<string>();
  for (const run of runs) {
    for (const key in run.params) {
      const value = run.params[key]!;
      paramCounts.set(key, (paramCounts.get(key) ?? 0) + 1);
      if (!notNumeric.has(key) && paramNumber(value) === null) notNumeric.add(key);
      const first = firstValue.get(key);
      if (first === undefined) firstValue.set(key, value);
      else if (first !== value) varyingParams.add(key);
    }
    for (const key in run.metrics) metricCounts.set(key, (metricCounts.get(key) ?? 0) + 1);
  }
  for (const [key, count] of paramCounts) if (count < runs.length && runs.length > 1) varyingParams.add(key);
  const byName = (a: string, b: string) => collator.compare(a, b);
  const params = [...paramCounts.keys()].sort(byName);
  return {
    params,
    metrics: [...metricCounts.keys()].sort(byName),
    numericParams: new Set(params.filter((key) => !notNumeric.has(key))),
    varyingParams,
    paramCounts,
    metricCounts,
  };
}

/** Validation first, then test, then training metrics: what a person compares runs by. */
function metricRank(key: string): number {
  if (/^(val|valid|validation)[_./-]/i.test(key)) return 0;
  if (/^test[_./-]/i.test(key)) return 1;
  return 2;
}

export const DEFAULT_PARAM_COLUMNS = 5;
export const DEFAULT_METRIC_COLUMNS = 5;

/**
 * Columns a person would pick for these runs: the attributes, the metrics most runs have
 * (validation and test ones first: what runs are compared by), then the params that differ
 * between runs (those explain the metrics; a param every run shares says nothing).
 */
export function defaultColumns(keys: RunKeys, options: { severalExperiments?: boolean } = {}): ColumnId[] {
  const common = (counts: ReadonlyMap<string, number>) => (a: string, b: string) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0);
  const params = [...keys.params]
    .sort((a, b) => Number(keys.varyingParams.has(b)) - Number(keys.varyingParams.has(a)) || common(keys.paramCounts)(a, b) || collator.compare(a, b))
    .filter((key, index) => keys.varyingParams.has(key) || index < 2)
    .slice(0, DEFAULT_PARAM_COLUMNS);
  const metrics = [...keys.metrics]
    .sort((a, b) => metricRank(a) - metricRank(b) || common(keys.metricCounts)(a, b) || collator.compare(a, b))
    .slice(0, DEFAULT_METRIC_COLUMNS);
  const attributes = options.severalExperiments ? [...defaultAttributeColumns.slice(0, 2), 'experiment' as const, ...defaultAttributeColumns.slice(2)] : defaultAttributeColumns;
  return [...attributes, ...metrics.map(metricColumn), ...params.map(paramColumn)];
}
