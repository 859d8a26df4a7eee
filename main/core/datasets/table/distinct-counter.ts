import { finishHigh, finishLow } from './byte-hash.ts';
import { HeavyHitters, type CountedValue } from './heavy-hitters.ts';
import { HyperLogLog } from './hyper-log-log.ts';
import { copyBytes, cutAtChar, displayText, MAX_KEY_BYTES } from './utf8-bytes.ts';

/** Distinct values counted exactly per column; past this the counter switches to sketches. */
export const EXACT_DISTINCT_LIMIT = 10_000;
/** How many most frequent values a profile lists. */
export const TOP_VALUES = 10;

// An entry of the exact table: ENTRY numbers in `entries` (8 doubles: one 64-byte cache line).
const ENTRY = 8;
const HIGH = 0; // the raw high hash lane
const LENGTH = 1; // the value's full byte length
const KEY_START = 2; // where its kept bytes start in the pool
const KEY_LENGTH = 3; // how many bytes are kept (at most MAX_KEY_BYTES)
const WORD0 = 4; // bytes 0-3 of the value, little-endian (so short values need no pool access)
const WORD1 = 5; // bytes 4-7
const COUNT = 6;

/**
 * Counts distinct values and the most frequent ones, in bounded memory, over byte ranges.
 *
 * Exact phase: an open-addressing table keyed by the 64-bit hash and confirmed by comparing
 * bytes, so `distinct` and `top` are exact. A key keeps at most MAX_KEY_BYTES bytes: longer
 * values are told apart by their full hash and length (a false match needs a 64-bit collision).
 * At EXACT_DISTINCT_LIMIT + 1 distinct values the table is replaced by HyperLogLog (distinct)
 * and Misra–Gries (top), seeded from the exact counts, and results become approximate.
 * Memory: at most 10,000 keys of 256 bytes plus ~1 MiB of table, then ~20 KiB.
 *
 * Values arrive with the raw hash lanes of byte-hash (the CSV tokenizer computes them while
 * scanning). The table is laid out for few cache misses per lookup: a slot holds the entry and
 * the low lane together; an entry (high lane, length, count, and the value's first 8 bytes,
 * so short values are compared without reading the pool) fills one cache line.
 */
export class DistinctCounter {
  private total = 0;
  private size = 0;
  /** Per slot: [entry index + 1 (0 = empty), raw low lane]. */
  private slots = new Int32Array(2 * 64);
  private entries = new Float64Array(ENTRY * 32);
  private capacity = 32;
  private pool = new Uint8Array(1024);
  private poolUsed = 0;
  private hll: HyperLogLog | null = null;
  private heavy: HeavyHitters | null = null;

