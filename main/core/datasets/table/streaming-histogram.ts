/**
 * A histogram of a numeric column in one streaming pass, bounded memory and exact counts.
 *
 * The first BUFFER values are held back to choose a "nice" bin width (1, 2 or 5 times a power
 * of ten, at least 1 when they are all integers) and an origin; from then on each value goes
 * into one of BINS internal bins: bin key = floor(value / width). A value outside the
 * bins either shifts them (when the used bins and the value still fit) or doubles the width,
 * merging neighbouring pairs (key → floor(key / 2)), which is exact: halving a quotient is
 * exact in floating point, so floor(v/w/2) = floor(floor(v/w)/2). Widths stay
 * a power of two times a power of ten.
 *
 * At the end the empty outer bins are trimmed and neighbours are merged (by 1, 2, 4, 5, 8, 10,
 * … internal bins, aligned) down to at most DISPLAY_BINS. Each edge is the exact threshold of
 * the key function, so a value always lies in the bin the edges say: normally the nice
 * multiple of the width itself, an ulp or so off where floating-point rounding puts it there.
 *
 * The result depends only on the values and their order, never on how the file was chunked.
 * More than that: given the starting width w0 (chosen from the first BUFFER values), it depends
 * only on the set of values, since the width ends as w0 doubled the fewest times that fit them
 * all in BINS bins. That is what makes histograms of parts of a column mergeable exactly: a part
 * that knows w0 keeps bins at w0 × 2^j (`withWidth`); one that does not keeps its values
 * (`rawValues`, bounded by the part's size); `merge` adds either to the whole.
 */
export interface Histogram {
  /** counts.length + 1 edges, strictly increasing; bins [edges[i], edges[i+1]), the last closed. */
  edges: number[];
  counts: number[];
}

/** The bin width a histogram starts from (see `scale` below): w0, before any doubling. */
export interface HistogramWidth {
  scale: number;
  divisor: number;
  mantissa: number;
  exponent: number;
}

/**
 * A histogram as plain data, to send between threads and merge (see `merge`): the values in
 * order while it has not chosen its width, or its bins.
 */
export type HistogramState =
  | { kind: 'values'; values: Float64Array }
  | { kind: 'bins'; base: HistogramWidth; width: HistogramWidth; doublings: number; origin: number; counts: Float64Array };

const BINS = 64;
const BUFFER = 256;
export const DISPLAY_BINS = 32;
/** Display merges: 2^a·5^b, so that display widths stay a power of two times a power of ten. */
const MERGES = [1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 40, 50, 64];

export class StreamingHistogram {
  /**
   * key = floor(value × scale / divisor): scale = 10^n / mantissa (exact) for widths below 1,
   * divisor = the width (an exact integer) for widths of 1 and more, so that integer edges are
   * exact. Doubling halves the scale or doubles the divisor, both exact. Scale 0 while
   * buffering sends every value to addSlow.
   */
  private scale = 0;
  private divisor = 1;
  /** The key of counts[0]. */
  private origin = 1;
  /** Made when the bins are (a wide file has thousands of columns, most never numeric). */
  private counts = new Float64Array(0);
  /** Grows to BUFFER as values come, for the same reason. */
  private buffer: Float64Array | null = new Float64Array(8);
  private buffered = 0;
  /** width = mantissa × 10^exponent, for nice edges (the key function uses scale and divisor). */
  private mantissa = 1;
  private exponent = 0;
  /** The width chosen from the first values, and how many times it has doubled since. */
  private base: HistogramWidth | null = null;
  private doublings = 0;
  /** Keeps every value and never chooses a width (a part of a column that does not know w0). */
  private raw = false;

  /** A histogram that keeps its values for a later merge (see the class comment). */
  static rawValues(): StreamingHistogram {
    const histogram = new StreamingHistogram();
    histogram.raw = true;
    return histogram;
  }

  /** A histogram whose starting width w0 is known: it puts values in bins from the first. */
  static withWidth(width: HistogramWidth): StreamingHistogram {
    const histogram = new StreamingHistogram();
    histogram.buffer = null;
    histogram.setWidth(width);
    histogram.base = { ...width };
    histogram.counts = new Float64Array(BINS);
    // No origin until the first value (NaN sends it to addSlow, which centres the bins on it).
    histogram.origin = Number.NaN;
    return histogram;
  }

  /** The starting width, once chosen. */
  get startWidth(): HistogramWidth | null {
    return this.base;
  }

  state(): HistogramState {
    if (this.buffer !== null) return { kind: 'values', values: this.buffer.slice(0, this.buffered) };
    return {
      kind: 'bins',
      base: { ...(this.base as HistogramWidth) },
      width: { scale: this.scale, divisor: this.divisor, mantissa: this.mantissa, exponent: this.exponent },
      doublings: this.doublings,
      origin: this.origin,
      counts: this.counts.slice(),
    };
  }

