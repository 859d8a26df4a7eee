import { z } from 'zod';

/**
 * What drift is judged on: a column's raw values, or, for a reference too large to ship and hold,
 * its sketch (sketch-column.ts builds one). Raw numbers treat null, NaN and ±Infinity as missing
 * (Evidently drops infinities with the missing values); raw categories treat null as missing.
 */
export type ColumnKind = 'numeric' | 'categorical';

export type ColumnSample = NumericValues | CategoricalValues | NumericSketch | CategoricalSketch;

export interface NumericValues {
  form: 'values';
  kind: 'numeric';
  values: ArrayLike<number | null>;
}

export interface CategoricalValues {
  form: 'values';
  kind: 'categorical';
  values: ArrayLike<string | null>;
}

/** Distinct values up to this many are kept exactly, with their counts: every statistic is then exact. */
export const EXACT_VALUES_LIMIT = 1000;
/** Quantile points kept for a column with more distinct values: levels 0, 1/2000, …, 1. */
export const QUANTILE_POINTS = 2001;
/** Categories kept by count; the rest are counted together as OTHER_CATEGORY. */
export const CATEGORY_LIMIT = 1000;
export const OTHER_CATEGORY = '(other)';

const count = z.number().int().nonnegative();
const finite = z.number().finite();

/** A numeric reference: true count, mean and std, and either exact value counts or quantile points. */
export const NumericSketch = z
  .object({
    form: z.literal('sketch'),
    kind: z.literal('numeric'),
    /** Finite values summarised. */
    count,
    /** Values left out: null or NaN. */
    missing: count,
    /** Values left out: +Infinity or −Infinity. */
    infinite: count,
    mean: finite,
    /** Population standard deviation (numpy's default, ddof 0), as Evidently normalises by. */
    std: finite.nonnegative(),
    min: finite,
    max: finite,
    distinct: count,
    /** Every distinct value, ascending, with its count, when there are at most EXACT_VALUES_LIMIT. */
    exact: z.object({ values: z.array(finite), counts: z.array(count) }).nullable(),
    /** Values at the levels below (numpy's 'linear' quantiles), when `exact` is null. */
    quantiles: z.array(finite).nullable(),
    /**
     * The levels (0 … 1, ascending) of `quantiles`; absent or null means evenly spaced. sketchColumn
     * adds halving levels toward 0 and 1, so that the tails, where Jensen–Shannon's outer bins
     * are, keep their shape.
     */
    levels: z.array(z.number().min(0).max(1)).nullable().optional(),
  })
  .superRefine((sketch, context) => {
    const problem = numericSketchProblem(sketch);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
export type NumericSketch = z.infer<typeof NumericSketch>;

/** A categorical reference: exact counts of its most common categories, the rest as one. */
export const CategoricalSketch = z
  .object({
    form: z.literal('sketch'),
    kind: z.literal('categorical'),
    count,
    missing: count,
    /** [category, count] for up to CATEGORY_LIMIT categories, most common first. */
    categories: z.array(z.tuple([z.string(), count])),
    /** What the kept categories leave out. */
    other: z.object({ categories: count, count }),
  })
  .superRefine((sketch, context) => {
    const kept = sketch.categories.reduce((total, [, n]) => total + n, 0);
    if (kept + sketch.other.count !== sketch.count) context.addIssue({ code: 'custom', message: `category counts add up to ${kept + sketch.other.count}, not the sketch's count ${sketch.count}` });
    if (new Set(sketch.categories.map(([category]) => category)).size !== sketch.categories.length) context.addIssue({ code: 'custom', message: 'a category is listed twice' });
  });
export type CategoricalSketch = z.infer<typeof CategoricalSketch>;

export const ColumnSketch = z.union([NumericSketch, CategoricalSketch]);
export type ColumnSketch = z.infer<typeof ColumnSketch>;

function numericSketchProblem(sketch: Omit<NumericSketch, never>): string | null {
  if ((sketch.exact === null) === (sketch.quantiles === null)) return 'a numeric sketch holds either exact value counts or quantiles, not both or neither';
  if (sketch.count > 0 && sketch.min > sketch.max) return `min ${sketch.min} is above max ${sketch.max}`;
  if (sketch.exact) {
    const { values, counts } = sketch.exact;
    if (values.length !== counts.length) return `${values.length} exact values but ${counts.length} counts`;
    if (values.length !== sketch.distinct) return `${values.length} exact values but ${sketch.distinct} distinct`;
    for (let i = 1; i < values.length; i += 1) if (!(values[i]! > values[i - 1]!)) return `exact values are not strictly ascending at ${i}`;
    if (counts.reduce((total, n) => total + n, 0) !== sketch.count) return 'exact counts do not add up to the sketch count';
  }
  if (sketch.quantiles) {
    const quantiles = sketch.quantiles;
    if (quantiles.length < 2) return `a quantile sketch needs at least 2 points, got ${quantiles.length}`;
    for (let i = 1; i < quantiles.length; i += 1) if (quantiles[i]! < quantiles[i - 1]!) return `quantiles decrease at ${i}`;
    if (quantiles[0] !== sketch.min || quantiles[quantiles.length - 1] !== sketch.max) return 'the first and last quantiles must be the min and max';
    const levels = sketch.levels;
    if (levels) {
      if (levels.length !== quantiles.length) return `${quantiles.length} quantiles but ${levels.length} levels`;
      if (levels[0] !== 0 || levels[levels.length - 1] !== 1) return 'quantile levels must run from 0 to 1';
      for (let i = 1; i < levels.length; i += 1) if (!(levels[i]! > levels[i - 1]!)) return `quantile levels do not increase at ${i}`;
    }
  } else if (sketch.levels) {
    return 'quantile levels without quantiles';
  }
  return null;
}