  /**
   * A value bytes[start, end) with its raw hash lanes. Runs for every value, inlined into the
   * tokenizer's loop: the common paths are kept small and the rare ones are methods.
   */
  add(bytes: Uint8Array, start: number, end: number, rawLow: number, rawHigh: number): void {
    this.total++;
    if (this.hll !== null) {
      this.addToSketches(bytes, start, end, rawLow, rawHigh);
      return;
    }
    // Identity needs no mixing: the table keeps the raw lanes and mixes just enough for a slot.
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let slot = (rawLow ^ (rawLow >>> 15) ^ (rawHigh >>> 7)) & mask;
    for (;;) {
      const entry = slots[2 * slot] as number;
      if (entry === 0) break;
      if (slots[2 * slot + 1] === rawLow && this.matches(ENTRY * (entry - 1), bytes, start, end, rawHigh)) {
        this.entries[ENTRY * (entry - 1) + COUNT] = (this.entries[ENTRY * (entry - 1) + COUNT] as number) + 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.addNew(slot, bytes, start, end, rawLow, rawHigh);
  }

  /** add() for values[from, to): bytes[starts[j], ends[j]) with raw lanes lows[j], highs[j]. */
  addMany(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, lows: Int32Array, highs: Int32Array, from: number, to: number): void {
    let j = from;
    if (this.hll === null) j = this.addManyExact(bytes, starts, ends, lows, highs, from, to);
    this.total += j - from;
    for (; j < to; j++) {
      this.total++;
      this.addToSketches(bytes, starts[j] as number, ends[j] as number, lows[j] as number, highs[j] as number);
    }
  }

  /** The exact phase of addMany: returns where it stopped (the end, or past the switch to sketches). */
  private addManyExact(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, lows: Int32Array, highs: Int32Array, from: number, to: number): number {
    let slots = this.slots;
    let entries = this.entries;
    let mask = (slots.length >> 1) - 1;
    outer: for (let j = from; j < to; j++) {
      const start = starts[j] as number;
      const end = ends[j] as number;
      const rawLow = lows[j] as number;
      const rawHigh = highs[j] as number;
      let slot = (rawLow ^ (rawLow >>> 15) ^ (rawHigh >>> 7)) & mask;
      for (;;) {
        const entry = slots[2 * slot] as number;
        if (entry === 0) break;
        if (slots[2 * slot + 1] === rawLow && this.matches(ENTRY * (entry - 1), bytes, start, end, rawHigh)) {
          entries[ENTRY * (entry - 1) + COUNT] = (entries[ENTRY * (entry - 1) + COUNT] as number) + 1;
          continue outer;
        }
        slot = (slot + 1) & mask;
      }
      if (this.size === EXACT_DISTINCT_LIMIT) {
        this.switchToSketches();
        this.addToSketches(bytes, start, end, rawLow, rawHigh);
        return j + 1;
      }
      this.insert(slot, rawLow, rawHigh, bytes, start, end);
      slots = this.slots;
      entries = this.entries;
      mask = (slots.length >> 1) - 1;
    }
    return to;
  }

  private addToSketches(bytes: Uint8Array, start: number, end: number, rawLow: number, rawHigh: number): void {
    const low = finishLow(rawLow, rawHigh, end - start);
    const high = finishHigh(rawLow, rawHigh);
    (this.hll as HyperLogLog).add(low, high);
    (this.heavy as HeavyHitters).add(low, high, bytes, start, end);
  }

  /** A value the table does not have yet (the free slot is known). */
  private addNew(slot: number, bytes: Uint8Array, start: number, end: number, rawLow: number, rawHigh: number): void {
    if (this.size === EXACT_DISTINCT_LIMIT) {
      this.switchToSketches();
      this.addToSketches(bytes, start, end, rawLow, rawHigh);
      return;
    }
    this.insert(slot, rawLow, rawHigh, bytes, start, end);
  }

  get approximate(): boolean {
    return this.hll !== null;
  }

  get distinct(): number {
    if (this.hll === null) return this.size;
    // More than the limit for certain, and never more than the values seen.
    return Math.min(this.total, Math.max(EXACT_DISTINCT_LIMIT + 1, this.hll.estimate()));
  }

  /** The most frequent values, most frequent first (ties: first seen first). */
  top(limit = TOP_VALUES): CountedValue[] {
    if (this.heavy !== null) return this.heavy.top(limit);
    return this.exactOrder()
      .slice(0, limit)
      .map((i) => ({ value: this.displayKey(i), count: this.countOf(i) }));
  }

  private countOf(i: number): number {
    return this.entries[ENTRY * i + COUNT] as number;
  }

  /** Whether the entry at `at` holds bytes[start, end): high lane, length, then the bytes. */
  private matches(at: number, bytes: Uint8Array, start: number, end: number, rawHigh: number): boolean {
    const entries = this.entries;
    return entries[at + HIGH] === rawHigh && entries[at + LENGTH] === end - start && word(bytes, start, end) === entries[at + WORD0] && (end - start <= 4 || this.matchesRest(at, bytes, start, end));
  }

  /** Bytes 4 and on: the second word, then (past 8 bytes) the pool. */
  private matchesRest(at: number, bytes: Uint8Array, start: number, end: number): boolean {
    if (word(bytes, start + 4, end) !== this.entries[at + WORD1]) return false;
    const kept = this.entries[at + KEY_LENGTH] as number;
    const pool = this.pool;
    const from = (this.entries[at + KEY_START] as number) - start;
    for (let k = start + 8; k < start + kept; k++) if (pool[from + k] !== bytes[k]) return false;
    return true;
  }

  private insert(slot: number, rawLow: number, rawHigh: number, bytes: Uint8Array, start: number, end: number): void {
    const i = this.size++;
    if (i === this.capacity) this.growEntries();
    const keyEnd = end - start > MAX_KEY_BYTES ? cutAtChar(bytes, start, end, MAX_KEY_BYTES) : end;
    const keyLength = keyEnd - start;
    if (this.poolUsed + keyLength > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + keyLength));
      pool.set(this.pool.subarray(0, this.poolUsed));
      this.pool = pool;
    }
    copyBytes(bytes, start, keyEnd, this.pool, this.poolUsed);
    const at = ENTRY * i;
    const length = end - start;
    this.entries[at + HIGH] = rawHigh;
    this.entries[at + LENGTH] = length;
    this.entries[at + KEY_START] = this.poolUsed;
    this.entries[at + KEY_LENGTH] = keyLength;
    this.entries[at + WORD0] = word(bytes, start, end);
    this.entries[at + WORD1] = length > 4 ? word(bytes, start + 4, end) : 0;
    this.entries[at + COUNT] = 1;
    this.poolUsed += keyLength;
    this.slots[2 * slot] = i + 1;
    this.slots[2 * slot + 1] = rawLow;
    if (this.size * 4 > this.slots.length) this.growSlots();
  }

