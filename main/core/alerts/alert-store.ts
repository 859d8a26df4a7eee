import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { AlertDelivery, AlertDetail, type Alert, type AlertRuleKind, type AlertSeverity, type AlertState } from '../../../shared/contract/alerts.ts';
import { failure } from '../errors.ts';
import type { WorkspaceDb } from '../storage/workspace-db.ts';
import type { RuleEvaluation } from './evaluate-rules.ts';

/**
 * Alerts in the workspace database (`alerts`, migration 5). An alert is raised open, may be
 * acknowledged, and is resolved when its condition clears; rows are never deleted. At most one
 * alert per (deployment, rule, subject) is open — the partial unique index holds that across
 * processes (the desktop app and `lathe serve` may both watch a workspace), so a raise that
 * loses the race is dropped, not doubled.
 */
interface Row {
  id: string;
  deployment: string;
  rule: string;
  rule_kind: string;
  severity: string;
  subject: string;
  state: string;
  raised_at: number;
  resolved_at: number | null;
  resolution: string | null;
  acked_at: number | null;
  acked_by: string | null;
  summary: string;
  detail: string;
  delivery: string | null;
}

export interface AlertChanges {
  raised: Alert[];
  /** Alerts resolved or updated. */
  changed: Alert[];
}

export class AlertStore {
  readonly #db: WorkspaceDb;
  readonly #now: () => Date;

  constructor(db: WorkspaceDb, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  /** The newest alert of a deployment per (rule, subject), open or resolved: what the rules are judged against. */
  latestPerSubject(deployment: string): Alert[] {
    const rows = this.#db.use((db) =>
      db
        .prepare(
          `SELECT * FROM alerts a WHERE deployment = ? AND raised_at = (
             SELECT MAX(raised_at) FROM alerts b WHERE b.deployment = a.deployment AND b.rule = a.rule AND b.subject = a.subject)
           ORDER BY raised_at DESC, rowid DESC`,
        )
        .all(deployment),
    ) as unknown as Row[];
    const seen = new Set<string>();
    return rows.map((row) => this.#alert(row)).filter((alert) => {
      const key = `${alert.ruleId}\u0000${alert.subject}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** Apply an evaluation in one transaction: raise, resolve, update. Returns what changed. */
  apply(evaluation: RuleEvaluation, delivery: AlertDelivery): AlertChanges {
    const at = this.#now().getTime();
    const raisedIds: string[] = [];
    const changedIds: string[] = [];
    this.#db.use((db) =>
      transaction(db, () => {
        const insert = db.prepare(
          `INSERT INTO alerts (id, deployment, rule, rule_kind, severity, subject, state, raised_at, summary, detail, delivery)
           VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        );
        for (const raise of evaluation.raise) {
          const id = newAlertId();
          const { changes } = insert.run(id, raise.deployment, raise.ruleId, raise.ruleKind, raise.severity, raise.subject, at, raise.summary, JSON.stringify(raise.detail), JSON.stringify(delivery));
          if (changes === 1) raisedIds.push(id);
        }
        const resolve = db.prepare("UPDATE alerts SET state = 'resolved', resolved_at = ?, resolution = ? WHERE id = ? AND state = 'open'");
        for (const { id, why } of evaluation.resolve) if (resolve.run(at, why, id).changes === 1) changedIds.push(id);
        const update = db.prepare("UPDATE alerts SET summary = ?, detail = ? WHERE id = ? AND state = 'open'");
        for (const { id, summary, detail } of evaluation.update) if (update.run(summary, JSON.stringify(detail), id).changes === 1) changedIds.push(id);
      }),
    );
    return { raised: raisedIds.map((id) => this.require(id)), changed: changedIds.map((id) => this.require(id)) };
  }

  /** Newest first. */
  list(filter: { deployment?: string | undefined; state: AlertState | 'all'; limit: number }): Alert[] {
    const rows = this.#db.use((db) =>
      db
        .prepare('SELECT * FROM alerts WHERE (?1 IS NULL OR deployment = ?1) AND (?2 = \'all\' OR state = ?2) ORDER BY raised_at DESC, rowid DESC LIMIT ?3')
        .all(filter.deployment ?? null, filter.state, filter.limit),
    ) as unknown as Row[];
    return rows.map((row) => this.#alert(row));
  }

  get(id: string): Alert | null {
    const row = this.#db.use((db) => db.prepare('SELECT * FROM alerts WHERE id = ?').get(id)) as Row | undefined;
    return row ? this.#alert(row) : null;
  }

  require(id: string): Alert {
    const alert = this.get(id);
    if (alert) return alert;
    const recent = this.list({ state: 'open', limit: 3 }).map((open) => open.id);
    throw failure('NOT_FOUND', `There is no alert ${JSON.stringify(id)} in this workspace.`, {
      hint: recent.length ? `Open alerts: ${recent.join(', ')}${recent.length === 3 ? ' …' : ''} (\`lathe alerts list\` shows them all).` : 'It has no open alerts; `lathe alerts list --all` shows the resolved ones.',
      location: { field: 'id' },
    });
  }

  /** Acknowledge an alert; acknowledging it again keeps the first who and when. */
  ack(id: string, by: string): Alert {
    const alert = this.require(id);
    if (alert.ackedAt !== null) return alert;
    this.#db.use((db) => db.prepare('UPDATE alerts SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL').run(this.#now().getTime(), by, id));
    return this.require(id);
  }

  setDelivery(id: string, delivery: AlertDelivery): Alert {
    this.#db.use((db) => db.prepare('UPDATE alerts SET delivery = ? WHERE id = ?').run(JSON.stringify(delivery), id));
    return this.require(id);
  }

  #alert(row: Row): Alert {
    const where = (column: string) => `alert ${row.id} in ${this.#db.file} (its ${column})`;
    return {
      id: row.id,
      deployment: row.deployment,
      ruleId: row.rule,
      ruleKind: row.rule_kind as AlertRuleKind,
      severity: row.severity as AlertSeverity,
      subject: row.subject,
      state: row.state as AlertState,
      raisedAt: new Date(row.raised_at).toISOString(),
      resolvedAt: row.resolved_at === null ? null : new Date(row.resolved_at).toISOString(),
      resolution: row.resolution,
      ackedAt: row.acked_at === null ? null : new Date(row.acked_at).toISOString(),
      ackedBy: row.acked_by,
      summary: row.summary,
      detail: parseJson(AlertDetail, row.detail, where('detail')),
      delivery: row.delivery === null ? { state: 'not-configured' } : parseJson(AlertDelivery, row.delivery, where('delivery')),
    };
  }
}

/** al-<time><random>: sortable by when it was raised, unguessable enough to not collide. */
function newAlertId(): string {
  return `al-${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

function transaction(db: DatabaseSync, work: () => void): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    work();
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

function parseJson<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } }, text: string, where: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw failure('DATA_DAMAGED', `The workspace database holds a damaged ${where}: it is not valid JSON.`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw failure('DATA_DAMAGED', `The workspace database holds a damaged ${where}: ${issue ? `${issue.path.map(String).join('.') || 'the value'}: ${issue.message}` : 'it does not match what Lathe writes'}.`);
  }
  return parsed.data;
}
