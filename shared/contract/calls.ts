import type { z } from 'zod';
import type { CallSpec, CallTransport, EventSpec } from './define.ts';
import type { callNames } from './call-names.ts';
import * as alerts from './alerts.ts';
import * as bundles from './bundles.ts';
import * as datasets from './datasets.ts';
import * as deployments from './deployments.ts';
import * as gates from './gates.ts';
import * as jobs from './jobs.ts';
import * as monitoring from './monitoring.ts';
import * as pipelines from './pipelines.ts';
import * as registry from './registry.ts';
import * as remote from './remote.ts';
import * as retraining from './retraining.ts';
import * as runs from './runs.ts';
import * as scriptRuns from './script-runs.ts';
import * as simulate from './simulate.ts';
import * as comparison from './run-comparison.ts';
import * as store from './store.ts';
import * as sweeps from './sweeps.ts';
import * as training from './training.ts';
import * as trackingEndpoint from './tracking-endpoint.ts';
import * as workspace from './workspace.ts';

/** Every call, by name. Front doors look calls up here; nothing else lists them. */
export const calls = {
  'app:info': workspace.appInfo,
  'workspace:open': workspace.workspaceOpen,
  'workspace:create': workspace.workspaceCreate,
  'workspace:default': workspace.workspaceDefault,
  'dialog:pick-folder': workspace.dialogPickFolder,
  'window:open-workspace': workspace.windowOpenWorkspace,
  'datasets:list': datasets.datasetsList,
  'datasets:log': datasets.datasetsLog,
  'datasets:show': datasets.datasetsShow,
  'datasets:import-file': datasets.datasetsImportFile,
  'datasets:import-upload': datasets.datasetsImportUpload,
  'datasets:import-sample': datasets.datasetsImportSample,
  'store:verify': store.storeVerify,
  'store:gc': store.storeGc,
  'jobs:list': jobs.jobsList,
  'jobs:cancel': jobs.jobsCancel,
  'experiments:list': runs.experimentsList,
  'experiments:create': runs.experimentsCreate,
  'runs:search': runs.runsSearch,
  'runs:get': runs.runsGet,
  'runs:metric-history': runs.runsMetricHistory,
  'runs:metric-histories': runs.runsMetricHistories,
  'runs:delete': runs.runsDelete,
  'runs:restore': runs.runsRestore,
  'runs:compare': comparison.runsCompare,
  'runs:read-artifact': runs.runsReadArtifact,
  'scripts:start': scriptRuns.scriptsStart,
  'scripts:cancel': scriptRuns.scriptsCancel,
  'scripts:wait': scriptRuns.scriptsWait,
  'scripts:log': scriptRuns.scriptsLog,
  'tracking:endpoint': trackingEndpoint.trackingEndpoint,
  'training:plan': training.trainingPlan,
  'training:start': training.trainingStart,
  'training:wait': training.trainingWait,
  'training:reproduce': training.trainingReproduce,
  'training:compare-reproduction': training.trainingCompareReproduction,
  'app:doctor': training.appDoctor,
  'gates:init': gates.gatesInit,
  'gates:spec': gates.gatesSpec,
  'gates:save': gates.gatesSave,
  'gates:run': gates.gatesRun,
  'gates:results': gates.gatesResults,
  'pipelines:get': pipelines.pipelinesGet,
  'pipelines:save': pipelines.pipelinesSave,
  'pipelines:run': pipelines.pipelinesRun,
  'pipelines:runs': pipelines.pipelinesRuns,
  'pipelines:run-detail': pipelines.pipelinesRunDetail,
  'pipelines:export-github': pipelines.pipelinesExportGithub,
  'models:list': registry.modelsList,
  'models:show': registry.modelsShow,
  'models:get-version': registry.modelsGetVersion,
  'models:register': registry.modelsRegister,
  'models:set-alias': registry.modelsSetAlias,
  'models:remove-alias': registry.modelsRemoveAlias,
  'models:edit': registry.modelsEdit,
  'models:log': registry.modelsLog,
  'models:card': registry.modelsCard,
  'models:promote': registry.modelsPromote,
  'bundles:package': bundles.bundlesPackage,
  'bundles:verify': bundles.bundlesVerify,
  'keys:show': bundles.keysShow,
  'sweeps:create': sweeps.sweepsCreate,
  'sweeps:list': sweeps.sweepsList,
  'sweeps:get': sweeps.sweepsGet,
  'sweeps:cancel': sweeps.sweepsCancel,
  'remote:add': remote.remoteAdd,
  'remote:list': remote.remoteList,
  'remote:remove': remote.remoteRemove,
  'data:push': remote.dataPush,
  'data:pull': remote.dataPull,
  'data:status': remote.dataStatus,
  'targets:add': deployments.targetsAdd,
  'targets:list': deployments.targetsList,
  'targets:remove': deployments.targetsRemove,
  'deploy:start': deployments.deployStart,
  'deploy:status': deployments.deployStatus,
  'deploy:promote': deployments.deployPromote,
  'deploy:abort': deployments.deployAbort,
  'deploy:history': deployments.deployHistory,
  'deploy:rollout': deployments.deployRollout,
  'deploy:export-kserve': deployments.deployExportKserve,
  'monitoring:series': deployments.monitoringSeries,
  'retrain:policy': retraining.retrainPolicy,
  'retrain:save-policy': retraining.retrainSavePolicy,
  'retrain:start': retraining.retrainStart,
  'retrain:approve': retraining.retrainApprove,
  'retrain:reject': retraining.retrainReject,
  'retrain:runs': retraining.retrainRuns,
  'retrain:timeline': retraining.retrainTimeline,
  'monitoring:report': monitoring.monitoringReport,
  'monitoring:history': monitoring.monitoringHistory,
  'monitoring:configure': monitoring.monitoringConfigure,
  'simulate:traffic': simulate.simulateTraffic,
  'alerts:rules': alerts.alertsRules,
  'alerts:save-rules': alerts.alertsSaveRules,
  'alerts:list': alerts.alertsList,
  'alerts:ack': alerts.alertsAck,
  'alerts:webhook-set': alerts.alertsWebhookSet,
  'alerts:webhook-get': alerts.alertsWebhookGet,
  'alerts:webhook-test': alerts.alertsWebhookTest,
  'alerts:webhook-remove': alerts.alertsWebhookRemove,
} as const satisfies Record<string, CallSpec>;

