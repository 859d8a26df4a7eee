import { retrainAlertKinds, type ApprovableStep, type RetrainRun, type RetrainTrigger, type RetrainLinks } from '../../../shared/contract/retraining.ts';
import { currentUser } from '../deploy/deployment-log.ts';
import { toLatheError } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { readPolicy } from './policy-file.ts';
import { resolvePlan } from './retrain-plan.ts';
import { noLinks, publicRun, RetrainRecords, thisProcess, type RunRecord } from './retrain-records.ts';
import type { RetrainServices } from './retrain-services.ts';
import { advanceRun, approve, checkRollout, initialSteps, recoverInterrupted, reject, type RunHooks } from './run-retrain.ts';

/**
 * Where retrains start and go on, for every workspace this core has open: a trigger asks the
 * policy (and the caps) and starts a run or records why not; a run is driven until it ends, waits
 * for a person or waits for its rollout; an approval drives it on. `tick()` looks at rollouts
 * still under way and at schedules; on the first look at a workspace, runs a dead process left
 * "running" fail as interrupted.
 */
export interface RetrainLoopOptions {
  events: EventHub;
  services: (workspace: Workspace) => RetrainServices;
}

export type StartOutcome = { outcome: 'started'; run: RunRecord; done: Promise<RunRecord> } | { outcome: 'skipped'; reason: string };

export class RetrainLoop {
  readonly #options: RetrainLoopOptions;
  /** Runs this process drives now (their owner is this process). */
  readonly #live = new Map<string, Promise<RunRecord>>();
  readonly #recovered = new Set<string>();

  constructor(options: RetrainLoopOptions) {
    this.#options = options;
  }

  records(workspace: Workspace): RetrainRecords {
    const records = new RetrainRecords(workspace.db);
    if (!this.#recovered.has(workspace.dir)) {
      this.#recovered.add(workspace.dir);
      const services = this.#options.services(workspace);
      recoverInterrupted(records, new Set(this.#live.keys()), { changed: (run) => this.#changed(workspace, run) }, services.now());
    }
    return records;
  }

  async start(workspace: Workspace, model: string, trigger: RetrainTrigger, links: RetrainLinks = noLinks()): Promise<StartOutcome> {
    const services = this.#options.services(workspace);
    const { policy } = await readPolicy(workspace, model);
    const plan = await resolvePlan(policy, services);
    const now = services.now();
    const admitted = this.records(workspace).admit(policy, trigger, links, now, (id) => ({
      id,
      model,
      trigger,
      state: 'running',
      plan,
      steps: initialSteps(policy.deploy !== null),
      links: { ...noLinks(), alertId: links.alertId },
      startedAt: new Date(now).toISOString(),
      endedAt: null,
      why: null,
      policy,
      approved: [],
      owner: thisProcess(),
    }));
    if ('skipped' in admitted) {
      this.#options.events.emit('retrain:changed', { workspace: workspace.dir, model, run: null });
      return { outcome: 'skipped', reason: admitted.skipped };
    }
    this.#changed(workspace, admitted.run);
    return { outcome: 'started', run: admitted.run, done: this.#drive(workspace, admitted.run) };
  }

  approve(workspace: Workspace, runId: string, step: ApprovableStep | undefined): { run: RunRecord; done: Promise<RunRecord> } {
    const hooks = this.#hooks(workspace);
    const run = approve(hooks.records.get(runId), step, currentUser(), hooks);
    return { run, done: this.#drive(workspace, run) };
  }

  reject(workspace: Workspace, runId: string, step: ApprovableStep | undefined, reason: string): RunRecord {
    const hooks = this.#hooks(workspace);
    return reject(hooks.records.get(runId), step, currentUser(), reason, hooks);
  }

  /** Look at every run of the workspace waiting for its rollout; each one settled ends. */
  async checkRollouts(workspace: Workspace, deploymentId?: string): Promise<void> {
    const hooks = this.#hooks(workspace);
    for (const run of hooks.records.underWay()) {
      if (run.state !== 'running' || this.#live.has(run.id) || run.steps.find((s) => s.name === 'rollout')?.status !== 'running') continue;
      if (deploymentId !== undefined && run.links.deploymentId !== deploymentId) continue;
      await checkRollout(run, hooks).catch(() => run); // an agent that does not answer now is asked again next time
    }
  }

  /** An alert raised on a deployment of a model: a trigger when its policy retrains on that kind; else noted, saying why not. */
  async alertRaised(workspace: Workspace, alert: { id: string; deployment: string; ruleKind: string; summary: string }): Promise<void> {
    const model = alert.deployment.slice(alert.deployment.indexOf('/') + 1);
    const trigger: RetrainTrigger = { kind: 'alert', detail: `${alert.id} (${alert.ruleKind} on ${alert.deployment})` };
    const links = { ...noLinks(), alertId: alert.id };
    const read = await readPolicy(workspace, model).catch((error: unknown) => toLatheError(error));
    const { policy, exists } = 'policy' in read ? read : { policy: null, exists: true };
    const kinds: readonly string[] = policy?.triggers.alerts ?? [];
    if (!policy || !exists || !policy.enabled || !kinds.includes(alert.ruleKind)) {
      const why = !policy
        ? `its policy cannot be read: ${'message' in read ? read.message : ''}`
        : !exists
        ? `${model} has no retraining policy (\`lathe retrain set ${model} --on-alert …\` makes one)`
        : !policy.enabled
          ? `the retraining policy of ${model} is off`
          : `its policy retrains on ${kinds.length ? kinds.join(', ') : 'no alerts'}, not ${alert.ruleKind}${retrainAlertKinds.includes(alert.ruleKind as never) ? '' : ' (a kind Lathe does not know)'}`;
      this.records(workspace).note(model, this.#options.services(workspace).now(), 'skipped', `Alert ${trigger.detail}: not retrained, because ${why}.`, links, 'alert');
      this.#options.events.emit('retrain:changed', { workspace: workspace.dir, model, run: null });
      return;
    }
    await this.start(workspace, model, trigger, links);
  }

  /** Wait for every run this process drives to stop driving (ended, waiting, or rolling out). */
  async idle(): Promise<void> {
    while (this.#live.size > 0) await Promise.allSettled([...this.#live.values()]);
  }

  #drive(workspace: Workspace, run: RunRecord): Promise<RunRecord> {
    const driving = advanceRun(run, this.#hooks(workspace)).finally(() => this.#live.delete(run.id));
    this.#live.set(run.id, driving);
    driving.catch(() => undefined); // saved as failed by advanceRun; a disk error saving that is seen by whoever awaits
    return driving;
  }

  #hooks(workspace: Workspace): RunHooks {
    return {
      records: this.records(workspace),
      services: this.#options.services(workspace),
      changed: (run) => this.#changed(workspace, run),
      needsApproval: (run, step, message) => this.#options.events.emit('retrain:needs-approval', { workspace: workspace.dir, model: run.model, runId: run.id, step, message }),
    };
  }

  #changed(workspace: Workspace, run: RunRecord): void {
    const shown: RetrainRun = publicRun(run);
    this.#options.events.emit('retrain:changed', { workspace: workspace.dir, model: run.model, run: shown });
  }
}
