import type { ColumnProfile, ColumnType } from '../../../../shared/contract/datasets.ts';
import { hashBytes, rawHash } from './byte-hash.ts';
import { DistinctCounter, type DistinctState } from './distinct-counter.ts';
import { jsonText } from './json-text.ts';
import { isMissingBytes } from './missing-values.ts';
import { RunningStats, type RunningStatsState } from './running-stats.ts';
import { StreamingHistogram, type HistogramState, type HistogramWidth } from './streaming-histogram.ts';
import { isIsoDatetime, numberScan, scanBoolean, scanNumber } from './text-values.ts';
import { Utf8Scratch } from './utf8-bytes.ts';

// The types a column can still be: each value clears the bits it does not fit. None left: string.
const INTEGER = 1;
const NUMBER = 2;
const BOOLEAN = 4;
const DATETIME = 8;
const NUMERIC = INTEGER | NUMBER;

/** A column's profile so far as plain data, to send between threads and merge. */
export interface ColumnState {
  name: string;
  count: number;
  candidates: number;
  stats: RunningStatsState;
  histogram: HistogramState;
  distinct: DistinctState;
}

/**
 * How a profiler's histogram starts: choosing its width from its first values (the first part
 * of a column), with a width chosen earlier, or keeping its values until merged (see
 * streaming-histogram.ts).
 */
export type HistogramStart = 'choose' | 'keep values' | HistogramWidth;

/** Shared by all profilers: JSON values are encoded here before they are counted. */
const scratch = new Utf8Scratch();

/**
 * The running profile of one column. CSV cells arrive as byte ranges with their raw hash
 * (`addCell`), JSON values as values (`addValue`); missing cells are simply not added
 * (missing = rows - count). A column stops checking for a type once a value rules it out.
 */
export class ColumnProfiler {
  readonly name: string;
  /** Values present (not missing). */
  count = 0;
  private candidates = INTEGER | NUMBER | BOOLEAN | DATETIME;
  private readonly stats = new RunningStats();
  private readonly histogram: StreamingHistogram;
  private readonly distinct = new DistinctCounter();

  constructor(name: string, histogram: HistogramStart = 'choose') {
    this.name = name;
    this.histogram = histogram === 'choose' ? new StreamingHistogram() : histogram === 'keep values' ? StreamingHistogram.rawValues() : StreamingHistogram.withWidth(histogram);
  }

  /** The histogram's starting width, once chosen. */
  get histogramWidth(): HistogramWidth | null {
    return this.histogram.startWidth;
  }

  state(): ColumnState {
    return { name: this.name, count: this.count, candidates: this.candidates, stats: this.stats.state(), histogram: this.histogram.state(), distinct: this.distinct.state() };
  }

  /**
   * Adds the profile of a later part of the column. Types, counts, min and max, the histogram and
   * exact distinct counts come out as if the values had been added here; the mean and standard
   * deviation merge pairwise (the same parts in the same order always give the same bits).
   */
  merge(part: ColumnState): void {
    this.count += part.count;
    this.candidates &= part.candidates;
    this.stats.merge(part.stats);
    this.histogram.merge(part.histogram);
    this.distinct.merge(part.distinct);
  }

  /**
   * A CSV/TSV cell: bytes[start, end), with the raw hash lanes of those bytes (byte-hash).
   * This runs for every cell, inlined into the tokenizer's loop, so it stays small: V8 stops
   * inlining once a loop's callees pass ~900 bytes of bytecode, and then every cell pays calls.
   */
  addCell(bytes: Uint8Array, start: number, end: number, rawLow: number, rawHigh: number): void {
    const length = end - start;
    // Missing tokens are empty or start with N/n and are at most 4 bytes long.
    if (length <= 4 && (length === 0 || ((bytes[start] as number) | 32) === 110) && isMissingBytes(bytes, start, end)) return;
    this.count++;
    if (this.candidates !== 0) this.checkTypes(bytes, start, end);
    this.distinct.add(bytes, start, end, rawLow, rawHigh);
  }

  /** Clears the type bits the cell rules out (a number is not a boolean or a date, and so on). */
  private checkTypes(bytes: Uint8Array, start: number, end: number): void {
    let candidates = this.candidates;
    if ((candidates & NUMERIC) !== 0) {
      const value = scanNumber(bytes, start, end);
      if (value === value) {
        this.stats.add(value);
        this.histogram.add(value);
        this.candidates = candidates & (numberScan.integer ? NUMERIC : NUMBER);
        return;
      }
      candidates &= ~NUMERIC;
    }
    if ((candidates & BOOLEAN) !== 0 && scanBoolean(bytes, start, end) < 0) candidates &= ~BOOLEAN;
    if ((candidates & DATETIME) !== 0 && !isIsoDatetime(bytes, start, end)) candidates &= ~DATETIME;
    this.candidates = candidates;
  }

  /** A CSV/TSV cell whose hash is not known yet. */
  addBytes(bytes: Uint8Array, start: number, end: number): void {
    hashBytes(bytes, start, end);
    this.addCell(bytes, start, end, rawHash[0] as number, rawHash[1] as number);
  }

  /**
   * A JSON value: null/undefined is missing; strings stay strings (or datetimes when ISO 8601),
   * never numbers; nested objects and arrays count as their JSON text.
   */
  addValue(value: unknown): void {
    if (value === null || value === undefined) return;
    this.count++;
    let key: string;
    if (typeof value === 'string') {
      key = value;
    } else if (typeof value === 'number') {
      key = String(value);
      if (!Number.isFinite(value)) {
        this.candidates = 0;
      } else {
        if ((this.candidates & NUMERIC) !== 0) {
          this.stats.add(value);
          this.histogram.add(value);
        }
        this.candidates &= Number.isSafeInteger(value) ? NUMERIC : NUMBER;
      }
    } else if (typeof value === 'boolean') {
      key = value ? 'true' : 'false';
      this.candidates &= BOOLEAN;
    } else {
      key = jsonText(value);
      this.candidates = 0;
    }
    scratch.encode(key);
    if (typeof value === 'string') {
      this.candidates = (this.candidates & DATETIME) !== 0 && isIsoDatetime(scratch.bytes, 0, scratch.length) ? DATETIME : 0;
    }
    hashBytes(scratch.bytes, 0, scratch.length);
    this.distinct.add(scratch.bytes, 0, scratch.length, rawHash[0] as number, rawHash[1] as number);
  }

  get type(): ColumnType {
    if (this.count === 0) return 'empty';
    const candidates = this.candidates;
    if ((candidates & INTEGER) !== 0) return 'integer';
    if ((candidates & NUMBER) !== 0) return 'number';
    if ((candidates & BOOLEAN) !== 0) return 'boolean';
    if ((candidates & DATETIME) !== 0) return 'datetime';
    return 'string';
  }

  profile(rows: number): ColumnProfile {
    const type = this.type;
    const numeric = type === 'integer' || type === 'number';
    const missing = rows - this.count;
    return {
      name: this.name,
      type,
      count: this.count,
      missing,
      missingShare: rows === 0 ? 0 : missing / rows,
      distinct: this.distinct.distinct,
      approximate: this.distinct.approximate,
      min: numeric ? this.stats.min : null,
      max: numeric ? this.stats.max : null,
      mean: numeric ? this.stats.mean : null,
      std: numeric ? this.stats.std : null,
      histogram: numeric ? this.histogram.result() : null,
      top: this.distinct.top(),
    };
  }
}
