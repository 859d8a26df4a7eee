import { failure } from '../../errors.ts';
import { categoricalReference, scoreCategorical, windowCounts } from './categorical-drift.ts';
import { cleanNumbers, countCategories } from './clean-values.ts';
import type { CategoricalSketch, CategoricalValues, ColumnSample } from './column-sample.ts';
import { DRIFT_METHODS, defaultMethod, type DriftMethod } from './drift-methods.ts';
import { numericReference, type NumericReference } from './numeric-reference.ts';
import { scoreNumeric, type Scored } from './numeric-drift.ts';

export type { ColumnKind, ColumnSample } from './column-sample.ts';
export type { DriftMethod } from './drift-methods.ts';

export interface ColumnDrift {
  method: DriftMethod;
  /** The p-value or distance; when the verdict is 'not-enough-data', nothing was measured and it is 1 for a p-value, 0 for a distance. */
  score: number;
  threshold: number;
  /** true: score is a p-value (drift when score < threshold; ≤ for KS, as Evidently); false: a distance (drift when score ≥ threshold) */
  pValue: boolean;
  verdict: 'drift' | 'no-drift' | 'not-enough-data';
  /** Why there is no verdict, or what the score leaves out or approximates; null when nothing. */
  reason: string | null;
}

export interface ColumnDriftOptions {
  /** Leave out for Evidently's default choice. */
  method?: DriftMethod;
  /** Leave out for the method's default (0.05 for p-values, 0.1 for distances). */
  threshold?: number;
  /** Fewest non-missing values a window (and the reference) needs to be judged; 30 by default. */
  minRows?: number;
}

export const DEFAULT_MIN_ROWS = 30;
export const DEFAULT_DRIFT_SHARE = 0.5;

/**
 * Whether a column drifted between a reference (raw values or a sketch) and a window of raw
 * values, the way Evidently judges it by default: the method by the reference's true row count
 * and the distinct values, its threshold, its verdict. Missing values (and infinities) are left
 * out first, as Evidently does; too few values left gives 'not-enough-data' with the reason,
 * never 'no-drift'. Options that cannot work (KS on categories, a sketch as the window) throw
 * INVALID_INPUT failures naming what to change.
 */
export function columnDrift(reference: ColumnSample, current: ColumnSample, options: ColumnDriftOptions = {}): ColumnDrift {
  const minRows = checkOptions(options);
  if (current.form !== 'values') throw failure('INVALID_INPUT', 'The current window must be raw values, not a sketch.', { hint: 'Sketch the reference only; pass the window as { form: "values", kind, values }.' });
  if (reference.kind !== current.kind) throw failure('INVALID_INPUT', `The reference is a ${reference.kind} column but the window is ${current.kind}.`, { hint: 'Compare a column with the same column: both numeric or both categorical.' });
  if (options.method && !DRIFT_METHODS[options.method].kinds.includes(current.kind)) {
    const fitting = (Object.keys(DRIFT_METHODS) as DriftMethod[]).filter((method) => DRIFT_METHODS[method].kinds.includes(current.kind));
    throw failure('INVALID_INPUT', `Drift method '${options.method}' needs a numeric column, and this one is ${current.kind}.`, { hint: `Use one of ${fitting.join(', ')}, or leave the method out for Evidently's default.` });
  }
  if (reference.kind === 'numeric' && current.kind === 'numeric') return numericDrift(numericReference(reference), current.values, options, minRows);
  if (reference.kind === 'categorical' && current.kind === 'categorical') return categoricalDrift(reference, current, options, minRows);
  throw new TypeError('unreachable: the kinds were checked above');
}

