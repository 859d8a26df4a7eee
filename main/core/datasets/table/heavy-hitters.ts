import { copyBytes, cutAtChar, displayText, MAX_KEY_BYTES } from './utf8-bytes.ts';

/**
 * Frequent values with a fixed number of counters, keyed by a 64-bit hash: Misra–Gries over a
 * sample. A value that already has a counter is counted every time; of the values that do not,
 * one in SAMPLE (by position in the stream, so the result does not depend on chunking) takes
 * the Misra–Gries step: it gets a free counter, or every counter loses one and the empty ones
 * go. A count is therefore never more than the value's true count (it misses occurrences
 * before the value got its counter, and the decrements): a lower bound, close for values that
 * are frequent, and the caller marks it approximate. A stream of unique values costs one
 * index probe per value.
 *
 * Memory is fixed: the counters, a small index, and MAX_KEY_BYTES bytes per counter, into
 * which a value's first bytes are copied when it gets the counter (so nothing points into the
 * caller's chunks, and nothing is decoded until `top()`).
 */
const CAPACITY = 128;
const SLOTS = 512; // index size: a power of two, at most 1/4 full
const SAMPLE = 8; // a power of two

export interface CountedValue {
  value: string;
  count: number;
}

export class HeavyHitters {
  private size = 0;
  private misses = 0;
  private readonly lows = new Int32Array(CAPACITY);
  private readonly highs = new Int32Array(CAPACITY);
  private readonly counts = new Float64Array(CAPACITY);
  /** Each counter's value: its first bytes in `keys` at CAPACITY * i, how many, and whether cut. */
  private readonly keys = new Uint8Array(CAPACITY * MAX_KEY_BYTES);
  private readonly keyLengths = new Int32Array(CAPACITY);
  private readonly keyCut = new Uint8Array(CAPACITY);
  /** Seeded values come with their display text already made. */
  private readonly seeded: (string | null)[] = new Array<string | null>(CAPACITY).fill(null);
  /** slot → counter index + 1, 0 when empty. */
  private readonly index = new Int16Array(SLOTS);

  /** Start from exact counts (most frequent first); only the first CAPACITY are kept. */
  seed(low: number, high: number, value: string, count: number): void {
    if (this.size === CAPACITY) return;
    const i = this.size++;
    this.set(i, low, high, count);
    this.seeded[i] = value;
    this.place(i);
  }

  /** Runs for every value of an approximate column: kept small (see ColumnProfiler.addCell). */
  add(low: number, high: number, bytes: Uint8Array, start: number, end: number): void {
    const mask = SLOTS - 1;
    for (let slot = low & mask; ; slot = (slot + 1) & mask) {
      const entry = this.index[slot] as number;
      if (entry === 0) break;
      if (this.lows[entry - 1] === low && this.highs[entry - 1] === high) {
        this.counts[entry - 1] = (this.counts[entry - 1] as number) + 1;
        return;
      }
    }
    if ((++this.misses & (SAMPLE - 1)) === 0) this.sampled(low, high, bytes, start, end);
  }

  /** A sampled miss: the value takes a free counter, or every counter loses one. */
  private sampled(low: number, high: number, bytes: Uint8Array, start: number, end: number): void {
    if (this.size === CAPACITY) {
      this.decrementAll();
      return;
    }
    const i = this.size++;
    this.set(i, low, high, 1);
    const keyEnd = cutAtChar(bytes, start, end, MAX_KEY_BYTES);
    copyBytes(bytes, start, keyEnd, this.keys, i * MAX_KEY_BYTES);
    this.keyLengths[i] = keyEnd - start;
    this.keyCut[i] = keyEnd < end ? 1 : 0;
    this.seeded[i] = null;
    this.place(i);
  }

  /** The most frequent candidates, most frequent first (ties: earlier candidate first). */
  top(limit: number): CountedValue[] {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => (this.counts[b] as number) - (this.counts[a] as number) || a - b);
    return order.slice(0, limit).map((i) => ({ value: this.valueOf(i), count: this.counts[i] as number }));
  }

  private valueOf(i: number): string {
    const start = i * MAX_KEY_BYTES;
    return this.seeded[i] ?? displayText(this.keys, start, start + (this.keyLengths[i] as number), this.keyCut[i] === 1);
  }

  private set(i: number, low: number, high: number, count: number): void {
    this.lows[i] = low;
    this.highs[i] = high;
    this.counts[i] = count;
  }

  private place(i: number): void {
    const mask = SLOTS - 1;
    let slot = (this.lows[i] as number) & mask;
    while (this.index[slot] !== 0) slot = (slot + 1) & mask;
    this.index[slot] = i + 1;
  }

  /** The Misra–Gries step: every counter loses one (as does the new value); empty ones go. */
  private decrementAll(): void {
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      const count = (this.counts[i] as number) - 1;
      if (count === 0) continue;
      if (kept !== i) {
        this.set(kept, this.lows[i] as number, this.highs[i] as number, count);
        this.keys.copyWithin(kept * MAX_KEY_BYTES, i * MAX_KEY_BYTES, i * MAX_KEY_BYTES + (this.keyLengths[i] as number));
        this.keyLengths[kept] = this.keyLengths[i] as number;
        this.keyCut[kept] = this.keyCut[i] as number;
        this.seeded[kept] = this.seeded[i] ?? null;
      } else {
        this.counts[i] = count;
      }
      kept++;
    }
    for (let i = kept; i < this.size; i++) this.seeded[i] = null;
    this.size = kept;
    this.index.fill(0);
    for (let i = 0; i < kept; i++) this.place(i);
  }
}
