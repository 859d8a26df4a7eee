import { finishHigh, finishLow } from './byte-hash.ts';
import { HEAVY_HITTER_COUNTERS, HeavyHitters, type CountedValue, type HeavyHittersState } from './heavy-hitters.ts';
import { HyperLogLog } from './hyper-log-log.ts';
import { copyBytes, cutAtChar, displayText, MAX_KEY_BYTES } from './utf8-bytes.ts';

/** Distinct values counted exactly per column; past this the counter switches to sketches. */
export const EXACT_DISTINCT_LIMIT = 10_000;
/** How many most frequent values a profile lists. */
export const TOP_VALUES = 10;

// A slot of the exact table: SLOT int32s (16 bytes) in `slots`. A value of up to 8 bytes is
// found, confirmed and counted in its slot alone (its length and bytes are all there).
const SLOT = 4;
const TAG = 0; // entry index + 1 (0 = empty) | the length class << 16
const COUNT = 1; // the count, less what has been moved to `spilled`
const BYTES0 = 2; // bytes 0-3 of the value, little-endian (fewer, for shorter values)
const BYTES1 = 3; // bytes 4-7
/** Length classes: 0-8 are the length itself; LONG is any value over 8 bytes. */
const LONG = 9;
const CLASS_SHIFT = 16;
const ENTRY_MASK = 0xffff;
/** Slots in a new table: 16 (and 8 entries), 768 bytes, doubling as values come. */
const INITIAL_SLOTS = 16;
/** Slot counts move to `spilled` every SPILL values, so their int32s never overflow. */
const SPILL = 2 ** 30;
// An entry (confirms values over 8 bytes; keeps what the profile shows): ENTRY int32s.
const ENTRY = 8;
const LOW = 0; // the raw low hash lane
const HIGH = 1; // the raw high hash lane
const LENGTH = 2; // the value's full byte length
const KEY_START = 3; // where its kept bytes start in the pool
const KEY_LENGTH = 4; // how many bytes are kept (at most MAX_KEY_BYTES)
const BYTES2 = 5; // bytes 8-11
const BYTES3 = 6; // bytes 12-15

/**
 * A counter as plain data, to send between threads and merge: its exact table (entries in the
 * order values first came, ENTRY int32s each with KEY_START into `pool`, and their counts), or
 * its sketches.
 */
export interface DistinctState {
  total: number;
  exact: { size: number; entries: Int32Array; counts: Float64Array; pool: Uint8Array } | null;
  hll: Uint8Array | null;
  heavy: HeavyHittersState | null;
}

/**
 * Counts distinct values and the most frequent ones, in bounded memory, over byte ranges.
 *
 * Exact phase: an open-addressing table keyed by the 64-bit hash and confirmed by comparing
 * bytes, so `distinct` and `top` are exact. A key keeps at most MAX_KEY_BYTES bytes: longer
 * values are told apart by their full hash and length (a false match needs a 64-bit collision).
 * At EXACT_DISTINCT_LIMIT + 1 distinct values the table is replaced by HyperLogLog (distinct)
 * and Space-Saving (top, heavy-hitters.ts), seeded with every exact count, and results become
 * approximate: each top value then carries its error bound.
 * Memory: at most 10,000 keys of 256 bytes plus ~0.9 MiB of table, then ~0.6 MiB plus the
 * kept keys.
 *
 * Values arrive with the raw hash lanes of byte-hash (the CSV tokenizer computes them while
 * scanning). The table is laid out for few cache misses per lookup (in profiles, its loads
 * were most of its cost): a slot (16 bytes) holds the entry, the value's length class, its
 * first 8 bytes and its count, so a value of up to 8 bytes is found, confirmed and counted in
 * one slot. A longer value also reads its entry (hash lanes, length and bytes 8-15: 32 bytes),
 * and only past 16 bytes the pool. Measured on the import benchmark's CSV (200 MB, 8 columns):
 * the whole scan ~7% faster than with the entry (64 bytes) read for every value.
 */