function numericDrift(reference: NumericReference, values: ArrayLike<number | null>, options: ColumnDriftOptions, minRows: number): ColumnDrift {
  const window = cleanNumbers(values);
  const current = window.sorted;
  const countless: string[] = [];
  let method = options.method ?? defaultMethod('numeric', reference.count, distinctNumbers(reference, current));
  if (!options.method && !reference.exact && (method === 'chisquare' || method === 'z')) {
    // Evidently would count each value; a quantile sketch cannot, so the test for numbers stands in.
    countless.push(`the reference sketch keeps quantiles, not a count per value, so KS stands in for ${method === 'z' ? 'the Z-test' : 'chi-square'}`);
    method = 'ks';
  }
  const shortage = notEnough(reference.count, reference.count + reference.missing + reference.infinite, current.length, values.length, minRows);
  if (shortage) return unjudged(method, options, shortage);
  if (method === 'chisquare' || method === 'z') {
    if (!reference.exact) throw failure('INVALID_INPUT', `Drift method '${method}' counts each value, and this reference sketch keeps quantiles, not counts (${reference.distinct.toLocaleString('en')} distinct values).`, { hint: 'Use ks, wasserstein, jensenshannon or psi, or sketch the reference with sketchColumn, which keeps counts up to 1,000 distinct values.' });
  }
  const scored = scoreNumeric(method, reference, current);
  const leftOut = [...countless, ...leftOutNotes('reference', reference.missing, reference.infinite), ...leftOutNotes('window', window.missing, window.infinite)];
  if (reference.min === reference.max) leftOut.push(`the reference is constant (every value is ${reference.min})`);
  return judged(method, options, scored, leftOut);
}

function categoricalDrift(reference: CategoricalValues | CategoricalSketch, current: CategoricalValues, options: ColumnDriftOptions, minRows: number): ColumnDrift {
  const referenceCounts = categoricalReference(reference);
  const window = countCategories(current.values);
  const notes: string[] = [];
  const counts = windowCounts(referenceCounts, window.counts, notes);
  const distinct = new Set([...referenceCounts.counts.keys(), ...counts.keys()]).size;
  const method = options.method ?? defaultMethod('categorical', referenceCounts.count, distinct);
  const shortage = notEnough(referenceCounts.count, referenceCounts.count + referenceCounts.missing, window.count, current.values.length, minRows);
  if (shortage) return unjudged(method, options, shortage);
  const scored = scoreCategorical(method, referenceCounts, counts, window.count, notes);
  return judged(method, options, scored, [...leftOutNotes('reference', referenceCounts.missing, 0), ...leftOutNotes('window', window.missing, 0)]);
}

/**
 * Whether reference and window together hold more than 5 distinct numbers (all Evidently's
 * choice asks); a quantile sketch stands for more than 1,000.
 */
function distinctNumbers(reference: NumericReference, current: Float64Array): number {
  if (!reference.exact) return reference.distinct;
  const seen = new Set<number>(reference.exact.values.length <= 6 ? reference.exact.values : reference.exact.values.subarray(0, 6));
  for (let i = 0; i < current.length && seen.size <= 5; i += 1) seen.add(current[i]!);
  return seen.size;
}

function notEnough(referenceRows: number, referenceTotal: number, windowRows: number, windowTotal: number, minRows: number): string | null {
  const side = (what: string, rows: number, total: number) => {
    if (rows >= minRows) return null;
    if (total === 0) return `the ${what} is empty`;
    if (rows === 0) return `every one of the ${what}'s ${total.toLocaleString('en')} values is missing`;
    const missing = total - rows;
    return `the ${what} has ${rows.toLocaleString('en')} ${rows === 1 ? 'value' : 'values'}${missing ? ` (and ${missing.toLocaleString('en')} missing)` : ''}; judging drift needs at least ${minRows.toLocaleString('en')}`;
  };
  const problems = [side('window', windowRows, windowTotal), side('reference', referenceRows, referenceTotal)].filter((problem) => problem !== null);
  return problems.length ? capitalise(problems.join('; ')) : null;
}

