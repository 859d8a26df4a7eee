import { copyBytes, cutAtChar, displayText, MAX_KEY_BYTES } from './utf8-bytes.ts';

/**
 * Frequent values in fixed memory: Filtered Space-Saving (Homem & Carvalho 2010), COUNTERS
 * counters keyed by a 64-bit hash behind a filter of FILTER_BUCKETS small counts. Every value
 * is counted; none is sampled.
 *
 * A value with a counter adds one to it. A value without one adds one to its filter bucket
 * (a count of the occurrences of untracked values hashed there), unless that would reach the
 * smallest counter's count m: then it takes that counter, with count bucket + 1 and error
 * bucket (it may have occurred that often while untracked), and the value it displaces leaves
 * its count in its own bucket. So for every counter, count - error <= true count <= count; a
 * value without a counter occurred at most as often as its bucket says, which is at most m;
 * and m <= n / COUNTERS, because the counts never sum to more than n, the values added. Hence
 * every value occurring more than n / COUNTERS times has a counter, and no estimate is off by
 * more than n / COUNTERS. In practice far less: the filter keeps m near n / FILTER_BUCKETS.
 *
 * The cost is what keeps it on the scanner's path: most values without a counter (in a column
 * of ids, nearly all values) only add one to a bucket. The smallest count only grows, so a
 * cursor that sweeps the counters finds one at m in amortised O(1): each full sweep that finds
 * none raises m, which reaches at most n / COUNTERS. A value that takes a counter has its first
 * bytes copied then (so nothing points into the caller's chunks, and nothing is decoded until
 * `top()`).
 *
 * Memory is fixed apart from the kept bytes: 128 KiB of filter and ~50 KiB of counters and
 * index, plus up to MAX_KEY_BYTES per counter, in two arenas with room to spare.
 */
export const HEAVY_HITTER_COUNTERS = 1024;
const FILTER_BUCKETS = 32_768; // a power of two
const BUCKET_MASK = FILTER_BUCKETS - 1;

// A counter's fields in `meta` (META int32s each).
const META = 4;
const LOW = 0; // the finished hash lanes of its value
const HIGH = 1;
const KEY_START = 2; // where its kept bytes are in the arena
const KEY_INFO = 3; // how many bytes are kept | CUT when the value is longer
const CUT = 1 << 16;
const LENGTH_MASK = CUT - 1;

// An index slot: the low 16 bits of the value's low lane (a check that spares most reads of
// `meta`) << 16 | counter index + 1; 0 when empty. The index has at least 3 slots per counter.
// A counter that changes value leaves its old slot behind, stale (the check no longer matches
// the counter's value, so lookups pass over it); once there are as many stale slots as
// counters, the index is rebuilt, so it is never more than 2/3 full.
const ENTRY_BITS = 0xffff;
const MAX_SLOTS = 1 << 16;

/**
 * A summary as plain data, to send between threads and merge: `meta` and `counts` as in the
 * class (META and 2 numbers per counter, keys compacted into `keys`), and the filter (null for
 * a summary made of exact counts, where a value without a counter occurred 0 times).
 */
export interface HeavyHittersState {
  total: number;
  size: number;
  meta: Int32Array;
  counts: Float64Array;
  keys: Uint8Array;
  filter: Int32Array | null;
}

export interface CountedValue {
  value: string;
  count: number;
  /** Present when the count is an estimate: the true count is within count ± error. */
  error?: number;
}

export class HeavyHitters {
  /** Values added (seeded counts included). */
  total = 0;
  private size = 0;
  private readonly capacity: number;
  private meta: Int32Array;
  /** Per counter: its count at 2i, its error at 2i + 1. */
  private counts: Float64Array;
  private readonly filter = new Int32Array(FILTER_BUCKETS);
  private readonly index: Int32Array;
  private readonly slotMask: number;
  private stale = 0;
  private arena: Uint8Array = new Uint8Array(16 * 1024);
  private arenaUsed = 0;
  /** The previous arena, reused by the next compaction when the size stays. */
  private spare: Uint8Array | null = null;
  /** No count is below `floor`; the sweep looks for a counter at exactly that. */
  private floor = 0;
  /** The sweep's position: counters before it (since `floor` last rose) have been passed. */
  private cursor = 0;
  /** Counters passed since `floor` last rose, and the smallest count among them. */
  private swept = 0;
  private nextFloor = Number.POSITIVE_INFINITY;