  /** Entry indexes, most frequent first, ties in order of first appearance. */
  private exactOrder(): number[] {
    const order = Array.from({ length: this.size }, (_, i) => i);
    return order.sort((a, b) => this.countOf(b) - this.countOf(a) || a - b);
  }

  private displayKey(i: number): string {
    const at = ENTRY * i;
    const start = this.entries[at + KEY_START] as number;
    const kept = this.entries[at + KEY_LENGTH] as number;
    return displayText(this.pool, start, start + kept, (this.entries[at + LENGTH] as number) > kept);
  }

  /** The raw low lane of every entry, from the slots. */
  private rawLows(): Int32Array {
    const lows = new Int32Array(this.size);
    for (let slot = 0; slot < this.slots.length; slot += 2) {
      const entry = this.slots[slot] as number;
      if (entry !== 0) lows[entry - 1] = this.slots[slot + 1] as number;
    }
    return lows;
  }

  private switchToSketches(): void {
    const hll = new HyperLogLog();
    const heavy = new HeavyHitters();
    const lows = this.rawLows();
    const finished = (i: number): [number, number] => {
      const rawLow = lows[i] as number;
      const rawHigh = this.entries[ENTRY * i + HIGH] as number;
      return [finishLow(rawLow, rawHigh, this.entries[ENTRY * i + LENGTH] as number), finishHigh(rawLow, rawHigh)];
    };
    for (let i = 0; i < this.size; i++) hll.add(...finished(i));
    for (const i of this.exactOrder()) heavy.seed(...finished(i), this.displayKey(i), this.countOf(i));
    this.hll = hll;
    this.heavy = heavy;
    this.slots = new Int32Array(0);
    this.entries = new Float64Array(0);
    this.pool = new Uint8Array(0);
    this.poolUsed = 0;
  }

  private growEntries(): void {
    this.capacity = Math.min(this.capacity * 2, EXACT_DISTINCT_LIMIT);
    const entries = new Float64Array(ENTRY * this.capacity);
    entries.set(this.entries);
    this.entries = entries;
  }

  /** Doubles the slots (kept at most half full, to keep probes short). */
  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = (slots.length >> 1) - 1;
    const lows = this.rawLows();
    for (let i = 0; i < this.size; i++) {
      const rawLow = lows[i] as number;
      let slot = slotOf(rawLow, this.entries[ENTRY * i + HIGH] as number, mask);
      while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = i + 1;
      slots[2 * slot + 1] = rawLow;
    }
    this.slots = slots;
  }
}

/** The first 4 bytes of bytes[start, end) (fewer if it is shorter) as a little-endian int32. */
function word(bytes: Uint8Array, start: number, end: number): number {
  if (end - start >= 4) return (bytes[start] as number) | ((bytes[start + 1] as number) << 8) | ((bytes[start + 2] as number) << 16) | ((bytes[start + 3] as number) << 24);
  let value = 0;
  for (let k = end - 1; k >= start; k--) value = (value << 8) | (bytes[k] as number);
  return value;
}

/** A slot for the raw lanes: their low bits alone spread poorly, so fold in higher bits. */
function slotOf(rawLow: number, rawHigh: number, mask: number): number {
  return (rawLow ^ (rawLow >>> 15) ^ (rawHigh >>> 7)) & mask;
}