  /**
   * Adds a later part of the column (its values, or its bins at the same w0): the result is
   * exactly as if its values had been added here one by one.
   */
  merge(part: HistogramState): void {
    if (part.kind === 'values') {
      for (const value of part.values) this.add(value);
      return;
    }
    if (this.buffer !== null && this.buffered === 0 && !this.raw) {
      // Nothing here yet: take the part as it is.
      this.buffer = null;
      this.base = { ...part.base };
      this.setWidth(part.width);
      this.doublings = part.doublings;
      this.origin = part.origin;
      this.counts = part.counts.slice();
      return;
    }
    const base = this.base;
    if (this.buffer !== null || base === null || base.scale !== part.base.scale || base.divisor !== part.base.divisor) {
      throw new Error('Histogram parts with different starting widths cannot be merged');
    }
    while (this.doublings < part.doublings) this.double();
    for (let i = 0; i < BINS; i++) {
      const count = part.counts[i] as number;
      // The part's key at this width (which may have doubled for the part's earlier bins).
      if (count > 0) this.addToKey(Math.floor((part.origin + i) / 2 ** (this.doublings - part.doublings)), count);
    }
  }

  /** A finite number. Kept tiny: it runs for every numeric cell, inlined into the scan loop. */
  add(value: number): void {
    const x = (value * this.scale) / this.divisor;
    const index = Math.floor(x) - this.origin;
    if (index >= 0 && index < BINS && (x !== 0 || value >= 0)) {
      this.counts[index] = (this.counts[index] as number) + 1;
    } else {
      this.addSlow(value);
    }
  }

  /** The histogram so far; null when no value was added. */
  result(): Histogram | null {
    if (this.buffer !== null) {
      if (this.buffered === 0) return null;
      this.start();
    }
    const { lo, hi } = this.used();
    if (lo < 0) return null;
    const keyLo = this.origin + lo;
    const keyHi = this.origin + hi;
    let merge = MERGES[MERGES.length - 1] as number;
    for (const candidate of MERGES) {
      if (Math.floor(keyHi / candidate) - Math.floor(keyLo / candidate) + 1 <= DISPLAY_BINS) {
        merge = candidate;
        break;
      }
    }
    const first = Math.floor(keyLo / merge);
    const last = Math.floor(keyHi / merge);
    const counts = new Array<number>(last - first + 1).fill(0);
    for (let i = lo; i <= hi; i++) {
      const bin = Math.floor((this.origin + i) / merge) - first;
      counts[bin] = (counts[bin] as number) + (this.counts[i] as number);
    }
    const edges: number[] = [];
    for (let bin = first; bin <= last + 1; bin++) edges.push(this.edge(bin * merge));
    return { edges, counts };
  }

  /** The key function; `add` computes the same inline. Tiny negatives whose product underflows to -0 stay below 0. */
  private keyOf(value: number): number {
    const x = (value * this.scale) / this.divisor;
    return x === 0 && value < 0 ? -1 : Math.floor(x);
  }

  private addSlow(value: number): void {
    let buffer = this.buffer;
    if (buffer !== null) {
      if (this.buffered === buffer.length) {
        buffer = new Float64Array(buffer.length * 2);
        buffer.set(this.buffer as Float64Array);
        this.buffer = buffer;
      }
      buffer[this.buffered++] = value;
      if (this.buffered === BUFFER && !this.raw) this.start();
      return;
    }
    if (Number.isNaN(this.origin)) this.origin = this.keyOf(value) - BINS / 2;
    this.place(value);
  }

  /** `count` values whose key (at the current width) is `key`. */
  private addToKey(key: number, count: number): void {
    if (Number.isNaN(this.origin)) this.origin = key - BINS / 2;
    for (;;) {
      const index = key - this.origin;
      if (index >= 0 && index < BINS) {
        this.counts[index] = (this.counts[index] as number) + count;
        return;
      }
      const doublings = this.doublings;
      this.makeRoom(key);
      if (this.doublings > doublings) key = Math.floor(key / 2);
    }
  }

  private setWidth(width: HistogramWidth): void {
    this.scale = width.scale;
    this.divisor = width.divisor;
    this.mantissa = width.mantissa;
    this.exponent = width.exponent;
  }

  private place(value: number): void {
    for (;;) {
      const index = this.keyOf(value) - this.origin;
      if (index >= 0 && index < BINS) {
        this.counts[index] = (this.counts[index] as number) + 1;
        return;
      }
      this.makeRoom(this.keyOf(value));
    }
  }

  /** Chooses the width and origin from the buffered values, then counts them. */
  private start(): void {
    const buffer = this.buffer as Float64Array;
    const n = this.buffered;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let integers = true;
    for (let i = 0; i < n; i++) {
      const value = buffer[i] as number;
      if (value < min) min = value;
      if (value > max) max = value;
      if (integers && !Number.isInteger(value)) integers = false;
    }
    const magnitude = Math.max(Math.abs(min), Math.abs(max));
    // Halve first, so that a range of ±1e308 does not overflow. 62 bins leave room for rounding.
    const spread = max / 2 - min / 2;
    let target = spread > 0 ? Math.max(spread / 31, magnitude * 2 ** -40) : magnitude > 0 ? magnitude / 64 : 1;
    if (integers) target = Math.max(target, 1);
    target = Math.max(target, 1e-300);
    this.chooseWidth(target);
    this.base = { scale: this.scale, divisor: this.divisor, mantissa: this.mantissa, exponent: this.exponent };
    const keyMin = this.keyOf(min);
    const keyMax = this.keyOf(max);
    const span = keyMax - keyMin + 1;
    this.origin = span <= BINS ? keyMin - Math.floor((BINS - span) / 2) : keyMin;
    this.buffer = null;
    this.counts = new Float64Array(BINS);
    for (let i = 0; i < n; i++) this.place(buffer[i] as number);
  }

