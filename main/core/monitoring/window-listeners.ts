import type { DeploymentName, MonitoringReport } from '../../../shared/contract/monitoring.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * Who is told when new windows of a deployment are kept: alert rules (main/core/alerts) and
 * retraining triggers (main/core/retraining) register here, in main/core/lathe-core.ts, with
 * `monitoring.onWindows(listener)`. A listener gets the deployment's report as the workspace now
 * keeps it (its last 50 windows, newest last). Listeners run one after another; one that throws
 * or rejects is reported through `warn` and never stops the others, nor the sampler.
 */
export type WindowListener = (workspace: Workspace, deployment: DeploymentName, report: MonitoringReport) => Promise<void> | void;

export class WindowListeners {
  readonly #listeners = new Set<WindowListener>();
  readonly #warn: (text: string) => void;

  constructor(warn: (text: string) => void) {
    this.#warn = warn;
  }

  /** Register; the returned function unregisters. */
  add(listener: WindowListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async tell(workspace: Workspace, deployment: DeploymentName, report: MonitoringReport): Promise<void> {
    for (const listener of this.#listeners) {
      try {
        await listener(workspace, deployment, report);
      } catch (error) {
        this.#warn(`A listener to the windows of ${deployment} failed (the others ran, and sampling goes on): ${(error as Error)?.message ?? String(error)}`);
      }
    }
  }
}
