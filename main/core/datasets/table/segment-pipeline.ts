import type { LatheError } from '../../../../shared/contract/result.ts';
import { LatheFailure } from '../../errors.ts';
import { KeptBytes, type Slab } from './kept-bytes.ts';
import { ThreadLane, type Lane, type LaneReply } from './segment-lane.ts';
import { SegmentMerge } from './segment-merge.ts';
import { createSegmentScanner, type SegmentOptions, type SegmentResult, type SegmentStart } from './segment-scanner.ts';
import type { HistogramWidth } from './streaming-histogram.ts';
import type { TableScanResult } from './table-scanner.ts';

/**
 * One file read on several lanes (threads) at once, with the same result as one lane.
 *
 * The file is cut into segments at row boundaries: a segment ends at the first row boundary at
 * or after the next multiple of segmentBytes past its start, so the cuts depend only on the
 * bytes, never on the lanes or their timing. Segments go to the lanes in turn, each read on its
 * own, and are merged in file order (segment-merge.ts), which makes the result the same. Where a row starts is not known without reading
 * from the start: in CSV a line break inside quotes is data. So a cut is a guess, the first
 * line break at or after the mark, and the segment before it checks the guess when it gets
 * there: if it ends inside a row (a quoted field runs on), the segments after it are dropped,
 * it reads on to its row's end, and the file is cut again from there.
 *
 * A segment read from a guessed start does not know its line or the rows before it; if it
 * fails, it is read again here, located, once every segment before it has merged, so an error
 * names its true line, column, row and byte offset. The first error in file order wins.
 *
 * Memory: the bytes from the oldest segment not yet merged are kept (to read again or finish a
 * row), up to `maxKeptBytes` before `write` waits; each lane holds `maxLaneBytes` unread.
 */
export interface PipelineOptions {
  segmentBytes: number;
  maxKeptBytes: number;
  maxLaneBytes: number;
}

/** Makes the lanes (threads) that read segments, on demand. */
export interface LaneFactory {
  count: number;
  make(lane: number, reply: (reply: LaneReply) => void): Lane;
}

interface Segment {
  id: number;
  lane: number;
  /** Where its bytes start and (once cut) end in the file; where it was cut first (a guess). */
  start: number;
  end: number | null;
  cut: number | null;
  /** Bytes sent to its lane so far (its bytes up to here). */
  sentTo: number;
  endOfFile: boolean;
  /** Waiting for bytes that finish its last row (it was cut inside one). */
  finishingRow: boolean;
  /** Where each piece sent to finish that row starts, until its lane answers. */
  rowPieces: number[];
  result: SegmentResult | null;
  error: LatheError | null;
}

const LF = 10;

export class SegmentPipeline {
  private readonly options: SegmentOptions;
  private readonly settings: PipelineOptions;
  /** Lanes start when a segment first goes to them (a small file never starts a second). */
  private readonly lanes: (Lane | null)[];
  private readonly factory: LaneFactory;
  private readonly merge: SegmentMerge;
  private readonly kept = new KeptBytes();
  /** Per lane: the slabs its unanswered requests read, in order. */
  private readonly laneSlabs: Slab[][];
  /** Segments not merged yet, in file order; the last one takes new bytes until it is cut. */
  private segments: Segment[] = [];
  /** Where the next segment starts (once the one before is cut), and the mark it ends after. */
  private nextStart = 0;
  private mark: number;
  private nextId = 1;
  private nextLane = 0;
  private header: string[] | null = null;
  private widths: Record<string, HistogramWidth> = {};
  private ending = false;
  private failure: LatheFailure | null = null;
  private result: TableScanResult | null = null;
  private readonly laneBytes: number[];
  private readonly laneRows: Map<number, number> = new Map();
  private mergedRows = 0;
  private wake: (() => void) | null = null;