export class DistinctCounter {
  private total = 0;
  private size = 0;
  /**
   * The slots (SLOT int32s each) and after them, from `entryBase`, the entries (ENTRY int32s
   * each): one array, grown together, since a table is allocated for every column and a wide
   * file has thousands. The slots are kept at most half full, so there are half as many entries.
   */
  private table: Int32Array = new Int32Array(INITIAL_SLOTS * (SLOT + ENTRY / 2));
  private entryBase = INITIAL_SLOTS * SLOT;
  /** Per entry: counts moved out of its slot (in steps of SPILL); made on the first spill. */
  private spilled: Float64Array | null = null;
  /** When `total` reaches this, slot counts move to `spilled`. */
  private spillAt = SPILL;
  private pool = new Uint8Array(64);
  private poolUsed = 0;
  private hll: HyperLogLog | null = null;
  private heavy: HeavyHitters | null = null;

  /**
   * A value bytes[start, end) with its raw hash lanes. Runs for every value, inlined into the
   * tokenizer's loop: the common paths are kept small and the rare ones are methods.
   */
  add(bytes: Uint8Array, start: number, end: number, rawLow: number, rawHigh: number): void {
    if (++this.total >= this.spillAt) this.spillAll();
    if (this.hll !== null) {
      this.addToSketches(bytes, start, end, rawLow, rawHigh);
      return;
    }
    // Identity is the bytes (the first 8 in the slot, and past that the entry); the raw hash
    // lanes only place the value, mixed just enough for a slot.
    const slots = this.table;
    const length = end - start;
    const tag = (length > 8 ? LONG : length) << CLASS_SHIFT;
    const bytes0 = word(bytes, start, end);
    const bytes1 = length > 4 ? word(bytes, start + 4, end) : 0;
    const wrap = this.entryBase - 1;
    let at = SLOT * slotOf(rawLow, rawHigh, wrap >> 2);
    for (;;) {
      const found = slots[at + TAG] as number;
      if (found === 0) break;
      if ((found & ~ENTRY_MASK) === tag && slots[at + BYTES0] === bytes0 && slots[at + BYTES1] === bytes1 && (length <= 8 || this.matchesLong(found, bytes, start, end, rawLow, rawHigh))) {
        slots[at + COUNT] = (slots[at + COUNT] as number) + 1;
        return;
      }
      at = (at + SLOT) & wrap;
    }
    this.addNew(at / SLOT, bytes, start, end, rawLow, rawHigh);
  }

  /**
   * Moves every slot's count to `spilled` (run once per SPILL values, so a slot's int32 count,
   * which grows by at most one per value, never overflows).
   */
  private spillAll(): void {
    const slots = this.table;
    const spilled = this.spilled ?? (this.spilled = new Float64Array(EXACT_DISTINCT_LIMIT));
    for (let at = 0; at < this.entryBase; at += SLOT) {
      const tag = slots[at + TAG] as number;
      if (tag === 0) continue;
      const entry = (tag & ENTRY_MASK) - 1;
      spilled[entry] = (spilled[entry] as number) + (slots[at + COUNT] as number);
      slots[at + COUNT] = 0;
    }
    this.spillAt = this.total + SPILL;
  }

  /**
   * Whether the entry of a slot (its tag) holds bytes[start, end), a value over 8 bytes whose
   * first 8 bytes already matched: the hash lanes, the length, bytes 8-15, then the pool.
   */
  private matchesLong(tag: number, bytes: Uint8Array, start: number, end: number, rawLow: number, rawHigh: number, length = end - start): boolean {
    const entries = this.table;
    const at = this.entryBase + ENTRY * ((tag & ENTRY_MASK) - 1);
    if (entries[at + LOW] !== rawLow || entries[at + HIGH] !== rawHigh || entries[at + LENGTH] !== length) return false;
    if (word(bytes, start + 8, end) !== entries[at + BYTES2]) return false;
    if (length <= 12) return true;
    if (word(bytes, start + 12, end) !== entries[at + BYTES3]) return false;
    const kept = entries[at + KEY_LENGTH] as number;
    const pool = this.pool;
    const from = (entries[at + KEY_START] as number) - start;
    for (let k = start + 16; k < start + kept; k++) if (pool[from + k] !== bytes[k]) return false;
    return true;
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
    this.insert(slot, rawLow, rawHigh, bytes, start, end - start > MAX_KEY_BYTES ? cutAtChar(bytes, start, end, MAX_KEY_BYTES) : end, end - start);
  }

