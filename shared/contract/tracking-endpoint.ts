import { z } from 'zod';
import { defineCall } from './define.ts';

/**
 * Where a user's own MLflow client (Python's `mlflow`, a notebook, another tool) logs to Lathe:
 * the tracking URI and token to export. Supplied by the front door: `lathe serve` answers with its
 * own origin and session token; the desktop app with a loopback endpoint it keeps for its life
 * that serves MLflow's REST API only. The CLI has no server to point at and does not answer it.
 */
export const TrackingEndpoint = z.object({
  /** MLFLOW_TRACKING_URI, e.g. `http://127.0.0.1:7272`. */
  uri: z.string().url(),
  /** MLFLOW_TRACKING_TOKEN: MLflow's client sends it as `Authorization: Bearer …`. */
  token: z.string().min(1),
  /**
   * What else the token opens: `tracking` — MLflow's API only (the desktop app's endpoint);
   * `session` — it is `lathe serve`'s session token, which also opens every call (keep it private).
   */
  tokenScope: z.enum(['tracking', 'session']),
  /** The workspace runs logged there land in (null: the one Lathe opens first, not known yet). */
  workspace: z.string().nullable(),
  /** One sentence for the user: where those runs appear. */
  experimentHint: z.string(),
});
export type TrackingEndpoint = z.infer<typeof TrackingEndpoint>;

export const trackingEndpoint = defineCall(
  'tracking:endpoint',
  'The MLflow tracking URI and token an outside MLflow client logs to',
  z.object({}),
  TrackingEndpoint,
);

/** The `experimentHint` both front doors give: which workspace's Experiments page shows the runs. */
export function trackingHint(workspace: string | null): string {
  return workspace === null
    ? 'Runs logged there appear on the Experiments page of the workspace Lathe opens first; mlflow.set_experiment makes the experiment if it is new.'
    : `Runs logged there appear on the Experiments page of ${workspace}; mlflow.set_experiment makes the experiment if it is new.`;
}