  constructor(capacity = HEAVY_HITTER_COUNTERS) {
    const slots = 2 ** Math.ceil(Math.log2(3 * capacity));
    if (!(capacity >= 1 && slots <= MAX_SLOTS)) throw new Error(`HeavyHitters capacity must be 1 to ${Math.floor(MAX_SLOTS / 3)}`);
    this.capacity = capacity;
    this.meta = new Int32Array(META * capacity);
    this.counts = new Float64Array(2 * capacity);
    this.index = new Int32Array(slots);
    this.slotMask = slots - 1;
  }

  /**
   * A value counted exactly so far (its key bytes[start, end), already cut to what is kept;
   * `cut`: the value is longer). Seeds go before any `add`, largest counts first: past
   * capacity, a seed only leaves its count in its bucket.
   */
  seed(low: number, high: number, bytes: Uint8Array, start: number, end: number, cut: boolean, count: number): void {
    this.total += count;
    if (this.size === this.capacity) {
      this.leaveInFilter(high, count);
      return;
    }
    const i = this.size++;
    this.store(i, low, high, bytes, start, end, cut);
    this.counts[2 * i] = count;
    this.counts[2 * i + 1] = 0;
    this.index[this.freeSlot(low)] = (low << 16) | (i + 1);
  }

  /** Runs for every value of an approximate column: the common paths are kept small. */
  add(low: number, high: number, bytes: Uint8Array, start: number, end: number): void {
    this.total++;
    const index = this.index;
    const mask = this.slotMask;
    const check = low << 16;
    let slot = low & mask;
    for (;;) {
      const word = index[slot] as number;
      if (word === 0) break;
      const i = (word & ENTRY_BITS) - 1;
      if ((word & ~ENTRY_BITS) === check && this.meta[META * i + LOW] === low && this.meta[META * i + HIGH] === high) {
        this.counts[2 * i] = (this.counts[2 * i] as number) + 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
    const bucket = high & BUCKET_MASK;
    const untracked = (this.filter[bucket] as number) + 1;
    if (untracked < this.floor) {
      this.filter[bucket] = untracked;
      return;
    }
    this.untracked(slot, bucket, low, high, bytes, start, end);
  }

  /**
   * A value without a counter whose bucket may reach the smallest count (`slot`: the free slot
   * its lookup ended on): it takes a free counter, or the smallest one if its bucket does reach
   * that count, or else adds to its bucket.
   */
  private untracked(slot: number, bucket: number, low: number, high: number, bytes: Uint8Array, start: number, end: number): void {
    const before = this.filter[bucket] as number;
    let i: number;
    if (this.size < this.capacity) {
      i = this.size++;
    } else {
      i = this.smallestCounter();
      const smallest = this.counts[2 * i] as number;
      if (before + 1 < smallest) {
        this.filter[bucket] = before + 1;
        return;
      }
      this.leaveInFilter(this.meta[META * i + HIGH] as number, smallest);
      this.passCursor(before + 1);
      if (++this.stale === this.capacity) {
        this.rebuildIndex(i);
        slot = this.freeSlot(low);
      }
    }
    const keyEnd = end - start > MAX_KEY_BYTES ? cutAtChar(bytes, start, end, MAX_KEY_BYTES) : end;
    this.store(i, low, high, bytes, start, keyEnd, keyEnd < end);
    this.counts[2 * i] = before + 1;
    this.counts[2 * i + 1] = before;
    this.index[slot] = (low << 16) | (i + 1);
  }

  /** A displaced or dropped value's count stays with its bucket (the larger of the two). */
  private leaveInFilter(high: number, count: number): void {
    const bucket = high & BUCKET_MASK;
    if ((this.filter[bucket] as number) < count) this.filter[bucket] = count;
  }

  /** A counter at the smallest count: the one under the cursor (left there until taken). */
  private smallestCounter(): number {
    const counts = this.counts;
    for (;;) {
      const count = counts[2 * this.cursor] as number;
      if (count === this.floor) return this.cursor;
      this.passCursor(count);
    }
  }

  /** Moves the sweep past the counter under the cursor, whose count is now `count`. */
  private passCursor(count: number): void {
    if (count < this.nextFloor) this.nextFloor = count;
    this.cursor = this.cursor + 1 === this.size ? 0 : this.cursor + 1;
    if (++this.swept === this.size) {
      // Every counter was passed since the floor last rose, and counts only grow.
      this.floor = this.nextFloor;
      this.nextFloor = Number.POSITIVE_INFINITY;
      this.swept = 0;
    }
  }

  /**
   * The most frequent values, by the most each can have occurred (ties: the larger guaranteed
   * count, then the earlier counter), so no value occurs more often than the first one's
   * count + error. A counter stands for [count - error, count] and is shown as its middle ±
   * half its width; one with no error is an exact count.
   */
  top(limit: number): CountedValue[] {
    const counts = this.counts;
    const error = (i: number) => Math.ceil((counts[2 * i + 1] as number) / 2);
    const estimate = (i: number) => (counts[2 * i] as number) - error(i);
    const guaranteed = (i: number) => (counts[2 * i] as number) - (counts[2 * i + 1] as number);
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => (counts[2 * b] as number) - (counts[2 * a] as number) || guaranteed(b) - guaranteed(a) || a - b);
    return order.slice(0, limit).map((i) => {
      const value = this.valueOf(i);
      return error(i) === 0 ? { value, count: estimate(i) } : { value, count: estimate(i), error: error(i) };
    });
  }

  state(): HeavyHittersState {
    const meta = this.meta.slice(0, META * this.size);
    let length = 0;
    for (let i = 0; i < this.size; i++) length += (meta[META * i + KEY_INFO] as number) & LENGTH_MASK;
    const keys = new Uint8Array(length);
    let used = 0;
    for (let i = 0; i < this.size; i++) {
      const start = meta[META * i + KEY_START] as number;
      const kept = (meta[META * i + KEY_INFO] as number) & LENGTH_MASK;
      copyBytes(this.arena, start, start + kept, keys, used);
      meta[META * i + KEY_START] = used;
      used += kept;
    }
    return { total: this.total, size: this.size, meta, counts: this.counts.slice(0, 2 * this.size), keys, filter: this.filter.slice() };
  }

  /**
   * Adds the summary of a later part of the stream (the mergeable-summaries construction of
   * Agarwal et al. 2012, with the filter): a value counted on both sides adds its counts and
   * errors; a value counted on one side only may have occurred as often as its bucket says on
   * the other, which is added to its count and its error; the COUNTERS largest counts stay, and
   * those that go leave their counts in their buckets, which add up. So every bound still holds.
   */
  merge(part: HeavyHittersState): void {
    this.total += part.total;
    // Keyed by 53 of the 64 hash bits (exact in a double), confirmed on all 64.
    const key = (low: number, high: number) => (low >>> 0) * 2097152 + (high >>> 11);
    const partIndex = new Map<number, number>();
    for (let j = 0; j < part.size; j++) partIndex.set(key(part.meta[META * j + LOW] as number, part.meta[META * j + HIGH] as number), j);
    const partBound = (high: number) => (part.filter === null ? 0 : (part.filter[high & BUCKET_MASK] as number));
    const taken = new Uint8Array(part.size);
    // Candidates: [count, error, side (0 here, 1 the part), index on that side].
    const candidates: [number, number, number, number][] = [];
    for (let i = 0; i < this.size; i++) {
      const low = this.meta[META * i + LOW] as number;
      const high = this.meta[META * i + HIGH] as number;
      let j = partIndex.get(key(low, high));
      if (j !== undefined && (part.meta[META * j + LOW] !== low || part.meta[META * j + HIGH] !== high)) j = undefined;
      const count = this.counts[2 * i] as number;
      const error = this.counts[2 * i + 1] as number;
      if (j === undefined) {
        const bound = partBound(this.meta[META * i + HIGH] as number);
        candidates.push([count + bound, error + bound, 0, i]);
      } else {
        taken[j] = 1;
        candidates.push([count + (part.counts[2 * j] as number), error + (part.counts[2 * j + 1] as number), 0, i]);
      }
    }
    for (let j = 0; j < part.size; j++) {
      if (taken[j] === 1) continue;
      const bound = this.filter[(part.meta[META * j + HIGH] as number) & BUCKET_MASK] as number;
      candidates.push([(part.counts[2 * j] as number) + bound, (part.counts[2 * j + 1] as number) + bound, 1, j]);
    }
    candidates.sort((a, b) => b[0] - a[0]);
    if (part.filter !== null) for (let b = 0; b < FILTER_BUCKETS; b++) this.filter[b] = (this.filter[b] as number) + (part.filter[b] as number);
    const kept = Math.min(this.capacity, candidates.length);
    const fromHere = { meta: this.meta, arena: this.arena };
    this.meta = new Int32Array(META * this.capacity);
    this.counts = new Float64Array(2 * this.capacity);
    this.arena = this.spare !== null && this.spare.length === this.arena.length ? this.spare : new Uint8Array(this.arena.length);
    // Not a spare while its keys are being copied (a compaction would write over them).
    this.spare = null;
    this.arenaUsed = 0;
    this.size = 0;
    for (const [count, error, side, index] of candidates) {
      const meta = side === 0 ? fromHere.meta : part.meta;
      const low = meta[META * index + LOW] as number;
      const high = meta[META * index + HIGH] as number;
      if (this.size === kept) {
        this.leaveInFilter(high, count);
        continue;
      }
      const start = meta[META * index + KEY_START] as number;
      const info = meta[META * index + KEY_INFO] as number;
      const i = this.size++;
      this.store(i, low, high, side === 0 ? fromHere.arena : part.keys, start, start + (info & LENGTH_MASK), (info & CUT) !== 0);
      this.counts[2 * i] = count;
      this.counts[2 * i + 1] = error;
    }
    if (this.spare === null && fromHere.arena.length === this.arena.length) this.spare = fromHere.arena;
    this.rebuildIndex(-1);
    this.cursor = 0;
    this.swept = 0;
    this.nextFloor = Number.POSITIVE_INFINITY;
    this.floor = this.size < this.capacity ? 0 : this.untrackedBound;
  }

  /** The most this value (by its hash lanes) can have occurred. */
  upperBound(low: number, high: number): number {
    for (let i = 0; i < this.size; i++) {
      if (this.meta[META * i + LOW] === low && this.meta[META * i + HIGH] === high) return this.counts[2 * i] as number;
    }
    return this.filter[high & BUCKET_MASK] as number;
  }

  /** The most a value without a counter can have occurred: the smallest count (0 while counters are free). */
  get untrackedBound(): number {
    if (this.size < this.capacity) return 0;
    let smallest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.size; i++) smallest = Math.min(smallest, this.counts[2 * i] as number);
    return smallest;
  }

