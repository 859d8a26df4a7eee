import type { Prediction } from '../../core/serving/serving-messages.ts';

/**
 * How two versions' answers to the same rows compare, for a canary's or shadow's disagreement:
 * a row differs when the labels differ, or for a regressor when the values are further apart
 * than `tolerance` relative to stable's (at least 1, so values near 0 are not over-counted).
 */
export function differing(baseline: readonly Prediction[], other: readonly Prediction[], tolerance: number): number {
  let count = 0;
  baseline.forEach((base, i) => {
    const a = base.predicted;
    const b = other[i]?.predicted;
    if (typeof a === 'number' && typeof b === 'number') {
      if (Math.abs(a - b) > tolerance * Math.max(Math.abs(a), 1)) count++;
    } else if (String(a) !== String(b)) count++;
  });
  return count;
}

