import type { CallName, EventName, InputOf, OutputOf, PayloadOf } from '../../../shared/contract/calls.ts';
import type { DatasetDetail, DatasetSummary, DatasetVersion } from '../../../shared/contract/datasets.ts';
import type { LatheError, Result } from '../../../shared/contract/result.ts';
import type { JobInfo } from '../../../shared/contract/jobs.ts';
import type { Experiment, MetricHistory, RunDetail, RunSummary } from '../../../shared/contract/runs.ts';
import type { LatheApi } from '../lib/api-types.ts';

/** A version record as main would send it, with the fields a test cares about overridden. */
export function versionOf(name: string, version: number, overrides: Partial<DatasetVersion> = {}): DatasetVersion {
  return {
    name,
    version,
    commit: String(version).padStart(40, '0'),
    date: `2025-06-0${Math.min(version, 9)}T10:00:00.000Z`,
    message: `Import ${name}.csv`,
    format: 'csv',
    rows: 10 * version,
    columns: 3,
    bytes: 100 * version,
    contentHash: `sha256:${String(version).repeat(64).slice(0, 64)}`,
    sourceFile: `${name}.csv`,
    ...overrides,
  };
}

export function detailOf(version: DatasetVersion): DatasetDetail {
  return { version, profile: [], preview: { columns: ['a'], rows: [[1]], truncatedCells: false } };
}

export function summaryOf(versions: DatasetVersion[]): DatasetSummary {
  const latest = versions[0];
  if (!latest) throw new Error('a summary needs a version');
  return { name: latest.name, versions: versions.length, latest };
}

/** A run record as main would send it: 32-hex id from `seed`, the fields a test cares about overridden. */
export function runOf(seed: number, overrides: Partial<RunDetail> = {}): RunDetail {
  return {
    id: seed.toString(16).padStart(32, '0'),
    name: `run-${seed}`,
    experimentId: '1',
    experimentName: 'penguins',
    status: 'FINISHED',
    startTime: 1_750_000_000_000 + seed * 60_000,
    endTime: 1_750_000_000_000 + seed * 60_000 + 30_000,
    lifecycle: 'active',
    params: {},
    tags: {},
    metrics: {},
    datasets: [],
    user: 'me',
    gitCommit: null,
    environment: null,
    artifacts: [],
    systemTags: {},
    ...overrides,
  };
}

/** A run's summary: its record less what only runs:get gives. */
export function summaryOfRun(run: RunDetail): RunSummary {
  const { user: _user, gitCommit: _gitCommit, environment: _environment, artifacts: _artifacts, systemTags: _systemTags, ...summary } = run;
  return summary;
}

/** A metric history as main sends it (no downsampling): `values[i]` at step i. */
export function historyOf(key: string, values: readonly number[]): MetricHistory {
  return { key, steps: values.map((_, i) => i), values: [...values], timestamps: values.map((_, i) => 1_750_000_000_000 + i), stored: values.length, downsampled: false };
}

/** An in-memory main: datasets as lists of versions (newest first), answering like the real one. */
export class FakeMain implements LatheApi {
  readonly frontDoor = { kind: 'browser' as const, nativeDialogs: false };
  readonly datasets = new Map<string, DatasetVersion[]>();
  readonly calls: { name: CallName; input: unknown }[] = [];
  readonly #listeners = new Map<string, Set<(payload: never) => void>>();

