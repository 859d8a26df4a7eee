import type { GatedVersion } from './gated-version.ts';

/**
 * The serving runtime as the gates use it: open a version's signed bundle in a fresh worker and
 * predict rows given as the signature's input columns (`{ bill_length_mm: 39.1, island: "Biscoe" }`,
 * null for a missing value). The real one is engineer B's (main/core/serving); tests pass fakes.
 */
export type ServedPrediction = { probabilities: readonly number[] } | { value: number };

export interface ServingRuntime {
  predict(rows: readonly Record<string, unknown>[]): Promise<ServedPrediction[]>;
  close(): Promise<void>;
}

export interface ServingTarget {
  /** Package (or find) the version's signed bundle, verify it and load it; throws what failed (a tampered bundle: B's verification error). */
  open(version: GatedVersion): Promise<ServingRuntime>;
}
