import { deploymentName, type MonitoringReport } from '../../../shared/contract/monitoring.ts';
import type { WorkspaceDb } from '../storage/workspace-db.ts';
import { keptState, keptWindows, type DeploymentKey } from './window-store.ts';

/**
 * A deployment's report as the workspace keeps it: what the agent said last, with its kept
 * windows (the newest `limit` up to `upTo`, oldest first). Null when nothing was ever kept.
 */
export function keptReport(db: WorkspaceDb, key: DeploymentKey, options: { stale: boolean; problem: string | null; limit: number; upTo?: number | undefined }): MonitoringReport | null {
  const kept = keptState(db, key);
  if (!kept) return null;
  const { version, ...state } = kept.state;
  return {
    ...state,
    deployment: deploymentName(key.target, key.model),
    target: key.target,
    model: key.model,
    version,
    stale: options.stale,
    problem: options.problem,
    fetchedAt: kept.fetchedAt,
    windows: keptWindows(db, { ...key, limit: options.limit, upTo: options.upTo }),
  };
}
