import type { DatabaseSync } from 'node:sqlite';

/** A run left RUNNING whose writer is gone, now FAILED. */
export interface RecoveredRun {
  id: string;
  pid: number;
  endTime: number;
}

/**
 * Runs left RUNNING by a process that no longer exists become FAILED. Each run a process of
 * Lathe drives records that process (pid and host name); a run on this host whose process is
 * gone ended without saying so (killed, crashed, the machine slept and the app was quit). Its
 * end time is its last sign of life: the latest metric timestamp, or its start.
 *
 * Runs an outside client drives (MLflow over REST: no owner recorded) and runs owned by another
 * host are left alone: nothing here can tell whether those are still alive. A pid reused by an
 * unrelated process keeps a run RUNNING until that process ends too.
 *
 * Each run is updated only if it is still RUNNING under the same owner, so a run another
 * process resumed in between is not touched.
 */
export function recoverAbandonedRuns(sql: DatabaseSync, host: string, isAlive: (pid: number) => boolean): RecoveredRun[] {
  const running = sql.prepare("SELECT seq, id, owner_pid FROM runs WHERE status = 'RUNNING' AND owner_pid IS NOT NULL AND owner_host = ?").all(host) as {
    seq: number;
    id: string;
    owner_pid: number;
  }[];
  const recovered: RecoveredRun[] = [];
  const fail = sql.prepare(
    `UPDATE runs SET status = 'FAILED', owner_pid = NULL, owner_host = NULL,
       end_time = max(start_time, coalesce((SELECT max(timestamp) FROM metric_series WHERE run = runs.seq), start_time))
     WHERE seq = ? AND status = 'RUNNING' AND owner_pid = ? AND owner_host = ? RETURNING end_time`,
  );
  const note = sql.prepare("INSERT INTO tags (run, key, value) VALUES (?, 'lathe.failure', ?) ON CONFLICT (run, key) DO UPDATE SET value = excluded.value");
  for (const run of running) {
    if (isAlive(run.owner_pid)) continue;
    sql.exec('BEGIN IMMEDIATE');
    try {
      const updated = fail.get(run.seq, run.owner_pid, host) as { end_time: number } | undefined;
      if (updated) {
        note.run(run.seq, `Process ${run.owner_pid} on ${host} ended while this run was RUNNING; Lathe marked it FAILED when it next opened the workspace.`);
        recovered.push({ id: run.id, pid: run.owner_pid, endTime: updated.end_time });
      }
      sql.exec('COMMIT');
    } catch (error) {
      if (sql.isTransaction) sql.exec('ROLLBACK');
      throw error;
    }
  }
  return recovered;
}
