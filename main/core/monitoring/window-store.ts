import { z } from 'zod';
import { ConceptDrift, MonitoringSettings, RecorderStats, ReferenceInfo, WindowSummary } from '../../../shared/contract/monitoring.ts';
import { failure } from '../errors.ts';
import type { WorkspaceDb } from '../storage/workspace-db.ts';

/**
 * The window summaries fetched from agents, kept in the workspace database (`monitoring_windows`,
 * migration 4): one row per deployment (target, model) and window index. A window is written
 * again while it is open and for a while after (late labels raise its accuracy), so a summary
 * is replaced whenever the agent says something new about it; closed windows older than the
 * retention are deleted as new ones arrive, as monitoring-store.ts does with the metrics.
 *
 * Beside them (`monitoring_states`) the rest of what the agent said last — settings, reference,
 * recorder health, concept drift and the version serving — so a report can be shown, marked
 * stale, when the agent cannot be reached.
 */
export const KeptState = z.object({
  version: z.string().nullable(),
  settings: MonitoringSettings,
  reference: ReferenceInfo.nullable(),
  referenceProblem: z.string().nullable(),
  recorder: RecorderStats,
  concept: ConceptDrift,
});
export type KeptState = z.infer<typeof KeptState>;

export interface DeploymentKey {
  target: string;
  model: string;
}

/**
 * Keep `windows` and the state beside them in one transaction; returns the indexes whose summary
 * is new or changed (nothing is rewritten when the agent said the same again).
 */
export function keepWindows(db: WorkspaceDb, key: DeploymentKey, state: KeptState, windows: readonly WindowSummary[], at: Date, retentionDays: number): number[] {
  return db.use((sql) => {
    sql.exec('BEGIN IMMEDIATE');
    try {
      const known = sql.prepare('SELECT summary FROM monitoring_windows WHERE target = ? AND model = ? AND window_index = ?');
      const upsert = sql.prepare('INSERT OR REPLACE INTO monitoring_windows (target, model, window_index, started_at, ended_at, summary) VALUES (?, ?, ?, ?, ?, ?)');
      const changed: number[] = [];
      for (const window of windows) {
        const text = JSON.stringify(window);
        const before = known.get(key.target, key.model, window.index) as { summary: string } | undefined;
        if (before?.summary === text) continue;
        upsert.run(key.target, key.model, window.index, Date.parse(window.startedAt), window.endedAt === null ? null : Date.parse(window.endedAt), text);
        changed.push(window.index);
      }
      sql.prepare('INSERT OR REPLACE INTO monitoring_states (target, model, fetched_at, state) VALUES (?, ?, ?, ?)').run(key.target, key.model, at.getTime(), JSON.stringify(state));
      sql.prepare('DELETE FROM monitoring_windows WHERE ended_at IS NOT NULL AND ended_at < ?').run(at.getTime() - retentionDays * 86_400_000);
      sql.exec('COMMIT');
      return changed;
    } catch (error) {
      sql.exec('ROLLBACK');
      throw error;
    }
  });
}

/** What the agent said last of a deployment besides its windows, and when; null when nothing was ever kept. */
export function keptState(db: WorkspaceDb, key: DeploymentKey): { state: KeptState; fetchedAt: string } | null {
  const row = db.use((sql) => sql.prepare('SELECT fetched_at, state FROM monitoring_states WHERE target = ? AND model = ?').get(key.target, key.model)) as { fetched_at: number; state: string } | undefined;
  if (!row) return null;
  return { state: parseKept(KeptState, row.state, `the kept monitoring state of ${key.target}/${key.model}`, db.file), fetchedAt: new Date(row.fetched_at).toISOString() };
}

export interface WindowFilter extends DeploymentKey {
  /** Windows that started at or after / before this time (ISO). */
  from?: string | undefined;
  to?: string | undefined;
  /** Windows with an index at or below this. */
  upTo?: number | undefined;
  /** The newest this many. */
  limit: number;
}

/** Kept windows, oldest first (the newest `limit` of those the filter lets through). */
export function keptWindows(db: WorkspaceDb, filter: WindowFilter): WindowSummary[] {
  const from = filter.from ? Date.parse(filter.from) : Number.MIN_SAFE_INTEGER;
  const to = filter.to ? Date.parse(filter.to) : Number.MAX_SAFE_INTEGER;
  const rows = db.use((sql) =>
    sql
      .prepare('SELECT window_index, summary FROM monitoring_windows WHERE target = ? AND model = ? AND started_at >= ? AND started_at <= ? AND window_index <= ? ORDER BY window_index DESC LIMIT ?')
      .all(filter.target, filter.model, from, to, filter.upTo ?? Number.MAX_SAFE_INTEGER, filter.limit),
  ) as { window_index: number; summary: string }[];
  return rows.reverse().map((row) => parseKept(WindowSummary, row.summary, `window ${row.window_index} of ${filter.target}/${filter.model}`, db.file));
}

/** The indexes kept for a deployment, lowest and highest; null when none. */
export function keptRange(db: WorkspaceDb, key: DeploymentKey): { first: number; last: number; count: number } | null {
  const row = db.use((sql) => sql.prepare('SELECT MIN(window_index) AS first, MAX(window_index) AS last, COUNT(*) AS count FROM monitoring_windows WHERE target = ? AND model = ?').get(key.target, key.model)) as { first: number | null; last: number | null; count: number };
  return row.first === null || row.last === null ? null : { first: row.first, last: row.last, count: row.count };
}

/** The highest index of a closed window kept; null when none has closed yet. */
export function latestClosedIndex(db: WorkspaceDb, key: DeploymentKey): number | null {
  const row = db.use((sql) => sql.prepare('SELECT MAX(window_index) AS last FROM monitoring_windows WHERE target = ? AND model = ? AND ended_at IS NOT NULL').get(key.target, key.model)) as { last: number | null };
  return row.last;
}

function parseKept<S extends z.ZodType>(schema: S, text: string, what: string, file: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw failure('DATA_DAMAGED', `The workspace database ${file} holds ${what} in a shape this Lathe cannot read.`, {
    hint: 'The next fetch from the agent writes it again; if it stays, move the database aside (Lathe makes a new one).',
    location: { file },
  });
}