  constructor(options: SegmentOptions, lanes: LaneFactory, settings: PipelineOptions) {
    this.options = options;
    this.settings = settings;
    this.merge = new SegmentMerge(options);
    // A JSON array is one segment: its rows can only be found from its start.
    this.mark = options.format === 'json' ? Number.POSITIVE_INFINITY : settings.segmentBytes;
    this.factory = lanes;
    this.lanes = Array.from({ length: lanes.count }, () => null);
    this.laneBytes = this.lanes.map(() => 0);
    this.laneSlabs = this.lanes.map(() => []);
  }

  private lane(index: number): Lane {
    let lane = this.lanes[index];
    if (lane === null || lane === undefined) {
      lane = this.factory.make(index, (reply) => this.onReply(index, reply));
      this.lanes[index] = lane;
    }
    return lane;
  }

  private get received(): number {
    return this.kept.end;
  }

  /** Data rows read so far, for progress (merged, and read in segments not merged yet). */
  get rows(): number {
    let rows = this.mergedRows;
    for (const segment of this.segments) rows += this.laneRows.get(segment.id) ?? 0;
    return rows;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.throwIfFailed();
    if (chunk.length === 0) return;
    // Kept in shared memory: the lanes read it where it is, and it stays here to read again.
    this.kept.append(chunk);
    this.dispatch();
    while (!this.failure && this.mustWait()) await this.nextReply();
    this.throwIfFailed();
  }

  async end(): Promise<TableScanResult> {
    this.throwIfFailed();
    this.ending = true;
    this.dispatch();
    while (!this.result && !this.failure) await this.nextReply();
    this.throwIfFailed();
    return this.result as TableScanResult;
  }

