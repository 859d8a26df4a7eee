import type { IncomingHttpHeaders } from 'node:http';
import type { Arm } from '../../../shared/contract/agent-admin.ts';
import type { ModelSlot } from '../model-slots.ts';
import type { RolloutRecord } from './rollout-record.ts';
import { bucketOf, requestKey } from './sticky-key.ts';

/**
 * Which arm answers a request that names no version: stable unless a rollout gives the candidate
 * a weight; a canary draws at random for each request; an A/B test hashes the request's sticky
 * key (drawing only for requests without one, which it reports as unkeyed); a shadow rollout
 * always answers from stable (and mirrors elsewhere).
 */
export function chooseArm(slot: ModelSlot, rollout: RolloutRecord | null, headers: IncomingHttpHeaders, bodyKey: unknown, draw: () => number): { arm: Arm; unkeyed: boolean } {
  if (!rollout || !slot.candidate || slot.candidateWeight === 0) return { arm: 'stable', unkeyed: false };
  if (rollout.spec.strategy === 'ab') {
    const key = requestKey(rollout.spec.routing, headers, bodyKey);
    const bucket = key === undefined ? Math.floor(draw() * 100) : bucketOf(key, rollout.id);
    return { arm: bucket < slot.candidateWeight ? 'candidate' : 'stable', unkeyed: key === undefined };
  }
  return { arm: draw() * 100 < slot.candidateWeight ? 'candidate' : 'stable', unkeyed: false };
}
