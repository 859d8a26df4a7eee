import { paramNumber } from './run-columns.ts';

/**
 * The axes of a parallel-coordinates plot (as W&B draws one): one per param, the chosen metric
 * last. A param whose every value is a number gets a numeric axis (linear, or log when every
 * value is above zero and the user asks), any other a categorical one with its values spread
 * evenly; any axis can be flipped. A position is 0 at the bottom and 1 at the top.
 */
export interface AxisSpec {
  readonly key: string;
  readonly kind: 'numeric' | 'categorical';
  /** numeric: [min, max]; categorical: the values, in order. */
  readonly min: number;
  readonly max: number;
  readonly categories: readonly string[];
  readonly log: boolean;
  readonly flipped: boolean;
  /** Log scale is possible: every value is above zero. */
  readonly canLog: boolean;
  /** Every value is a whole number (rows, units, epochs): so are its ticks. */
  readonly integer: boolean;
  /** Every run has the same value: the axis is padded around it. */
  readonly single: number | null;
}

export type AxisValue = string | number | null;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** An axis fitted to these values (nulls ignored). Text that is all numbers makes a numeric axis. */
export function fitAxis(key: string, values: readonly AxisValue[], options: { log?: boolean; flipped?: boolean } = {}): AxisSpec {
  const present = values.filter((value): value is string | number => value !== null);
  const numbers = present.map((value) => (typeof value === 'number' ? value : paramNumber(value)));
  const numeric = present.length > 0 && numbers.every((value) => value !== null && Number.isFinite(value));
  if (numeric) {
    const finite = numbers as number[];
    let min = Math.min(...finite);
    let max = Math.max(...finite);
    const canLog = min > 0;
    const single = min === max ? min : null;
    if (min === max) {
      // One value: centre it.
      const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
      min -= pad;
      max += pad;
    }
    return { key, kind: 'numeric', min, max, categories: [], log: Boolean(options.log) && canLog && min > 0, flipped: Boolean(options.flipped), canLog, integer: finite.every(Number.isInteger), single };
  }
  const categories = [...new Set(present.map(String))].sort(collator.compare);
  return { key, kind: 'categorical', min: 0, max: Math.max(0, categories.length - 1), categories, log: false, flipped: Boolean(options.flipped), canLog: false, integer: false, single: null };
}

/** Where a value sits on its axis, 0 (bottom) to 1 (top); null when the run has no value there. */
export function axisPosition(axis: AxisSpec, value: AxisValue): number | null {
  if (value === null) return null;
  let t: number;
  if (axis.kind === 'categorical') {
    const index = axis.categories.indexOf(String(value));
    if (index < 0) return null;
    t = axis.categories.length === 1 ? 0.5 : index / (axis.categories.length - 1);
  } else {
    const number = typeof value === 'number' ? value : paramNumber(value);
    if (number === null || !Number.isFinite(number)) return null;
    const [from, to, at] = axis.log ? [Math.log10(axis.min), Math.log10(axis.max), Math.log10(number)] : [axis.min, axis.max, number];
    if (axis.log && number <= 0) return null;
    // Values too close to tell apart in floating point sit in the middle.
    t = to > from ? (at - from) / (to - from) : 0.5;
  }
  // Rounding (a log axis over a sliver of a decade) must not put a run's own value off its axis.
  const within = Math.min(1, Math.max(0, t));
  return axis.flipped ? 1 - within : within;
}

/** "Nice" tick values for a numeric axis: 1, 2 or 5 × a power of ten apart (powers of ten on a log axis). */
export function axisTicks(axis: AxisSpec, count = 5): number[] {
  if (axis.kind !== 'numeric') return [];
  if (axis.log) {
    const from = Math.floor(Math.log10(axis.min));
    const to = Math.ceil(Math.log10(axis.max));
    const ticks: number[] = [];
    for (let power = from; power <= to; power++) {
      const tick = 10 ** power;
      if (tick >= axis.min * (1 - 1e-9) && tick <= axis.max * (1 + 1e-9)) ticks.push(tick);
    }
    return ticks.length >= 2 ? ticks : [axis.min, axis.max];
  }
  return niceTicks(axis.min, axis.max, count);
}

export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return Number.isFinite(min) ? [min] : [];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  // The round step nearest the rough one (as d3's ticks choose it).
  const error = rough / power;
  const step = power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let tick = first; tick <= max + step * 1e-9; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}

/**
 * The values labelled on an axis: both ends (the runs' smallest and largest value, which a
 * person reads first), and round ticks between them that are not crowding an end.
 */
export function axisLabels(axis: AxisSpec, count = 5): (string | number)[] {
  if (axis.kind === 'categorical') return [...axis.categories];
  const inner = axisTicks(axis, count).filter((tick) => {
    const t = axisPosition({ ...axis, flipped: false }, tick);
    return t !== null && t > 0.12 && t < 0.88 && (!axis.integer || Number.isInteger(tick));
  });
  // One value, centred: the padded ends are not values any run has.
  if (axis.single !== null) return [axis.single];
  return [axis.min, ...inner, axis.max];
}
