import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkspaceDb } from '../storage/workspace-db.ts';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { DeploymentLog, type NewDeployment } from './deployment-log.ts';

const tempDir = useTempDirs();

const fresh = (version: number, target = 'edge-1'): NewDeployment => ({
  model: 'penguins',
  version,
  ref: `penguins@${version}`,
  target,
  targetUrl: 'http://10.0.0.5:8080',
  strategy: 'replace',
  steps: null,
  intervalMs: null,
  thresholds: null,
  gate: { outcome: 'pass', reportId: 'r1', summary: 'passed.' },
  overrideReason: null,
  previousVersion: null,
});

async function log(): Promise<{ log: DeploymentLog; db: WorkspaceDb }> {
  const db = WorkspaceDb.open(join(await tempDir(), 'lathe.db'));
  return { log: new DeploymentLog(db), db };
}

describe('the deployment log', () => {
  it('allows one deployment of a model to a target under way, in every process: the database refuses a second', async () => {
    const { log: first, db } = await log();
    const otherDb = WorkspaceDb.open(db.file); // another process's view of the same file
    const other = new DeploymentLog(otherDb);
    const running = first.begin(fresh(1));
    const error = await refusal(Promise.resolve().then(() => other.begin(fresh(2))));
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect(error.message).toContain(`deployment ${running.id}`);
    expect(other.begin(fresh(2, 'edge-2')).state).toBe('deploying'); // another target is another matter
    first.update(running.id, { state: 'succeeded', outcome: 'done' });
    expect(other.begin(fresh(2)).state).toBe('deploying');
    otherDb.close();
    db.close();
  });

  it('marks a deployment left under way by a process that died as failed, so it blocks nothing', async () => {
    const { log: deployments, db } = await log();
    const stuck = deployments.begin(fresh(1));
    db.use((sql) => sql.prepare('UPDATE deployments SET owner_pid = ?, owner_host = ? WHERE id = ?').run(999_999_999, hostname(), stuck.id));
    expect(deployments.recoverAbandoned((pid) => pid !== 999_999_999)).toEqual([stuck.id]);
    const recovered = deployments.withEvents(stuck.id);
    expect(recovered).toMatchObject({ state: 'failed' });
    expect(recovered.outcome).toMatch(/^Process 999999999 on .* ended while this deployment was under way/);
    expect(recovered.events.at(-1)!.kind).toBe('failed');
    expect(deployments.begin(fresh(2)).state).toBe('deploying');
    // A process that lives (this one) is left alone.
    expect(deployments.recoverAbandoned(() => true)).toEqual([]);
  });

  it('lists newest first with each deployment\'s events in order, filtered by target and model', async () => {
    const { log: deployments } = await log();
    const a = deployments.begin(fresh(1));
    deployments.event(a.id, 'uploaded', 'sent');
    deployments.update(a.id, { state: 'succeeded', outcome: 'ok' });
    const b = deployments.begin(fresh(2, 'edge-2'));
    const all = deployments.history({ limit: 10 });
    expect(all.map((d) => d.id)).toEqual([b.id, a.id]);
    expect(all[1]!.events.map((e) => e.kind)).toEqual(['started', 'uploaded']);
    expect(all[1]!.endedAt).not.toBeNull();
    expect(deployments.history({ target: 'edge-1', limit: 10 }).map((d) => d.id)).toEqual([a.id]);
    expect(deployments.history({ model: 'other', limit: 10 })).toEqual([]);
    expect((await refusal(Promise.resolve().then(() => deployments.require('dep-nope')))).code).toBe('NOT_FOUND');
  });
});
