import { alertCalls } from './alerts/alert-calls.ts';
import { bundleCalls } from './bundles/bundle-calls.ts';
import { datasetCalls } from './datasets/dataset-calls.ts';
import { countDatasets } from './datasets/dataset-history.ts';
import { datasetBlobReferences } from './datasets/dataset-references.ts';
import { deployCalls } from './deploy/deploy-calls.ts';
import type { SecretStore } from './deploy/secret-store.ts';
import { dispatch, mergeCallTables, type Handlers } from './dispatch.ts';
import { EventHub } from './events.ts';
import { bundleServingTarget, gateCalls, gatesForRegistry } from './gates/gate-calls.ts';
import { jobCalls } from './jobs/job-calls.ts';
import { monitoringCalls } from './monitoring/monitoring-calls.ts';
import { JobRegistry } from './jobs/job-registry.ts';
import { pipelineCalls } from './pipelines/pipeline-calls.ts';
import { sourceResourcesDir } from './paths.ts';
import { registryCalls } from './registry/registry-calls.ts';
import { remoteCalls } from './remote/remote-calls.ts';
import { retrainCalls } from './retraining/retrain-calls.ts';
import { modelBlobReferences } from './registry/registry-references.ts';
import { simulateCalls } from './simulate/simulate-calls.ts';
import { storeCalls } from './storage/store-calls.ts';
import { sweepCalls } from './sweeps/sweep-calls.ts';
import { runArtifactReferences } from './tracking/run-references.ts';
import { scriptRunCalls } from './script-runs/script-run-calls.ts';
import type { MlflowHandler } from './script-runs/tracking-endpoint.ts';
import { trainingCalls } from './training/training-calls.ts';
import { comparisonCalls } from './tracking/comparison-calls.ts';
import { trackingCalls } from './tracking/tracking-calls.ts';
import { LastWorkspace } from './workspace/last-workspace.ts';
import { OpenWorkspaces } from './workspace/open-workspaces.ts';
import type { Workspace } from './workspace/workspace.ts';
import { workspaceCalls } from './workspace/workspace-calls.ts';

export type FrontDoorName = 'electron' | 'browser' | 'cli';

export interface LatheCoreOptions {
  frontDoor: FrontDoorName;
  /** Lathe's version, for app:info. */
  version: string;
  /** Where Lathe remembers the last workspace opened (per user, not per workspace). */
  stateDir: string;
  /** The workspace to create and open when none has been opened yet. */
  defaultWorkspace: string;
  /** Lathe's `resources/` folder (sample data); defaults to the source tree's. */
  resourcesDir?: string;
  /** The table-scan worker's entry file; the desktop bundle passes its own. */
  scanWorker?: URL;
  /** The training worker's entry file; the desktop app and the CLI's bundle pass their own. */
  trainingWorker?: URL;
  /** The serving runtime's worker entry file (serving/serving-runtime.ts); the desktop app and the CLI's bundle pass their own. */
  servingWorker?: URL;
  /** Where deploy targets' tokens are kept: the desktop app passes the OS keychain's (safeStorage); default a 0600 file per token. */
  secrets?: SecretStore;
  /** How often the targets' metrics are scraped while this core runs (default 15 s; never for the CLI). */
  metricsIntervalMs?: number;
  /** MLflow's REST handler (main/server/mlflow), served to each script run on a loopback port of its own. */
  mlflowHandler?: MlflowHandler;
}

export interface LatheCore {
  /** The calls this core answers; front doors add their own (dialogs, windows) beside them. */
  readonly handlers: Handlers;
  readonly events: EventHub;
  /** An open workspace, for a front door that serves more than calls (MLflow's REST API in `lathe serve`). */
  openWorkspace(path: string): Promise<Workspace>;
  close(): Promise<void>;
}

/** The one composition root: every front door builds its core here; capabilities bring their calls. */
export function createLatheCore(options: LatheCoreOptions): LatheCore {
  const events = new EventHub();
  const workspaces = new OpenWorkspaces();
  const jobs = new JobRegistry(events);
  const resourcesDir = options.resourcesDir ?? sourceResourcesDir();
  const describe = async (workspace: Workspace) => workspace.info(await countDatasets(workspace));
  const scripts = scriptRunCalls({ workspaces, events, mlflowHandler: options.mlflowHandler });
  const training = trainingCalls({ workspaces, events, jobs, trainingWorker: options.trainingWorker });
  // Gates load each version's signed bundle in the serving runtime; promotion runs them first.
  const serving = bundleServingTarget({ stateDir: options.stateDir, latheVersion: options.version, workerUrl: options.servingWorker });
  // A pipeline's steps make the core's own calls, through the same dispatch as every front door.
  const pipelines = pipelineCalls({ workspaces, events, jobs, dispatch: (name, input) => dispatch(handlers, name, input), allowOutsideFiles: options.frontDoor !== 'browser' });
  const sweeps = sweepCalls({ workspaces, events, dispatch: (name, input) => dispatch(handlers, name, input) });
  const retraining = retrainCalls({ workspaces, events, dispatch: (name, input) => dispatch(handlers, name, input), watching: options.frontDoor === 'cli' ? null : { intervalMs: options.metricsIntervalMs ?? 15_000 } });

  const deploy = deployCalls({ workspaces, events, stateDir: options.stateDir, latheVersion: options.version, secrets: options.secrets, sampling: options.frontDoor === 'cli' ? null : { intervalMs: options.metricsIntervalMs ?? 15_000 } });
  // Alert rules and retraining triggers register with monitoring.onWindows(listener): told of every new window kept.
  const monitoring = monitoringCalls({ events, deploy });
  const alerts = alertCalls({ workspaces, events, stateDir: options.stateDir, secrets: options.secrets, monitoring, dispatch: (name, input) => dispatch(handlers, name, input) });

  const handlers = mergeCallTables(
    {
      'app:info': async () => ({
        version: options.version,
        frontDoor: options.frontDoor,
        platform: process.platform,
        nativeDialogs: options.frontDoor === 'electron',
      }),
    },
    workspaceCalls({
      workspaces,
      lastWorkspace: options.frontDoor === 'cli' ? null : new LastWorkspace(options.stateDir),
      defaultWorkspace: options.defaultWorkspace,
      describe,
    }),
    datasetCalls({ workspaces, events, jobs, resourcesDir, scanWorker: options.scanWorker }),
    storeCalls(workspaces, [datasetBlobReferences, runArtifactReferences, modelBlobReferences]),
    trackingCalls({ workspaces, events }),
    comparisonCalls({ workspaces, events }),
    jobCalls(jobs),
    training.handlers,
    scripts.handlers,
    registryCalls({ workspaces, events, ...gatesForRegistry(serving) }),
    bundleCalls({ workspaces, stateDir: options.stateDir, latheVersion: options.version }),
    gateCalls({ workspaces, jobs, serving }),
    pipelines.handlers,
    deploy.handlers,
    monitoring.handlers,
    alerts.handlers,
    sweeps.handlers,
    retraining.handlers,
    remoteCalls({ workspaces, events, allowUrls: options.frontDoor !== 'browser' }),
    simulateCalls({ workspaces, jobs, stateDir: options.stateDir }),
  );

  return {
    handlers,
    events,
    openWorkspace: (path) => workspaces.at(path),
    async close() {
      await alerts.close();
      await pipelines.close();
      await deploy.close();
      await sweeps.close();
      await training.close();
      await scripts.close();
      // After training and pipelines are cancelled: a retrain driving one ends (failed, saying so) instead of holding the close.
      await retraining.close();
      await workspaces.closeAll();
    },
  };
}