export const events = {
  'datasets:import-progress': datasets.importProgress,
  'datasets:changed': datasets.datasetsChanged,
  'jobs:changed': jobs.jobsChanged,
  'runs:changed': runs.runsChanged,
  'runs:metrics': runs.runsMetrics,
  'scripts:output': scriptRuns.scriptsOutput,
  'pipelines:progress': pipelines.pipelinesProgress,
  'models:changed': registry.modelsChanged,
  'sweeps:progress': sweeps.sweepsProgress,
  'data:transfer-progress': remote.transferProgress,
  'deployments:changed': deployments.deploymentsChanged,
  'deployments:progress': deployments.deploymentsProgress,
  'retrain:changed': retraining.retrainChanged,
  'retrain:needs-approval': retraining.retrainNeedsApproval,
  'monitoring:windows': monitoring.monitoringWindows,
  'alerts:raised': alerts.alertsRaised,
  'alerts:changed': alerts.alertsChanged,
} as const satisfies Record<string, EventSpec>;

export type CallName = keyof typeof calls;

// call-names.ts must list exactly the calls above; this line stops compiling otherwise.
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const callNamesMatchTheRegistry: SameNames<CallName, (typeof callNames)[number]> = true;
export type EventName = keyof typeof events;
export type InputOf<N extends CallName> = z.input<(typeof calls)[N]['input']>;
export type ParsedInputOf<N extends CallName> = z.output<(typeof calls)[N]['input']>;
export type OutputOf<N extends CallName> = z.output<(typeof calls)[N]['output']>;
export type PayloadOf<E extends EventName> = z.output<(typeof events)[E]['payload']>;
export type LatheEvent = { [E in EventName]: { name: E; payload: PayloadOf<E> } }[EventName];

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(calls, name);
}

/** How a call's input travels (see CallTransport). */
export function transportOf(name: CallName): CallTransport {
  return calls[name].transport;
}
