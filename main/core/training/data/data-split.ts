import { SeededRandom } from './seeded-random.ts';

/**
 * The train / validation / test split: deterministic for a seed, stratified, and with sizes that
 * depend only on the row count and the seed (so training:plan can say them before any data is
 * read).
 *
 * How: every row gets a random key; rows are ordered by their stratum (a class, or the target's
 * value for regression), then by key; then rows are taken systematically along that order —
 * test at an evenly spaced TEST_FRACTION of positions (from a random phase), validation at
 * evenly spaced positions among the rest. Each class (or each stretch of the target's range)
 * thus gets its share of every part, within one row.
 */
export const TEST_FRACTION = 0.2;
export const VALIDATION_FRACTION = 0.1;
/** Fewer rows than this cannot be split into three useful parts. */
export const MIN_ROWS = 10;

const SPLIT_SALT = 0x5eed_5917;

export interface SplitRows {
  /** Row indices, ascending. */
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

export type Strata = { classes: Int32Array } | { values: Float64Array } | null;

export function splitSizes(rows: number, seed: number): { train: number; validation: number; test: number } {
  const { phaseTest, phaseValidation } = phases(new SeededRandom(seed ^ SPLIT_SALT));
  const test = Math.floor(rows * TEST_FRACTION + phaseTest);
  const validation = Math.floor((rows - test) * validationShare() + phaseValidation);
  return { train: rows - test - validation, validation, test };
}

export function splitRows(rows: number, seed: number, strata: Strata): SplitRows {
  const random = new SeededRandom(seed ^ SPLIT_SALT);
  const { phaseTest, phaseValidation } = phases(random);
  const keys = new Float64Array(rows);
  for (let i = 0; i < rows; i++) keys[i] = random.next();
  const order = Array.from({ length: rows }, (_, i) => i);
  const byKey = (a: number, b: number) => (keys[a] as number) - (keys[b] as number);
  if (strata && 'classes' in strata) order.sort((a, b) => (strata.classes[a] as number) - (strata.classes[b] as number) || byKey(a, b));
  else if (strata) order.sort((a, b) => (strata.values[a] as number) - (strata.values[b] as number) || byKey(a, b));
  else order.sort(byKey);

  const parts = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  const validationRate = validationShare();
  let rest = 0;
  for (let p = 0; p < rows; p++) {
    const row = order[p] as number;
    if (Math.floor((p + 1) * TEST_FRACTION + phaseTest) > Math.floor(p * TEST_FRACTION + phaseTest)) {
      parts.test.push(row);
    } else {
      const q = rest++;
      (Math.floor((q + 1) * validationRate + phaseValidation) > Math.floor(q * validationRate + phaseValidation) ? parts.validation : parts.train).push(row);
    }
  }
  const sorted = (list: number[]) => Int32Array.from(list).sort();
  return { train: sorted(parts.train), validation: sorted(parts.validation), test: sorted(parts.test) };
}

/** Validation's share of the rows left after the test part, so that it is VALIDATION_FRACTION of all. */
function validationShare(): number {
  return VALIDATION_FRACTION / (1 - TEST_FRACTION);
}

function phases(random: SeededRandom): { phaseTest: number; phaseValidation: number } {
  return { phaseTest: random.next(), phaseValidation: random.next() };
}