  state(): DistinctState {
    if (this.hll !== null) return { total: this.total, exact: null, hll: this.hll.state(), heavy: (this.heavy as HeavyHitters).state() };
    const base = this.entryBase;
    return {
      total: this.total,
      exact: { size: this.size, entries: this.table.slice(base, base + ENTRY * this.size), counts: this.counts(), pool: this.pool.slice(0, this.poolUsed) },
      hll: null,
      heavy: null,
    };
  }

  /**
   * Adds the counts of a later part of the column. Exact parts add up exactly while the values
   * they hold together stay within EXACT_DISTINCT_LIMIT, in the order values first came;
   * otherwise the sketches merge (HyperLogLog's union is exact; heavy-hitters.ts keeps every
   * bound). The same parts merged in the same order always give the same counter.
   */
  merge(part: DistinctState): void {
    this.total += part.total;
    const exact = part.exact;
    if (exact !== null) {
      let i = 0;
      if (this.hll === null) {
        for (; i < exact.size; i++) {
          const at = ENTRY * i;
          const start = exact.entries[at + KEY_START] as number;
          const added = this.addCounted(exact.pool, start, start + (exact.entries[at + KEY_LENGTH] as number), exact.entries[at + LENGTH] as number, exact.entries[at + LOW] as number, exact.entries[at + HIGH] as number, exact.counts[i] as number);
          if (!added) break;
        }
        if (i === exact.size) return;
        this.switchToSketches();
      }
      const hll = this.hll as HyperLogLog;
      const rest = exact.size - i;
      const meta = new Int32Array(4 * rest);
      const counts = new Float64Array(2 * rest);
      let total = 0;
      for (let k = 0; k < rest; k++) {
        const at = ENTRY * (i + k);
        const rawLow = exact.entries[at + LOW] as number;
        const rawHigh = exact.entries[at + HIGH] as number;
        const length = exact.entries[at + LENGTH] as number;
        const kept = exact.entries[at + KEY_LENGTH] as number;
        const low = finishLow(rawLow, rawHigh, length);
        const high = finishHigh(rawLow, rawHigh);
        hll.add(low, high);
        meta.set([low, high, exact.entries[at + KEY_START] as number, kept | (length > kept ? 1 << 16 : 0)], 4 * k);
        counts[2 * k] = exact.counts[i + k] as number;
        total += exact.counts[i + k] as number;
      }
      (this.heavy as HeavyHitters).merge({ total, size: rest, meta, counts, keys: exact.pool, filter: null });
      return;
    }
    if (this.hll === null) this.switchToSketches();
    (this.hll as HyperLogLog).merge(part.hll as Uint8Array);
    (this.heavy as HeavyHitters).merge(part.heavy as HeavyHittersState);
  }

  /**
   * Adds `count` occurrences of a value (its kept bytes[start, keyEnd), its full `length` and
   * raw hash lanes) to the exact table; false, adding nothing, when it is new and the table is full.
   */
  private addCounted(bytes: Uint8Array, start: number, keyEnd: number, length: number, rawLow: number, rawHigh: number, count: number): boolean {
    const slots = this.table;
    const tag = (length > 8 ? LONG : length) << CLASS_SHIFT;
    const bytes0 = word(bytes, start, keyEnd);
    const bytes1 = length > 4 ? word(bytes, start + 4, keyEnd) : 0;
    const wrap = this.entryBase - 1;
    let at = SLOT * slotOf(rawLow, rawHigh, wrap >> 2);
    for (;;) {
      const found = slots[at + TAG] as number;
      if (found === 0) break;
      if ((found & ~ENTRY_MASK) === tag && slots[at + BYTES0] === bytes0 && slots[at + BYTES1] === bytes1) {
        if (length <= 8 || this.matchesLong(found, bytes, start, keyEnd, rawLow, rawHigh, length)) {
          this.addSpilled((found & ENTRY_MASK) - 1, count);
          return true;
        }
      }
      at = (at + SLOT) & wrap;
    }
    if (this.size === EXACT_DISTINCT_LIMIT) return false;
    const i = this.size;
    this.insert(at / SLOT, rawLow, rawHigh, bytes, start, keyEnd, length);
    this.table[SLOT * this.slotOfEntry(i) + COUNT] = 0;
    this.addSpilled(i, count);
    return true;
  }