function unjudged(method: DriftMethod, options: ColumnDriftOptions, reason: string): ColumnDrift {
  const { pValue, threshold } = DRIFT_METHODS[method];
  return { method, score: pValue ? 1 : 0, threshold: options.threshold ?? threshold, pValue, verdict: 'not-enough-data', reason };
}

function judged(method: DriftMethod, options: ColumnDriftOptions, scored: Scored, leftOut: string[]): ColumnDrift {
  const spec = DRIFT_METHODS[method];
  const threshold = options.threshold ?? spec.threshold;
  const notes = [...scored.notes, ...leftOut];
  // A score no double can hold is no verdict either way.
  if (Number.isNaN(scored.score)) return unjudged(method, options, capitalise([`the ${spec.name} could not be computed from these values (too large for double precision?)`, ...notes].join('; ')));
  let score = scored.score;
  if (!Number.isFinite(score)) {
    notes.push(`the ${spec.name} overflows a double; it is reported as the largest double`);
    score = Math.sign(score) * Number.MAX_VALUE;
  }
  return { method, score, threshold, pValue: spec.pValue, verdict: spec.drifts(score, threshold) ? 'drift' : 'no-drift', reason: notes.length ? capitalise(notes.join('; ')) : null };
}

function leftOutNotes(what: string, missing: number, infinite: number): string[] {
  const notes: string[] = [];
  if (missing) notes.push(`${missing.toLocaleString('en')} missing ${what} ${missing === 1 ? 'value' : 'values'} left out`);
  if (infinite) notes.push(`${infinite.toLocaleString('en')} infinite ${what} ${infinite === 1 ? 'value' : 'values'} left out, as Evidently does`);
  return notes;
}

function checkOptions(options: ColumnDriftOptions): number {
  const minRows = options.minRows ?? DEFAULT_MIN_ROWS;
  if (!Number.isInteger(minRows) || minRows < 1) throw failure('INVALID_INPUT', `minRows must be a whole number ≥ 1, got ${minRows}.`, { location: { field: 'minRows' } });
  if (options.method !== undefined && !(options.method in DRIFT_METHODS)) {
    throw failure('INVALID_INPUT', `Unknown drift method '${String(options.method)}'.`, { hint: `Use one of ${Object.keys(DRIFT_METHODS).join(', ')}.`, location: { field: 'method' } });
  }
  const threshold = options.threshold;
  if (threshold !== undefined) {
    const pValue = options.method ? DRIFT_METHODS[options.method].pValue : null;
    if (!Number.isFinite(threshold) || threshold <= 0 || (pValue === true && threshold >= 1)) {
      throw failure('INVALID_INPUT', `Drift threshold ${threshold} is out of range.`, { hint: 'A p-value threshold lies between 0 and 1 (0.05 by default); a distance threshold is above 0 (0.1 by default).', location: { field: 'threshold' } });
    }
  }
  return minRows;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Whether a dataset drifted: Evidently calls it when at least `share` (half by default) of its
 * columns drift. Columns without a verdict ('not-enough-data') are left out of the share; with
 * none judged, the dataset has no verdict either.
 */
export function datasetDrift(columns: readonly ColumnDrift[], share: number = DEFAULT_DRIFT_SHARE): { drifted: number; judged: number; share: number; verdict: 'drift' | 'no-drift' | 'not-enough-data' } {
  if (!(share > 0 && share <= 1)) throw failure('INVALID_INPUT', `The drifted-column share must be above 0 and at most 1, got ${share}.`, { hint: 'Evidently uses 0.5: the dataset drifts when half its columns do.', location: { field: 'share' } });
  const judged = columns.filter((column) => column.verdict !== 'not-enough-data').length;
  const drifted = columns.filter((column) => column.verdict === 'drift').length;
  if (judged === 0) return { drifted: 0, judged: 0, share: 0, verdict: 'not-enough-data' };
  const driftedShare = drifted / judged;
  return { drifted, judged, share: driftedShare, verdict: driftedShare >= share ? 'drift' : 'no-drift' };
}