  async close(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane?.stop()));
  }

  private mustWait(): boolean {
    if (this.laneBytes.some((bytes) => bytes > this.settings.maxLaneBytes)) return true;
    // A row being finished, or a header still unread, may need more bytes than the limit; and
    // kept bytes only go when a segment that is cut merges (an uncut one is bounded by the
    // scanner's limit on a field).
    if (this.segments.some((segment) => segment.finishingRow) || this.waitingForHeader()) return false;
    return this.segments.length > 1 && this.kept.end - this.kept.start > this.settings.maxKeptBytes;
  }

  private waitingForHeader(): boolean {
    return (this.options.format === 'csv' || this.options.format === 'tsv') && this.header === null && this.nextStart > 0;
  }

  /** Sends the bytes received to the segment taking them, cutting segments as the marks pass. */
  private dispatch(): void {
    if (this.failure !== null || this.result !== null) return;
    for (;;) {
      let segment = this.segments.at(-1);
      if (segment !== undefined && segment.finishingRow) {
        this.sendRowBytes(segment);
        return;
      }
      if (segment === undefined || segment.end !== null) {
        // Every segment so far is cut: the next one starts at nextStart, once its start is
        // read (CSV segments need the header) and it has bytes or the file ended.
        if (this.waitingForHeader()) return;
        if (this.nextStart === this.received && !this.ending) return;
        if (segment !== undefined && segment.endOfFile) return;
        segment = this.open(this.nextStart);
      }
      const cut = this.findCut(segment.sentTo);
      const to = cut ?? this.received;
      this.send(segment, to);
      if (cut !== null) {
        segment.end = cut;
        segment.cut = cut;
        this.nextStart = cut;
        this.mark = (Math.floor(cut / this.settings.segmentBytes) + 1) * this.settings.segmentBytes;
        this.lane(segment.lane).send({ type: 'close', id: segment.id, endOfFile: false });
        continue;
      }
      if (this.ending) {
        segment.end = this.received;
        segment.endOfFile = true;
        this.lane(segment.lane).send({ type: 'close', id: segment.id, endOfFile: true });
      }
      return;
    }
  }

  private open(start: number): Segment {
    const lane = this.nextLane;
    this.nextLane = (this.nextLane + 1) % this.lanes.length;
    const segment: Segment = { id: this.nextId++, lane, start, end: null, cut: null, sentTo: start, endOfFile: false, finishingRow: false, rowPieces: [], result: null, error: null };
    // When every segment before it has merged, its line and rows are known (errors read better
    // in a lane's own messages; the pipeline reads a failed segment again anyway).
    const located = this.segments.length === 0;
    const begin: SegmentStart = {
      byteOffset: start,
      line: located ? this.merge.lines + 1 : 1,
      rowsBefore: located ? this.merge.rows : 0,
      header: start === 0 ? null : this.header,
      columnsBefore: null,
      widths: start === 0 ? null : { ...this.widths },
    };
    this.segments.push(segment);
    this.lane(lane).send({ type: 'open', id: segment.id, start: begin });
    return segment;
  }

  /** The first line break at or after mark - 1, past `from`: the guessed end of a segment. */
  private findCut(from: number): number | null {
    if (this.received < this.mark) return null;
    const at = this.kept.indexOf(LF, Math.max(from, this.mark - 1));
    return at < 0 ? null : at + 1;
  }

  /** Sends the kept bytes [segment.sentTo, to) to the segment's lane. */
  private send(segment: Segment, to: number): void {
    for (const { view, slab } of this.kept.range(segment.sentTo, to)) {
      this.laneBytes[segment.lane] = (this.laneBytes[segment.lane] as number) + view.length;
      this.sendBytes(segment.lane, slab, { type: 'write', id: segment.id, bytes: view });
    }
    segment.sentTo = to;
  }

  /** A segment cut inside a row gets the bytes after its cut, until its row ends. */
  private sendRowBytes(segment: Segment): void {
    for (const { view, slab } of this.kept.range(segment.sentTo, this.received)) {
      segment.rowPieces.push(segment.sentTo);
      this.sendBytes(segment.lane, slab, { type: 'finish-row', id: segment.id, bytes: view });
      segment.sentTo += view.length;
    }
    if (this.ending && segment.rowPieces.length === 0 && !segment.endOfFile) {
      // Every byte went into that row and the file ends: the row is the segment's last.
      segment.endOfFile = true;
      segment.finishingRow = false;
      segment.end = this.received;
      this.lane(segment.lane).send({ type: 'close', id: segment.id, endOfFile: true });
    }
  }

  /** A request that carries kept bytes: their slab stays until the lane answers it. */
  private sendBytes(lane: number, slab: Slab, request: { type: 'write' | 'finish-row'; id: number; bytes: Uint8Array }): void {
    this.kept.hold(slab);
    this.laneSlabs[lane]?.push(slab);
    this.lane(lane).send(request);
  }

  private onReply(lane: number, reply: LaneReply): void {
    try {
      this.handleReply(lane, reply);
    } catch (error) {
      // A bug here must fail the scan, not leave it waiting for a reply that never comes.
      this.fail(error instanceof LatheFailure ? error : new LatheFailure({ code: 'INTERNAL', message: `The table scan failed: ${error instanceof Error ? error.message : String(error)}` }));
    }
  }

  private handleReply(lane: number, reply: LaneReply): void {
    if (reply.type === 'stopped') return this.fail(new LatheFailure(reply.error));
    if (reply.type === 'written' || reply.type === 'row-finished') {
      // Every request that carries bytes gets one of these, in order.
      const slab = this.laneSlabs[lane]?.shift();
      if (slab !== undefined) this.kept.release(slab);
    }
    if (reply.type === 'written') this.laneBytes[lane] = (this.laneBytes[lane] as number) - reply.bytes;
    const segment = this.segments.find((candidate) => candidate.id === reply.id);
    if (segment === undefined) {
      // A dropped segment's late replies; its bytes still left its lane.
      this.notify();
      return;
    }
    switch (reply.type) {
      case 'written':
        this.laneRows.set(segment.id, reply.rows);
        break;
      case 'header':
        this.header = reply.names;
        this.dispatch();
        break;
      case 'widths':
        this.widths = { ...reply.widths, ...this.widths };
        break;
      case 'closed':
        if (!reply.atBoundary) this.cutInsideRow(segment);
        break;
      case 'row-finished': {
        const pieceStart = segment.rowPieces.shift();
        if (!segment.finishingRow || pieceStart === undefined) break;
        if (reply.used >= 0) {
          segment.finishingRow = false;
          segment.rowPieces = [];
          const end = pieceStart + reply.used;
          segment.end = end;
          segment.sentTo = end;
          this.nextStart = end;
          this.mark = (Math.floor(end / this.settings.segmentBytes) + 1) * this.settings.segmentBytes;
        }
        this.dispatch();
        break;
      }
      case 'result':
        segment.result = reply.result;
        this.mergeReady();
        break;
      case 'failed':
        segment.error = reply.error;
        this.mergeReady();
        break;
    }
    this.notify();
  }

  /**
   * The segment's cut was inside a row: the segments after it started at a wrong guess and go;
   * it reads on from its cut (sendRowBytes) until its row ends, and the file is cut again there.
   */
  private cutInsideRow(segment: Segment): void {
    const index = this.segments.indexOf(segment);
    for (const later of this.segments.splice(index + 1)) this.lane(later.lane).send({ type: 'drop', id: later.id });
    segment.finishingRow = true;
    segment.rowPieces = [];
    segment.sentTo = segment.end as number;
    this.dispatch();
  }

  /** Merges the segments that are read, in file order. */
  private mergeReady(): void {
    for (;;) {
      const head = this.segments[0];
      if (head === undefined || (head.result === null && head.error === null)) return;
      if (head.error !== null || !this.merge.add(head.result as SegmentResult)) {
        // Its start is certain now: read it again, located, for the error's true place.
        const result = this.readLocated(head);
        if (result === null) return;
        if (!this.merge.add(result)) return this.fail(new LatheFailure({ code: 'INTERNAL', message: 'The table scan disagreed with itself on a segment.' }));
      }
      this.segments.shift();
      this.laneRows.delete(head.id);
      this.mergedRows = this.merge.rows;
      this.widths = { ...this.merge.histogramWidths(), ...this.widths };
      this.dropKeptBefore(this.segments[0]?.start ?? head.end ?? this.received);
      if (head.endOfFile) {
        try {
          this.result = this.merge.finish();
        } catch (error) {
          this.fail(error instanceof LatheFailure ? error : new LatheFailure({ code: 'INTERNAL', message: String(error) }));
        }
        return;
      }
      if (this.segments.length === 0) this.dispatch();
    }
  }

  /**
   * Reads a segment again on this thread from its certain start, with the line, rows and
   * columns before it: the first failure in it, exactly as one pass would report it (or, when
   * it reads cleanly after all, its result).
   */
  private readLocated(segment: Segment): SegmentResult | null {
    const start: SegmentStart = {
      byteOffset: segment.start,
      line: this.merge.lines + 1,
      rowsBefore: this.merge.rows,
      header: segment.start === 0 ? null : this.header,
      columnsBefore: this.options.format === 'jsonl' ? this.merge.columns : null,
      widths: segment.start === 0 ? null : { ...this.widths },
    };
    const scanner = createSegmentScanner(this.options, start);
    try {
      const cut = segment.cut ?? this.received;
      for (const { view } of this.kept.range(segment.start, cut)) scanner.write(view);
      if (cut < this.received && !scanner.atRowBoundary()) {
        // Cut inside a row: it goes on, as its lane read it, to the row's end.
        for (const { view } of this.kept.range(cut, this.received)) if (scanner.finishRow(view) >= 0) break;
      }
      return scanner.end(segment.endOfFile);
    } catch (error) {
      this.fail(error instanceof LatheFailure ? error : new LatheFailure({ code: 'INTERNAL', message: String(error) }));
      return null;
    }
  }

  private dropKeptBefore(offset: number): void {
    this.kept.dropBefore(offset);
  }

  private fail(failure: LatheFailure): void {
    this.failure ??= failure;
    this.notify();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private nextReply(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** Segments of this many bytes: a file up to this size is one segment, read as on one thread. */
export const SEGMENT_BYTES = 8 * 1024 * 1024;

/** Lanes on this thread (tests; `pause` mixes their replies). */
export function threadLanes(options: SegmentOptions, count: number, pause?: () => Promise<void>): LaneFactory {
  return { count, make: (_lane, reply) => new ThreadLane(options, reply, pause) };
}