  private addSpilled(entry: number, count: number): void {
    const spilled = this.spilled ?? (this.spilled = new Float64Array(EXACT_DISTINCT_LIMIT));
    spilled[entry] = (spilled[entry] as number) + count;
  }

  /** The slot that holds entry i. */
  private slotOfEntry(i: number): number {
    const table = this.table;
    const at = this.entryBase + ENTRY * i;
    const mask = this.entryBase / SLOT - 1;
    let slot = slotOf(table[at + LOW] as number, table[at + HIGH] as number, mask);
    while (((table[SLOT * slot + TAG] as number) & ENTRY_MASK) !== i + 1) slot = (slot + 1) & mask;
    return slot;
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
    const counts = this.counts();
    return this.exactOrder(counts)
      .slice(0, limit)
      .map((i) => ({ value: this.displayKey(i), count: counts[i] as number }));
  }

  /** Every entry's count. */
  private counts(): Float64Array {
    const counts = this.spilled === null ? new Float64Array(this.size) : this.spilled.slice(0, this.size);
    const slots = this.table;
    for (let at = 0; at < this.entryBase; at += SLOT) {
      const tag = slots[at + TAG] as number;
      if (tag === 0) continue;
      const entry = (tag & ENTRY_MASK) - 1;
      counts[entry] = (counts[entry] as number) + (slots[at + COUNT] as number);
    }
    return counts;
  }

  /** A new entry in a free slot: its kept bytes[start, keyEnd) and its full `length`. */
  private insert(slot: number, rawLow: number, rawHigh: number, bytes: Uint8Array, start: number, keyEnd: number, length: number): void {
    const i = this.size++;
    const keyLength = keyEnd - start;
    if (this.poolUsed + keyLength > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + keyLength));
      pool.set(this.pool.subarray(0, this.poolUsed));
      this.pool = pool;
    }
    copyBytes(bytes, start, keyEnd, this.pool, this.poolUsed);
    const table = this.table;
    const at = this.entryBase + ENTRY * i;
    const end = keyEnd;
    table[at + LOW] = rawLow;
    table[at + HIGH] = rawHigh;
    table[at + LENGTH] = length;
    table[at + KEY_START] = this.poolUsed;
    table[at + KEY_LENGTH] = keyLength;
    table[at + BYTES2] = length > 8 ? word(bytes, start + 8, end) : 0;
    table[at + BYTES3] = length > 12 ? word(bytes, start + 12, end) : 0;
    this.poolUsed += keyLength;
    const slotAt = SLOT * slot;
    table[slotAt + TAG] = (i + 1) | ((length > 8 ? LONG : length) << CLASS_SHIFT);
    table[slotAt + COUNT] = 1;
    table[slotAt + BYTES0] = word(bytes, start, end);
    table[slotAt + BYTES1] = length > 4 ? word(bytes, start + 4, end) : 0;
    if (this.size * 2 * SLOT >= this.entryBase) this.grow();
  }

  /** Entry indexes, most frequent first, ties in order of first appearance. */
  private exactOrder(counts: Float64Array): number[] {
    const order = Array.from({ length: this.size }, (_, i) => i);
    return order.sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
  }

  private displayKey(i: number): string {
    const at = this.entryBase + ENTRY * i;
    const start = this.table[at + KEY_START] as number;
    const kept = this.table[at + KEY_LENGTH] as number;
    return displayText(this.pool, start, start + kept, (this.table[at + LENGTH] as number) > kept);
  }

  private switchToSketches(): void {
    const hll = new HyperLogLog();
    const heavy = new HeavyHitters();
    const counts = this.counts();
    const table = this.table;
    const finished = (i: number): [number, number] => {
      const at = this.entryBase + ENTRY * i;
      const rawLow = table[at + LOW] as number;
      const rawHigh = table[at + HIGH] as number;
      return [finishLow(rawLow, rawHigh, table[at + LENGTH] as number), finishHigh(rawLow, rawHigh)];
    };
    for (let i = 0; i < this.size; i++) hll.add(...finished(i));
    // The summary keeps the largest counts (ties: first seen); the rest leave their counts in its
    // filter. Found by the count the largest ones reach, not by sorting every entry.
    const sorted = counts.slice().sort();
    const threshold = sorted.length > HEAVY_HITTER_COUNTERS ? (sorted[sorted.length - HEAVY_HITTER_COUNTERS] as number) : 0;
    let quota = HEAVY_HITTER_COUNTERS;
    for (let i = 0; i < this.size; i++) if ((counts[i] as number) > threshold) quota--;
    const seed = (i: number) => {
      const at = this.entryBase + ENTRY * i;
      const start = table[at + KEY_START] as number;
      const kept = table[at + KEY_LENGTH] as number;
      heavy.seed(...finished(i), this.pool, start, start + kept, (table[at + LENGTH] as number) > kept, counts[i] as number);
    };
    const seeded = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const count = counts[i] as number;
      if (count > threshold || (count === threshold && quota-- > 0)) {
        seeded[i] = 1;
        seed(i);
      }
    }
    for (let i = 0; i < this.size; i++) if (seeded[i] === 0) seed(i);
    this.hll = hll;
    this.heavy = heavy;
    giveTable(this.table);
    this.table = new Int32Array(0);
    this.entryBase = 0;
    this.spilled = null;
    this.pool = new Uint8Array(0);
    this.poolUsed = 0;
  }

  /**
   * More slots (kept at most half full, to keep probes short), and room for entries with them:
   * four times as many while the table is small (fewer allocations for the many small columns
   * of a wide file), then twice.
   */
  private grow(): void {
    const old = this.table;
    const oldBase = this.entryBase;
    const slotCount = ((oldBase < SLOT * 1024 ? 4 : 2) * oldBase) / SLOT;
    const table = takeTable(slotCount * (SLOT + ENTRY / 2));
    const base = slotCount * SLOT;
    table.set(old.subarray(oldBase, oldBase + ENTRY * this.size), base);
    const mask = slotCount - 1;
    for (let from = 0; from < oldBase; from += SLOT) {
      const tag = old[from + TAG] as number;
      if (tag === 0) continue;
      const at = base + ENTRY * ((tag & ENTRY_MASK) - 1);
      let slot = slotOf(table[at + LOW] as number, table[at + HIGH] as number, mask);
      while (table[SLOT * slot + TAG] !== 0) slot = (slot + 1) & mask;
      // Field by field: a subarray per slot would allocate, and a wide file grows many tables.
      const to = SLOT * slot;
      table[to + TAG] = tag;
      table[to + COUNT] = old[from + COUNT] as number;
      table[to + BYTES0] = old[from + BYTES0] as number;
      table[to + BYTES1] = old[from + BYTES1] as number;
    }
    giveTable(old);
    this.table = table;
    this.entryBase = base;
  }
}

