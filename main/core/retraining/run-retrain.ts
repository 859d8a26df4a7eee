import { ApprovableStep, type RetrainStep, type RetrainStepName, type TimelineKind } from '../../../shared/contract/retraining.ts';
import { failure, toLatheError } from '../errors.ts';
import { isProcessAlive } from '../storage/blob-store.ts';
import { thisProcess, type RetrainRecords, type RunRecord } from './retrain-records.ts';
import type { RetrainServices } from './retrain-services.ts';
import { StepStopped, stepWork } from './retrain-steps.ts';

/**
 * A retrain run, step by step (train → register → gates → deploy → rollout), every change saved
 * with its timeline entry before the next thing happens. A step the policy asks about waits
 * (state waiting-approval, in the database, so the wait survives a restart) until a person
 * approves or rejects it. A failed gate stops the run before anything is deployed; any other
 * failure fails it, saying which step and why. After deploy the run stays "running" with its
 * rollout step until the deployment settles (promoted: succeeded; rolled back: stopped).
 */
export interface RunHooks {
  records: RetrainRecords;
  services: RetrainServices;
  /** The run changed (retrain:changed). */
  changed(run: RunRecord): void;
  /** The run waits for a person (retrain:needs-approval). */
  needsApproval(run: RunRecord, step: ApprovableStep, message: string): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function initialSteps(deploys: boolean): RetrainStep[] {
  const names: RetrainStepName[] = ['train', 'register', 'gates', 'deploy', 'rollout'];
  return names.map((name) => {
    const skipped = !deploys && (name === 'deploy' || name === 'rollout');
    return { name, status: skipped ? 'skipped' : 'pending', startedAt: null, endedAt: null, message: skipped ? 'the policy deploys nothing: the challenger is registered and stops there' : '' };
  });
}

/** Go on from where the run stands until it ends, waits for a person, or waits for its rollout. */
export async function advanceRun(start: RunRecord, hooks: RunHooks): Promise<RunRecord> {
  const run = start;
  const { services } = hooks;
  const save = (kind: TimelineKind | null, message: string) => {
    hooks.records.save(run, kind ? { at: services.now(), kind, message } : null);
    hooks.changed(run);
  };
  run.owner = thisProcess();
  for (;;) {
    const step = run.steps.find((s) => s.status === 'pending' || s.status === 'running');
    if (!step) return finish(run, 'succeeded', null, hooks);
    if (step.name === 'rollout') {
      if (step.status === 'pending') {
        Object.assign(step, { status: 'running', startedAt: iso(services.now()), message: `waiting for deployment ${run.links.deploymentId} to settle` });
        run.owner = null; // nothing of this process is needed while the agent rolls out
        save(null, '');
      }
      return checkRollout(run, hooks);
    }
    const approvable = ApprovableStep.safeParse(step.name);
    if (approvable.success && run.policy.approval[approvable.data] === 'ask' && !run.approved.includes(approvable.data)) {
      const message = `${capitalised(approvable.data)} step of retrain run ${run.id} waits for approval${approvalContext(run, approvable.data)}.`;
      Object.assign(step, { status: 'waiting-approval', message: 'waiting for approval' });
      run.state = 'waiting-approval';
      run.owner = null;
      save('approval-asked', message);
      hooks.needsApproval(run, approvable.data, message);
      return run;
    }
    Object.assign(step, { status: 'running', startedAt: iso(services.now()), message: 'running' });
    save(null, '');
    try {
      const said = await stepWork[step.name]({ run, services, progress: (kind, message) => save(kind, message) });
      Object.assign(step, { status: 'passed', endedAt: iso(services.now()), message: said });
      save(entryKind(step.name), `${capitalised(step.name)}: ${said}.`);
    } catch (error) {
      const stopped = error instanceof StepStopped;
      const why = stopped ? error.message : `${step.name} failed: ${lowerFirst(toLatheError(error).message)}`;
      Object.assign(step, { status: 'failed', endedAt: iso(services.now()), message: why });
      if (stopped) save('gates', `Gates: ${why}.`);
      return finish(run, stopped ? 'stopped' : 'failed', why, hooks);
    }
  }
}

/** Look once at the run's deployment: settled → the run ends with the rollout's outcome. */
export async function checkRollout(run: RunRecord, hooks: RunHooks): Promise<RunRecord> {
  const step = run.steps.find((s) => s.name === 'rollout');
  if (run.state !== 'running' || step?.status !== 'running' || run.links.deploymentId === null) return run;
  const { deployment } = await hooks.services.call('deploy:rollout', { workspace: hooks.services.workspace, id: run.links.deploymentId });
  if (deployment.state === 'rolling-out' || deployment.state === 'deploying') return run;
  const promoted = deployment.state === 'succeeded';
  Object.assign(step, { status: promoted ? 'passed' : 'failed', endedAt: deployment.endedAt ?? iso(hooks.services.now()), message: deployment.outcome });
  hooks.records.save(run, { at: hooks.services.now(), kind: 'rollout', message: `Rollout of ${run.model}@${deployment.version} on ${deployment.target} ended: ${deployment.outcome}` });
  return finish(run, promoted ? 'succeeded' : 'stopped', promoted ? null : `the rollout ended without promoting the challenger: ${deployment.outcome}`, hooks);
}

export function approve(run: RunRecord, step: ApprovableStep | undefined, by: string, hooks: RunHooks): RunRecord {
  const waiting = waitingStep(run, step, 'approve');
  run.approved.push(waiting.name as ApprovableStep);
  Object.assign(waiting, { status: 'pending', message: `approved by ${by}` });
  run.state = 'running';
  hooks.records.save(run, { at: hooks.services.now(), kind: 'approved', message: `${capitalised(waiting.name)} step of retrain run ${run.id} approved by ${by}.` }, 'waiting-approval');
  hooks.changed(run);
  return run;
}

export function reject(run: RunRecord, step: ApprovableStep | undefined, by: string, reason: string, hooks: RunHooks): RunRecord {
  const waiting = waitingStep(run, step, 'reject');
  const why = `the ${waiting.name} step was rejected by ${by}: ${reason.trim()}`;
  Object.assign(waiting, { status: 'rejected', endedAt: iso(hooks.services.now()), message: `rejected by ${by}: ${reason.trim()}` });
  run.state = 'running';
  hooks.records.save(run, { at: hooks.services.now(), kind: 'rejected', message: `${capitalised(waiting.name)} step of retrain run ${run.id} rejected by ${by}: ${reason.trim()}` }, 'waiting-approval');
  return finish(run, 'stopped', why, hooks);
}

/** Runs left "running" by a process that is gone (a crash) fail as interrupted; waits and rollouts stay. */
export function recoverInterrupted(records: RetrainRecords, live: ReadonlySet<string>, hooks: Pick<RunHooks, 'changed'>, now: number): RunRecord[] {
  const recovered: RunRecord[] = [];
  for (const run of records.underWay()) {
    if (run.state !== 'running' || run.owner === null) continue;
    if (run.owner.host !== thisProcess().host) continue; // another machine's run is not ours to judge
    if (run.owner.pid === process.pid ? live.has(run.id) : isProcessAlive(run.owner.pid)) continue;
    const step = run.steps.find((s) => s.status === 'running' || s.status === 'pending');
    const why = `interrupted: the Lathe process (${run.owner.pid}) running it ended${step ? ` during the ${step.name} step` : ''}`;
    if (step) Object.assign(step, { status: 'failed', endedAt: iso(now), message: why });
    endRun(run, 'failed', why, now);
    records.save(run, { at: now, kind: 'outcome', message: `Retrain run ${run.id} failed: ${why}.` });
    hooks.changed(run);
    recovered.push(run);
  }
  return recovered;
}

function finish(run: RunRecord, state: 'succeeded' | 'stopped' | 'failed', why: string | null, hooks: RunHooks): RunRecord {
  const now = hooks.services.now();
  endRun(run, state, why, now);
  const outcome =
    state === 'succeeded'
      ? `Retrain run ${run.id} succeeded: ${run.links.deploymentId ? `${run.model}@${run.links.modelVersion} was promoted on ${run.policy.deploy?.target}` : `${run.model}@${run.links.modelVersion} is the challenger`}.`
      : `Retrain run ${run.id} ${state}: ${why?.replace(/\.$/, '')}.`;
  hooks.records.save(run, { at: now, kind: 'outcome', message: outcome });
  hooks.changed(run);
  return run;
}

function endRun(run: RunRecord, state: 'succeeded' | 'stopped' | 'failed', why: string | null, now: number): void {
  for (const step of run.steps) if (step.status === 'pending' || step.status === 'waiting-approval') Object.assign(step, { status: 'skipped', message: 'not reached' });
  run.state = state;
  run.why = why;
  run.endedAt = iso(now);
  run.owner = null;
}

function waitingStep(run: RunRecord, step: ApprovableStep | undefined, verb: string): RetrainStep {
  const waiting = run.steps.find((s) => s.status === 'waiting-approval');
  if (run.state !== 'waiting-approval' || !waiting) {
    throw failure('FAILED_PRECONDITION', `Retrain run ${run.id} is ${run.state}, with no step waiting for approval, so there is nothing to ${verb}.`, { location: { field: 'run' } });
  }
  if (step !== undefined && step !== waiting.name) {
    throw failure('FAILED_PRECONDITION', `Retrain run ${run.id} waits for approval of its ${waiting.name} step, not ${step}.`, { hint: `Leave --step out, or say --step ${waiting.name}.`, location: { field: 'step' } });
  }
  return waiting;
}

function approvalContext(run: RunRecord, step: ApprovableStep): string {
  const version = `${run.model}@${run.links.modelVersion}`;
  if (step === 'deploy') return `: ${run.policy.deploy?.strategy} of ${version} to ${run.policy.deploy?.target}`;
  if (step === 'register' && run.links.trainingRunId) return `: training run ${run.links.trainingRunId} as the next version of ${run.model}`;
  return `: ${run.plan.summary}`;
}

function entryKind(step: RetrainStepName): TimelineKind {
  return step === 'train' ? 'run' : step === 'register' ? 'version' : step === 'gates' ? 'gates' : 'rollout';
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const lowerFirst = (text: string) => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);
