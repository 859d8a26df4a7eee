import { readFileSync } from 'node:fs';
import type { DriftMethod } from '../drift-methods.ts';
import type { Fingerprint, SampleSpec } from './golden-inputs.ts';

/** scipy-golden.json as scipy-golden.py prints it. */
export interface Golden {
  scipy: string;
  numpy: string;
  ks2samp: { name: string; a: SampleSpec; b: SampleSpec; aFingerprint: Fingerprint; bFingerprint: Fingerprint; branch: string; statistic: number; pValue: number }[];
  chisquare: { name: string; observed: number[]; expected: number[]; statistic: number; pValue: number }[];
  wasserstein: { name: string; u: SampleSpec; v: SampleSpec; uWeights: SampleSpec | null; vWeights: SampleSpec | null; uFingerprint: Fingerprint; vFingerprint: Fingerprint; distance: number }[];
  jensenshannon: { name: string; p: number[]; q: number[]; base: number | null; distance: number }[];
  evidentlyDefaults: { name: string; kind: 'numeric' | 'categorical'; reference: SampleSpec; current: SampleSpec; asked: DriftMethod | null; method: DriftMethod; score: number }[];
}

export const golden = JSON.parse(readFileSync(new URL('./scipy-golden.json', import.meta.url), 'utf8')) as Golden;

/** The bar: a disagreement of at most 1e-9. */
export const TOLERANCE = 1e-9;

/**
 * How far a value is from scipy's: |diff| relative to the value when it is above 1 (the issue's
 * measure). `relative` measures small values (a p-value of 1e-17) against themselves, so that a
 * far tail cannot pass by being near 0; scipy's own underflow to exactly 0 is then met by
 * anything below 1e-300.
 */
export function disagreement(actual: number, expected: number, relative = false): number {
  const scale = relative ? (expected === 0 ? 1e-300 / TOLERANCE : Math.abs(expected)) : Math.max(1, Math.abs(expected));
  return Math.abs(actual - expected) / scale;
}