/**
 * Tables a counter let go of (it grew, or switched to sketches), by length, for the next to use:
 * a thread reads segment after segment, and each grows its tables the same way, so the same
 * sizes come back. (Fresh memory costs a page fault per 4 KiB on first touch.) Only tables of
 * 16 KiB and more, at most a few of each size.
 */
const spareTables = new Map<number, Int32Array[]>();
const SPARES_PER_SIZE = 4;

function takeTable(length: number): Int32Array {
  const table = spareTables.get(length)?.pop();
  if (table === undefined) return new Int32Array(length);
  table.fill(0);
  return table;
}

function giveTable(table: Int32Array): void {
  if (table.length < 4096) return;
  const spares = spareTables.get(table.length) ?? [];
  if (spares.length < SPARES_PER_SIZE) spares.push(table);
  spareTables.set(table.length, spares);
}

/** The first 4 bytes of bytes[start, end) (fewer if it is shorter) as a little-endian int32. */
function word(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length >= 4) return (bytes[start] as number) | ((bytes[start + 1] as number) << 8) | ((bytes[start + 2] as number) << 16) | ((bytes[start + 3] as number) << 24);
  // No loop: its exit is a branch that mispredicts when lengths vary.
  if (length === 3) return (bytes[start] as number) | ((bytes[start + 1] as number) << 8) | ((bytes[start + 2] as number) << 16);
  if (length === 2) return (bytes[start] as number) | ((bytes[start + 1] as number) << 8);
  return length === 1 ? (bytes[start] as number) : 0;
}

/** A slot for the raw lanes: their low bits alone spread poorly, so fold in higher bits. */
function slotOf(rawLow: number, rawHigh: number, mask: number): number {
  return (rawLow ^ (rawLow >>> 15) ^ (rawHigh >>> 7)) & mask;
}
