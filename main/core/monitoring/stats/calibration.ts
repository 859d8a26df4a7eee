import { z } from 'zod';
import { failure } from '../../errors.ts';

/**
 * Calibration of a classifier's confidence: isotonic regression (pool-adjacent-violators) maps a
 * score to the observed rate of success among reference rows with that score, as scikit-learn's
 * `IsotonicRegression(increasing=True, out_of_bounds="clip")` does; and the expected calibration
 * error tells how far scores are from the rates they claim.
 */

/**
 * A fitted isotonic map: the points where the step function changes, x ascending and y
 * non-decreasing. Between two points it is linear (scikit-learn interpolates the same way);
 * outside them it is clipped to the end values. Plain JSON, a few hundred points at most in
 * practice (one pair per block of pooled scores).
 */
export const IsotonicMap = z
  .strictObject({ x: z.array(z.number().finite()).min(1), y: z.array(z.number().finite()).min(1) })
  .refine((map) => map.x.length === map.y.length, { message: 'x and y must have as many points' })
  .refine((map) => map.x.every((x, i) => i === 0 || x > map.x[i - 1]!), { message: 'x must be strictly increasing' })
  .refine((map) => map.y.every((y, i) => i === 0 || y >= map.y[i - 1]!), { message: 'y must not decrease' });
export type IsotonicMap = z.infer<typeof IsotonicMap>;

interface Block {
  weight: number;
  sum: number;
  xFirst: number;
  xLast: number;
}

/** Fits a non-decreasing map from x to y (least squares, equal weights); O(n log n). */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>): IsotonicMap {
  if (x.length !== y.length) throw invalid(`fitting needs one y per x; got ${x.length} x and ${y.length} y`, 'y');
  if (x.length === 0) throw invalid('there are no points to fit', 'x');
  checkFinite(x, 'x');
  checkFinite(y, 'y');
  return fitIsotonicInOrder(x, y, ascendingOrder(x));
}

/** The rows of `values` by ascending value (stable). */
export function ascendingOrder(values: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => (values[a] as number) - (values[b] as number));
}

/**
 * `fitIsotonic` over the rows `order` lists, which must be by ascending x: for callers that fit
 * many subsets of one checked sample (cross-validation) and sort it once. O(rows).
 */
export function fitIsotonicInOrder(x: ArrayLike<number>, y: ArrayLike<number>, order: ArrayLike<number>): IsotonicMap {
  const blocks: Block[] = [];
  for (let start = 0; start < order.length; ) {
    // Rows with the same x become one point, weighted by their count (scikit-learn does the same).
    const at = x[order[start] as number] as number;
    let end = start;
    let sum = 0;
    while (end < order.length && (x[order[end] as number] as number) === at) sum += y[order[end++] as number] as number;
    blocks.push({ weight: end - start, sum, xFirst: at, xLast: at });
    start = end;
    // Pool adjacent violators: merge while the newer block's mean is not above the one before.
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const previous = blocks[blocks.length - 2]!;
      if (previous.sum / previous.weight < last.sum / last.weight) break;
      blocks.pop();
      previous.weight += last.weight;
      previous.sum += last.sum;
      previous.xLast = last.xLast;
    }
  }
  const map: IsotonicMap = { x: [], y: [] };
  for (const block of blocks) {
    const mean = block.sum / block.weight;
    map.x.push(block.xFirst);
    map.y.push(mean);
    if (block.xLast !== block.xFirst) {
      map.x.push(block.xLast);
      map.y.push(mean);
    }
  }
  return map;
}

/** The fitted value at x: linear between the map's points, clipped outside them; O(log points). */
export function applyIsotonic(map: IsotonicMap, x: number): number {
  if (Number.isNaN(x)) throw invalid('the score to calibrate is NaN', 'x');
  const xs = map.x;
  const last = xs.length - 1;
  if (x <= xs[0]!) return map.y[0]!;
  if (x >= xs[last]!) return map.y[last]!;
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (xs[middle]! <= x) low = middle;
    else high = middle;
  }
  // The share of the way from one point to the next first, so the result stays between their
  // values even where a product would underflow (scores a few ulps apart).
  const share = (x - xs[low]!) / (xs[high]! - xs[low]!);
  const y0 = map.y[low]!;
  return y0 + (map.y[high]! - y0) * share;
}

/**
 * Expected calibration error: rows sorted by their claimed probability p and cut into `bins`
 * groups of equal size (NannyML's binning; fewer groups when there are under 2 rows per group),
 * then Σ (group size / n) · |mean p − observed rate|. 0 for a perfectly calibrated model.
 */
export function expectedCalibrationError(p: ArrayLike<number>, correct: ArrayLike<boolean | number>, bins = 10): number {
  const n = p.length;
  if (correct.length !== n) throw invalid(`one outcome per probability is needed; got ${n} probabilities and ${correct.length} outcomes`, 'correct');
  if (n === 0) throw invalid('there are no rows to measure', 'p');
  if (!Number.isSafeInteger(bins) || bins < 1) throw invalid(`bins must be a whole number of 1 or more, got ${bins}`, 'bins');
  const outcomes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const probability = p[i];
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) throw invalid(`p[${i}] is ${String(probability)}, not a probability from 0 to 1`, 'p', i);
    const outcome = correct[i];
    if (outcome === true || outcome === 1) outcomes[i] = 1;
    else if (outcome !== false && outcome !== 0) throw invalid(`correct[${i}] is ${String(outcome)}; outcomes are true/false or 1/0`, 'correct', i);
  }
  const order = ascendingOrder(p);
  const groups = Math.max(1, Math.min(bins, Math.floor(n / 2)));
  let error = 0;
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * n) / groups);
    const to = Math.floor(((g + 1) * n) / groups);
    let claimed = 0;
    let observed = 0;
    for (let r = from; r < to; r++) {
      claimed += p[order[r]!] as number;
      observed += outcomes[order[r]!]!;
    }
    error += Math.abs(claimed - observed) / n;
  }
  return error;
}

function checkFinite(values: ArrayLike<number>, field: string): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${field}[${i}] is ${String(value)}, not a finite number`, field, i);
  }
}

function invalid(problem: string, field: string, row?: number): Error {
  return failure('INVALID_INPUT', `Cannot calibrate: ${problem}.`, { location: row === undefined ? { field } : { field, row } });
}