  private valueOf(i: number): string {
    const start = this.meta[META * i + KEY_START] as number;
    const info = this.meta[META * i + KEY_INFO] as number;
    return displayText(this.arena, start, start + (info & LENGTH_MASK), (info & CUT) !== 0);
  }

  /** Counter i now holds this value; its key bytes[start, keyEnd) go to the arena. */
  private store(i: number, low: number, high: number, bytes: Uint8Array, start: number, keyEnd: number, cut: boolean): void {
    const length = keyEnd - start;
    if (this.arenaUsed + length > this.arena.length) this.compact(i, length);
    const at = META * i;
    this.meta[at + LOW] = low;
    this.meta[at + HIGH] = high;
    this.meta[at + KEY_START] = this.arenaUsed;
    this.meta[at + KEY_INFO] = length | (cut ? CUT : 0);
    copyBytes(bytes, start, keyEnd, this.arena, this.arenaUsed);
    this.arenaUsed += length;
  }

  /**
   * Makes room for `length` more bytes: copies the live keys (all but counter `replaced`'s)
   * into the other arena, a larger one when they would fill over a quarter of it. Each
   * compaction frees at least three quarters, so copying costs O(1) per kept byte over time.
   */
  private compact(replaced: number, length: number): void {
    const meta = this.meta;
    let live = length;
    for (let i = 0; i < this.size; i++) if (i !== replaced) live += (meta[META * i + KEY_INFO] as number) & LENGTH_MASK;
    const arena = live * 4 > this.arena.length ? new Uint8Array(Math.max(this.arena.length * 2, live * 4)) : (this.spare ?? new Uint8Array(this.arena.length));
    let used = 0;
    for (let i = 0; i < this.size; i++) {
      if (i === replaced) continue;
      const at = META * i;
      const start = meta[at + KEY_START] as number;
      const kept = (meta[at + KEY_INFO] as number) & LENGTH_MASK;
      copyBytes(this.arena, start, start + kept, arena, used);
      meta[at + KEY_START] = used;
      used += kept;
    }
    this.spare = arena.length === this.arena.length ? this.arena : null;
    this.arena = arena;
    this.arenaUsed = used;
  }

  /** The first free slot from a value's home. */
  private freeSlot(low: number): number {
    const mask = this.slotMask;
    let slot = low & mask;
    while (this.index[slot] !== 0) slot = (slot + 1) & mask;
    return slot;
  }

  /** Drops the stale slots: every counter (but `taken`, about to change value) is placed again. */
  private rebuildIndex(taken: number): void {
    this.index.fill(0);
    this.stale = 0;
    for (let i = 0; i < this.size; i++) {
      if (i === taken) continue;
      const low = this.meta[META * i + LOW] as number;
      this.index[this.freeSlot(low)] = (low << 16) | (i + 1);
    }
  }
}
