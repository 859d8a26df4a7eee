import type { Prediction } from '../../core/serving/serving-messages.ts';
import type { LoadedVersion } from '../model-slots.ts';
import type { ArmWindow } from './arm-window.ts';
import { differing } from './prediction-disagreement.ts';

/**
 * The work a rollout does beside a reply, never on its path: a canary's answer is compared with
 * what stable predicts for the same rows; a shadow candidate is sent a copy of what stable
 * answered, its latency and failures measured and its reply compared, then dropped.
 */
export async function compareWithStable(stable: LoadedVersion, rows: readonly Record<string, unknown>[], answered: readonly Prediction[], window: ArmWindow, tolerance: number): Promise<void> {
  const baseline = await stable.pool.predict(rows);
  window.compare(baseline.length, differing(baseline, answered, tolerance));
}

export async function mirrorToShadow(candidate: LoadedVersion, rows: readonly Record<string, unknown>[], answered: readonly Prediction[], window: ArmWindow, tolerance: number, elapsedMs: () => number): Promise<void> {
  const started = elapsedMs();
  let mirrored: Prediction[];
  try {
    mirrored = await candidate.pool.predict(rows);
  } catch {
    window.record(elapsedMs() - started, true);
    return;
  }
  window.record(elapsedMs() - started, false);
  window.compare(mirrored.length, differing(answered, mirrored, tolerance));
}
