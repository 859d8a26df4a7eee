import type { CallName, InputOf, OutputOf } from '../../../shared/contract/calls.ts';

/**
 * What a retrain uses of the rest of the core: its calls, through the same dispatch as every
 * front door (inputs checked, the same locks and jobs) — a retrain can do nothing a person at the
 * CLI could not — and the time.
 */
export interface RetrainServices {
  /** The workspace's folder (real path). */
  workspace: string;
  call: <N extends CallName>(name: N, input: InputOf<N>) => Promise<OutputOf<N>>;
  now: () => number;
}
