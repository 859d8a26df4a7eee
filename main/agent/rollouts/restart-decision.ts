import type { LatheError } from '../../../shared/contract/result.ts';
import type { ModelSlot } from '../model-slots.ts';
import type { RolloutRecord } from './rollout-record.ts';

/**
 * What becomes of a rollout that was running when the agent stopped, from what loaded at the
 * restart: it resumes only if its candidate loaded again (and then from its persisted step);
 * a candidate already stable means the promotion was done; a candidate that failed to load, or is
 * gone, means a rollback — never traffic to a version that did not load.
 */
export type RestartDecision = { resume: true } | { resume: false; phase: 'promoted' | 'rolled-back' | 'failed'; reason: string };

export function afterRestart(record: RolloutRecord, slot: ModelSlot | undefined, lost: { version: string; error: LatheError } | undefined): RestartDecision {
  const version = record.candidate.version;
  if (slot?.candidate?.ref.version === version) return { resume: true };
  if (slot?.stable.ref.version === version) return { resume: false, phase: 'promoted', reason: `Version ${version} was made stable just before the agent stopped; the rollout is complete.` };
  if (!slot) return { resume: false, phase: 'failed', reason: `Model ${record.model} did not load at restart, so its rollout cannot go on; nothing is served for it.` };
  const why = lost?.version === version ? `candidate version ${version} failed to load at restart (${lost.error.message})` : `candidate version ${version} was no longer loaded at restart`;
  return { resume: false, phase: 'rolled-back', reason: `Rolled back: ${why}; all traffic goes to stable version ${slot.stable.ref.version}.` };
}
