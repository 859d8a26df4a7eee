import type { ArmMeasurement, RolloutAction, StartRollout } from '../../../shared/contract/agent-admin.ts';
import { failure } from '../../core/errors.ts';
import type { RolloutRecord } from './rollout-record.ts';

/** The sentences of the rollout controller's decisions and refusals, kept apart from its logic. */
export function conflict(record: RolloutRecord) {
  return failure('CONFLICT', `Model ${record.model} already has rollout ${record.id} (${record.strategy} of version ${record.candidate.version}, ${record.phase}); one rollout per model at a time.`, {
    hint: `Wait for it to finish, or promote or abort it: POST /admin/rollouts/${record.id}/promote or …/abort.`,
  });
}

export function describeSpec(spec: StartRollout): string {
  if (spec.strategy === 'canary') return `Canary in steps ${spec.steps.join(', ')} % every ${spec.intervalMs / 1000} s`;
  if (spec.strategy === 'ab') return `A/B test with ${spec.weight} % to the candidate, sticky by ${spec.routing.kind === 'weight' ? 'parameters.request_key' : `${spec.routing.kind} ${spec.routing.name}`}`;
  if (spec.strategy === 'shadow') return 'Shadow: every request mirrored to the candidate, its replies dropped';
  return 'Replace';
}

export function observed(record: RolloutRecord, candidate: ArmMeasurement): string {
  const parts = [`candidate ${record.spec.strategy === 'shadow' ? 'mirrored' : 'answered'} ${candidate.requests} requests`, `${candidate.errors} failed`];
  if (candidate.p99Ms !== null) parts.push(`p99 ${Math.round(candidate.p99Ms)} ms`);
  if (candidate.disagreement !== null) parts.push(`disagreement ${candidate.disagreement.toFixed(2)} over ${candidate.compared} rows`);
  return `${parts.join(', ')}; no automatic decision (${record.spec.strategy}): promote or abort when ready.`;
}

export function pastTense(action: RolloutAction): string {
  return { promote: 'promoted', abort: 'aborted', pause: 'paused', resume: 'resumed' }[action];
}