  /** The smallest 1, 2 or 5 × 10^e at least `target`. */
  private chooseWidth(target: number): void {
    const guess = Math.floor(Math.log10(target)) - 1;
    for (let exponent = guess; ; exponent++) {
      for (const mantissa of [1, 2, 5]) {
        if (mantissa * pow10(exponent) >= target) {
          this.mantissa = mantissa;
          this.exponent = exponent;
          this.scale = exponent < 0 ? pow10(-exponent) / mantissa : 1;
          this.divisor = exponent < 0 ? 1 : mantissa * pow10(exponent);
          return;
        }
      }
    }
  }

  /** Indexes of the first and last non-empty bins (-1 when all are empty). */
  private used(): { lo: number; hi: number } {
    let lo = -1;
    let hi = -1;
    for (let i = 0; i < BINS; i++) {
      if ((this.counts[i] as number) > 0) {
        if (lo < 0) lo = i;
        hi = i;
      }
    }
    return { lo, hi };
  }

  /** Shifts the bins when the used ones and `key` fit in BINS, otherwise doubles the width. */
  private makeRoom(key: number): void {
    const { lo, hi } = this.used();
    if (lo >= 0 && Number.isFinite(key)) {
      const low = Math.min(this.origin + lo, key);
      const high = Math.max(this.origin + hi, key);
      const span = high - low + 1;
      if (span <= BINS) {
        const origin = low - Math.floor((BINS - span) / 2);
        const next = new Float64Array(BINS);
        for (let i = lo; i <= hi; i++) next[this.origin + i - origin] = this.counts[i] as number;
        this.counts = next;
        this.origin = origin;
        return;
      }
    }
    this.double();
  }

  /** Doubles the width: neighbouring pairs of bins merge (key → floor(key / 2), exact). */
  private double(): void {
    if (!Number.isNaN(this.origin)) {
      const origin = Math.floor(this.origin / 2);
      const next = new Float64Array(BINS);
      for (let i = 0; i < BINS; i++) {
        const index = Math.floor((this.origin + i) / 2) - origin;
        next[index] = (next[index] as number) + (this.counts[i] as number);
      }
      this.counts = next;
      this.origin = origin;
    }
    this.doublings++;
    if (this.divisor === 1) this.scale /= 2;
    else this.divisor *= 2;
    this.mantissa *= 2;
    if (this.mantissa % 10 === 0) {
      this.mantissa /= 10;
      this.exponent++;
    }
  }

  /** The lower edge of the bin with this key: the smallest double whose key is at least `key`. */
  private edge(key: number): number {
    const nice = this.exponent < 0 ? (key * this.mantissa) / pow10(-this.exponent) : key * this.mantissa * pow10(this.exponent);
    const reaches = (ordered: bigint) => this.keyOf(fromOrdered(ordered)) >= key;
    const start = toOrdered(Math.min(Math.max(nice, -Number.MAX_VALUE), Number.MAX_VALUE));
    let below: bigint;
    let above: bigint;
    let step = 1n;
    if (reaches(start)) {
      above = start;
      below = start - step;
      while (below >= -MAX_ORDERED && reaches(below)) {
        above = below;
        step *= 2n;
        below = above - step;
      }
      if (below < -MAX_ORDERED) {
        if (reaches(-MAX_ORDERED)) return -Number.MAX_VALUE;
        below = -MAX_ORDERED;
      }
    } else {
      below = start;
      above = start + step;
      while (above <= MAX_ORDERED && !reaches(above)) {
        below = above;
        step *= 2n;
        above = below + step;
      }
      if (above > MAX_ORDERED) {
        // Past the largest double: only the top edge of the last bin can be here, and it is closed.
        if (!reaches(MAX_ORDERED)) return Number.MAX_VALUE;
        above = MAX_ORDERED;
      }
    }
    while (above - below > 1n) {
      const middle = (above + below) / 2n;
      if (reaches(middle)) above = middle;
      else below = middle;
    }
    return fromOrdered(above);
  }
}

/** 10^n correctly rounded (Math.pow is not always). */
function pow10(n: number): number {
  return Number(`1e${n}`);
}

// Doubles as integers in the same order (-0 and 0 are both 0), to step by ulps.
const view = new DataView(new ArrayBuffer(8));
const SIGN = 1n << 63n;
const MAX_ORDERED = toOrdered(Number.MAX_VALUE);

function toOrdered(value: number): bigint {
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  return bits >= SIGN ? -(bits - SIGN) : bits;
}

function fromOrdered(ordered: bigint): number {
  view.setBigUint64(0, ordered < 0n ? -ordered + SIGN : ordered);
  return view.getFloat64(0);
}
