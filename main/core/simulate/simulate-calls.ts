import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { splitDeploymentName } from '../../../shared/contract/monitoring.ts';
import type { SimulateTrafficInput, SimulationResult } from '../../../shared/contract/simulate.ts';
import { TargetRecords } from '../deploy/target-records.ts';
import type { Handlers } from '../dispatch.ts';
import { failure } from '../errors.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { planDrifts } from './inject-drift.ts';
import { wallClock, type PaceClock } from './pace-clock.ts';
import { servedModel } from './served-model.ts';
import { MAX_IN_FLIGHT, sendTraffic, type TrafficPlan } from './send-traffic.ts';
import { TrafficHttp } from './traffic-http.ts';
import { readTrafficTable } from './traffic-table.ts';

/**
 * simulate:traffic — everything is checked before the job starts (the deployment's target and
 * model, the dataset version's rows, each drift against the model's inputs), so a bad request is
 * refused at once; then the traffic runs as a job, cancellable from any window.
 */
export interface SimulateCallsContext {
  workspaces: OpenWorkspaces;
  jobs: JobRegistry;
  stateDir: string;
  /** Tests pass a stepped clock; default the wall. */
  clock?: PaceClock;
  /** Seconds before an unanswered request counts as "timeout". */
  requestTimeoutMs?: number;
}

type Input = z.output<typeof SimulateTrafficInput>;

export function simulateCalls(context: SimulateCallsContext): Handlers {
  const targets = new TargetRecords(context.stateDir);
  return {
    'simulate:traffic': async (input) => {
      const workspace = await context.workspaces.at(input.workspace);
      const { plan, url, targetName } = await prepare(workspace, targets, input);
      const startedAt = new Date().toISOString();
      const http = new TrafficHttp(url, { maxSockets: MAX_IN_FLIGHT, timeoutMs: context.requestTimeoutMs ?? 10_000 });
      const job = context.jobs.run({
        workspace: workspace.dir,
        kind: 'simulate',
        title: `Simulated traffic to ${input.deployment} from ${plan.table.label}`,
        ref: input.deployment,
        run: (job) => sendTraffic(plan, { http, clock: context.clock ?? wallClock, job, startedAt, wallNow: Date.now, targetName, targetUrl: url }).finally(() => http.close()),
      });
      if (input.wait) return job.done;
      return started(job.id, input, plan, startedAt);
    },
  };
}

async function prepare(workspace: Workspace, targets: TargetRecords, input: Input): Promise<{ plan: TrafficPlan; url: string; targetName: string }> {
  const { target: targetName, model: modelName } = splitDeploymentName(input.deployment);
  const target = await targets.require(targetName);
  const model = await servedModel({ name: target.name, url: target.url, token: null }, modelName);
  const table = await readTrafficTable(workspace, input.dataset, input.version, model);
  if (table.rows === 0) throw failure('INVALID_INPUT', `${table.label} has no rows to send.`, { location: { field: 'dataset' } });
  if (input.labelsAfter !== null && !table.hasTarget) {
    throw failure('INVALID_INPUT', `${table.label} has no column ${model.target}, which model ${model.name} predicts, so there are no true labels to send.`, {
      hint: 'Leave out --labels-after to send requests without labels, or use the dataset the model was trained on.',
      location: { field: 'labelsAfter' },
    });
  }
  const drift = planDrifts(input.drift, table, model.name);
  const plan: TrafficPlan = { deployment: input.deployment, model, table, drift, rate: input.rate, duration: input.duration, labelsAfter: input.labelsAfter, labelNoise: input.labelNoise, seed: input.seed, tag: randomBytes(4).toString('hex') };
  return { plan, url: target.url, targetName: target.name };
}

function started(jobId: string, input: Input, plan: TrafficPlan, startedAt: string): SimulationResult {
  return {
    jobId,
    deployment: input.deployment,
    dataset: plan.table.label,
    labelColumn: plan.labelsAfter !== null ? plan.model.target : null,
    status: 'running',
    rate: input.rate,
    duration: input.duration,
    planned: Math.max(1, Math.floor(input.rate * input.duration)),
    sent: 0,
    ok: 0,
    failed: {},
    labelsSent: 0,
    labelsAccepted: 0,
    labelsRefused: {},
    drift: [],
    startedAt,
    endedAt: null,
  };
}