  on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void {
    const set = this.#listeners.get(name) ?? new Set();
    this.#listeners.set(name, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** What main tells every window, as the real one does when a dataset changes. */
  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    for (const listener of this.#listeners.get(name) ?? []) listener(payload as never);
  }

  onConnection(): () => void {
    return () => undefined;
  }
  /** The next import fails with this error. */
  failNextImport: LatheError | null = null;

  // —— experiments and runs (tracking) ——
  readonly experiments: Experiment[] = [];
  /** Every run by id, deleted ones included (lifecycle). */
  readonly runs = new Map<string, RunDetail>();
  /** `<run id>\u0000<metric>` → its every point. */
  readonly histories = new Map<string, MetricHistory>();
  /** `<run id>\u0000<path>` → the artifact's text. */
  readonly artifactTexts = new Map<string, string>();
  readonly jobs: JobInfo[] = [];
  /** What training:compare-reproduction answers (the real one compares test metrics). */
  reproductionReport: OutputOf<'training:compare-reproduction'> | null = null;
  /**
   * How the fake reads a user's filter (main's own parser is not here): a run matches, or the
   * filter is refused with this error. Run-id clauses the UI adds itself are understood anyway.
   */
  filterRule: (filter: string, run: RunSummary) => boolean | LatheError = () => true;

  addRun(run: RunDetail, histories: Record<string, readonly number[]> = {}): RunDetail {
    this.runs.set(run.id, run);
    for (const [key, values] of Object.entries(histories)) this.histories.set(`${run.id}\u0000${key}`, historyOf(key, values));
    return run;
  }

  private searchRuns(input: InputOf<'runs:search'>): Result<OutputOf<'runs:search'>> {
    let filter = input.filter ?? '';
    // The UI narrows searches to runs by id: `(user filter) AND (attributes.run_id = '…' OR …)`.
    const ids = [...filter.matchAll(/attributes\.run_id = '([0-9a-f]{32})'/g)].map((match) => match[1]!);
    if (ids.length > 0) {
      const idPart = /^(?:\((.*)\) AND \()?(attributes\.run_id = '[0-9a-f]{32}'(?: OR attributes\.run_id = '[0-9a-f]{32}')*)\)?$/s.exec(filter);
      filter = idPart?.[1] ?? '';
    }
    const matching: RunSummary[] = [];
    for (const run of this.runs.values()) {
      if (!input.includeDeleted && run.lifecycle === 'deleted') continue;
      if (input.experimentIds && !input.experimentIds.includes(run.experimentId)) continue;
      if (ids.length > 0 && !ids.includes(run.id)) continue;
      const summary = summaryOfRun(run);
      if (filter.trim() !== '') {
        const verdict = this.filterRule(filter, summary);
        if (typeof verdict === 'object') return { ok: false, error: verdict };
        if (!verdict) continue;
      }
      matching.push(summary);
    }
    matching.sort((a, b) => b.startTime - a.startTime || (a.id < b.id ? -1 : 1));
    const offset = input.pageToken ? Number(input.pageToken.replace('offset:', '')) : 0;
    const limit = input.maxResults ?? 1000;
    const page = matching.slice(offset, offset + limit);
    const next = offset + page.length;
    return { ok: true, value: next < matching.length ? { runs: page, total: matching.length, nextPageToken: `offset:${next}` } : { runs: page, total: matching.length } };
  }

  /** Main's runs:compare, reduced to what the UI reads: params side by side and each run's datasets. */
  private compareRuns(ids: readonly string[]): Result<OutputOf<'runs:compare'>> {
    const runs = ids.map((id) => this.runs.get(id));
    if (runs.some((run) => !run)) return { ok: false, error: { code: 'NOT_FOUND', message: 'There is no such run in this workspace.' } };
    const compared = runs as RunDetail[];
    const keys = [...new Set(compared.flatMap((run) => Object.keys(run.params)))].sort();
    const params = keys.map((key) => {
      const values = compared.map((run) => run.params[key] ?? null);
      return { key, values, differs: new Set(values).size > 1 };
    });
    const data = compared.map((run) => run.datasets.map((input) => ({ ...input, rows: null, columns: null, message: null, importedAt: null })));
    const commits = compared.map((run) => run.gitCommit);
    return {
      ok: true,
      value: {
        runs: compared.map(({ id, name, status, experimentName, startTime }) => ({ id, name, status, experimentName, startTime })),
        params,
        metrics: [],
        data,
        code: { commits, differs: new Set(commits).size > 1 },
        environment: [],
        changes: compared.slice(1).map((run, i) => ({
          runId: run.id,
          against: compared[0]!.id,
          reasons: params.filter((row) => row.values[0] !== row.values[i + 1]).map((row) => `param ${row.key}`),
          data: data[0]!.flatMap((before) => {
            const after = data[i + 1]!.find((candidate) => candidate.name === before.name) ?? null;
            return after?.contentHash === before.contentHash ? [] : [{ name: before.name, before, after, columnsAdded: [], columnsRemoved: [], typesChanged: [] }];
          }),
        })),
      },
    };
  }

  private answerTracking(name: CallName, input: unknown): Result<unknown> | null {
    const args = input as { runId?: string; key?: string; maxPoints?: number; path?: string; jobId?: string };
    const run = args.runId ? this.runs.get(args.runId) : undefined;
    const noRun: Result<never> = { ok: false, error: { code: 'NOT_FOUND', message: `There is no run "${args.runId}" in this workspace.` } };
    switch (name) {
      case 'experiments:list':
        return { ok: true, value: this.experiments };
      case 'runs:search':
        return this.searchRuns(input as InputOf<'runs:search'>);
      case 'runs:get':
        return run ? { ok: true, value: run } : noRun;
      case 'runs:compare':
        return this.compareRuns((input as InputOf<'runs:compare'>).runIds);
      case 'runs:metric-history': {
        if (!run) return noRun;
        const history = this.histories.get(`${run.id}\u0000${args.key}`) ?? historyOf(args.key ?? '', []);
        if (args.maxPoints === undefined || history.steps.length <= args.maxPoints) return { ok: true, value: history };
        // Every n-th point, first and last kept: enough of a stand-in for LTTB here.
        const every = Math.ceil(history.steps.length / args.maxPoints);
        const keep = history.steps.map((_, i) => i).filter((i) => i % every === 0 || i === history.steps.length - 1);
        return { ok: true, value: { ...history, steps: keep.map((i) => history.steps[i]!), values: keep.map((i) => history.values[i]!), timestamps: keep.map((i) => history.timestamps[i]!), downsampled: true } };
      }
      case 'runs:metric-histories': {
        const { workspace, curves, maxPoints } = input as InputOf<'runs:metric-histories'>;
        return {
          ok: true,
          value: curves.map(({ runId, key }) => {
            const one = this.answer('runs:metric-history', { workspace, runId, key, maxPoints });
            return one.ok ? { ...(one.value as object), runId, timestamps: [] } : { runId, key, error: one.error };
          }),
        };
      }
      case 'runs:delete':
      case 'runs:restore': {
        if (!run) return noRun;
        const changed = { ...run, lifecycle: name === 'runs:delete' ? ('deleted' as const) : ('active' as const) };
        this.runs.set(run.id, changed);
        return { ok: true, value: summaryOfRun(changed) };
      }
      case 'runs:read-artifact': {
        if (!run) return noRun;
        const text = this.artifactTexts.get(`${run.id}\u0000${args.path}`);
        const artifact = run.artifacts.find((candidate) => candidate.path === args.path);
        if (text === undefined || !artifact) return { ok: false, error: { code: 'NOT_FOUND', message: `Run ${run.id} has no artifact "${args.path}".` } };
        return { ok: true, value: { ...artifact, text } };
      }
      case 'training:reproduce': {
        if (!run) return noRun;
        const copy = this.addRun({ ...run, id: (BigInt(`0x${run.id}`) + 1000n).toString(16).padStart(32, '0'), name: `${run.name} (reproduction)`, status: 'RUNNING', endTime: null, systemTags: { ...run.systemTags, 'lathe.reproduces': run.id } });
        return { ok: true, value: { runId: copy.id, jobId: 'job-00000000000f', experimentId: run.experimentId, reproduces: run.id } };
      }
      case 'training:compare-reproduction':
        return this.reproductionReport ? { ok: true, value: this.reproductionReport } : { ok: false, error: { code: 'UNAVAILABLE', message: 'no report set' } };
      case 'jobs:list':
        return { ok: true, value: this.jobs };
      case 'jobs:cancel': {
        const job = this.jobs.find((candidate) => candidate.id === args.jobId);
        if (!job) return { ok: false, error: { code: 'NOT_FOUND', message: `No job ${args.jobId}` } };
        job.status = 'cancelled';
        return { ok: true, value: job };
      }
      default:
        return null;
    }
  }

  call<N extends CallName>(name: N, input: InputOf<N>): Promise<Result<OutputOf<N>>> {
    this.calls.push({ name, input });
    return Promise.resolve(this.answer(name, input) as Result<OutputOf<N>>);
  }

  private answer(name: CallName, input: unknown): Result<unknown> {
    const args = input as { name?: string; version?: number; path?: string };
    switch (name) {
      case 'workspace:open':
      case 'workspace:create':
        return { ok: true, value: { path: args.path, name: 'w', datasets: this.datasets.size, createdAt: '2025-01-01T00:00:00Z' } };
      case 'workspace:default':
        return { ok: true, value: { path: '/home/me/lathe', name: 'lathe', datasets: this.datasets.size, createdAt: '2025-01-01T00:00:00Z' } };
      case 'app:info':
        return { ok: true, value: { version: '0.1.0', frontDoor: 'browser', platform: 'linux', nativeDialogs: false } };
      case 'datasets:list':
        return { ok: true, value: [...this.datasets.values()].map(summaryOf) };
      case 'datasets:log': {
        const versions = this.datasets.get(args.name ?? '');
        return versions ? { ok: true, value: versions } : { ok: false, error: { code: 'NOT_FOUND', message: `No dataset ${args.name}` } };
      }
      case 'datasets:show': {
        const versions = this.datasets.get(args.name ?? '') ?? [];
        const version = args.version === undefined ? versions[0] : versions.find((v) => v.version === args.version);
        return version ? { ok: true, value: detailOf(version) } : { ok: false, error: { code: 'NOT_FOUND', message: 'No such version' } };
      }
      case 'datasets:import-sample':
        return this.importBytes('penguins', 'penguins.csv', 'sample', (input as { importId?: string }).importId);
      default:
        return this.answerTracking(name, input) ?? { ok: false, error: { code: 'UNAVAILABLE', message: `${name} is not faked` } };
    }
  }

  /** Same content as the latest version → unchanged; else a new version. Content = the file's text. */
  private importBytes(name: string, fileName: string, content: string, importId?: string): Result<OutputOf<'datasets:import-upload'>> {
    const versions = this.datasets.get(name) ?? [];
    const latest = versions[0];
    const hash = `sha256:${djb2(content).padStart(64, '0')}`;
    if (latest && latest.contentHash === hash) return { ok: true, value: { status: 'unchanged', version: latest } };
    const created = versionOf(name, versions.length + 1, { contentHash: hash, sourceFile: fileName });
    this.datasets.set(name, [created, ...versions]);
    this.emit('datasets:changed', { workspace: '/w', name, ...(importId ? { importId } : {}) });
    return { ok: true, value: { status: 'created', version: created } };
  }

  async importFile(file: File, input: { name: string; importId?: string }): Promise<Result<OutputOf<'datasets:import-upload'>>> {
    this.calls.push({ name: 'datasets:import-upload', input });
    if (this.failNextImport) {
      const error = this.failNextImport;
      this.failNextImport = null;
      return { ok: false, error };
    }
    return this.importBytes(input.name, file.name, await file.text(), input.importId);
  }

  openWorkspaceWindow(): Promise<Result<null>> {
    return Promise.resolve({ ok: true, value: null });
  }
}

/** A stand-in for SHA-256: different texts almost always differ, equal texts are equal. */
function djb2(text: string): string {
  let hash = 5381;
  for (let i = 0; i < text.length; i++) hash = ((hash * 33) ^ text.charCodeAt(i)) >>> 0;
  return hash.toString(16);
}
