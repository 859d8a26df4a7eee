import type { CallName, EventName, InputOf, OutputOf, PayloadOf } from '../../../shared/contract/calls.ts';
import type { DatasetDetail, DatasetSummary, DatasetVersion } from '../../../shared/contract/datasets.ts';
import type { LatheError, Result } from '../../../shared/contract/result.ts';
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
        return { ok: false, error: { code: 'UNAVAILABLE', message: `${name} is not faked` } };
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
