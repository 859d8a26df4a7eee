import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkspaceDb } from '../storage/workspace-db.ts';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { AlertStore } from './alert-store.ts';
import type { RuleEvaluation } from './evaluate-rules.ts';

const tempDir = useTempDirs();

const raise: RuleEvaluation = {
  raise: [{ deployment: 'edge-1/churn', ruleId: 'drift', ruleKind: 'feature-drift', severity: 'warning', subject: 'tenure', summary: 'tenure drifted in window 4 (PSI 0.3 ≥ 0.1)', detail: { windows: [4], measurements: [], dropped: null } }],
  resolve: [],
  update: [],
};

describe('the alerts table', () => {
  it('keeps one open alert per rule, deployment and subject, even when two processes raise it at once', async () => {
    const file = join(await tempDir(), 'lathe.db');
    const [first, second] = [WorkspaceDb.open(file), WorkspaceDb.open(file)];
    try {
      // Both judged the same windows before either wrote: both would raise.
      expect(new AlertStore(first).apply(raise, { state: 'pending' }).raised).toHaveLength(1);
      expect(new AlertStore(second).apply(raise, { state: 'pending' }).raised).toEqual([]);
      const [alert] = new AlertStore(first).list({ state: 'all', limit: 10 });
      // Once resolved, the same condition can raise a new one.
      new AlertStore(second).apply({ raise: [], resolve: [{ id: alert!.id, why: 'no longer met in window 5' }], update: [] }, { state: 'pending' });
      expect(new AlertStore(first).apply(raise, { state: 'not-configured' }).raised).toHaveLength(1);
      expect(new AlertStore(first).list({ state: 'all', limit: 10 }).map((a) => a.state).sort()).toEqual(['open', 'resolved']);
      expect(new AlertStore(first).latestPerSubject('edge-1/churn')).toEqual([expect.objectContaining({ state: 'open' })]);
    } finally {
      first.close();
      second.close();
    }
  });

  it('refuses a damaged row as DATA_DAMAGED, naming the alert', async () => {
    const db = WorkspaceDb.open(join(await tempDir(), 'lathe.db'));
    try {
      const store = new AlertStore(db);
      const [alert] = store.apply(raise, { state: 'pending' }).raised;
      db.use((sql) => sql.prepare("UPDATE alerts SET detail = '{not json' WHERE id = ?").run(alert!.id));
      expect(await refusal(Promise.resolve().then(() => store.require(alert!.id)))).toMatchObject({ code: 'DATA_DAMAGED', message: expect.stringContaining(`alert ${alert!.id}`) });
    } finally {
      db.close();
    }
  });
});
