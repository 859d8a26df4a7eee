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

/** Rows per predict call: the runtime takes at most 100,000 at once, and smaller calls keep memory flat. */
export const PREDICT_BATCH_ROWS = 50_000;

/** Predict any number of rows, in batches the runtime accepts, in order. */
export async function predictAll(runtime: ServingRuntime, rows: readonly Record<string, unknown>[]): Promise<ServedPrediction[]> {
  const answers: ServedPrediction[] = [];
  for (let start = 0; start < rows.length; start += PREDICT_BATCH_ROWS) answers.push(...(await runtime.predict(rows.slice(start, start + PREDICT_BATCH_ROWS))));
  return answers;
}
