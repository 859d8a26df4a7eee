import type { LatheError } from '../../../../shared/contract/result.ts';
import { toLatheError } from '../../errors.ts';
import { createSegmentScanner, type SegmentOptions, type SegmentResult, type SegmentScanner, type SegmentStart } from './segment-scanner.ts';
import type { HistogramWidth } from './streaming-histogram.ts';

/**
 * A lane reads segments of a file for the segment pipeline (segment-pipeline.ts): a worker
 * thread (table-scan-worker.ts), or this thread. Requests run in the order sent; each segment
 * has an id, and a lane may hold several open at once (one waiting for the bytes that finish
 * its last row while the next is read). Replies come back in order, as these messages.
 */
export type LaneRequest =
  | { type: 'open'; id: number; start: SegmentStart }
  | { type: 'write'; id: number; bytes: Uint8Array }
  /** The segment's bytes end here: reply `closed`, then (at a row boundary) `result` or `failed`. */
  | { type: 'close'; id: number; endOfFile: boolean }
  /** Bytes after a segment that ended inside a row: reply `row-finished` with how many the row took (-1: all, and it goes on). */
  | { type: 'finish-row'; id: number; bytes: Uint8Array }
  | { type: 'drop'; id: number };

export type LaneReply =
  | { type: 'written'; id: number; bytes: number; rows: number }
  | { type: 'header'; id: number; names: string[] }
  | { type: 'widths'; id: number; widths: Record<string, HistogramWidth> }
  | { type: 'closed'; id: number; atBoundary: boolean }
  | { type: 'row-finished'; id: number; used: number }
  | { type: 'result'; id: number; result: SegmentResult }
  | { type: 'failed'; id: number; error: LatheError }
  /** The lane itself stopped (its thread died): the scan cannot go on. */
  | { type: 'stopped'; id: 0; error: LatheError };

export interface Lane {
  send(request: LaneRequest): void;
  /** Stops the lane; replies after this are dropped. */
  stop(): Promise<void>;
}

/**
 * The reading side of a lane, the same on a worker and here: runs requests against segment
 * scanners and answers through `reply`. The first segment also tells the header and the
 * histograms' starting widths as soon as it has them, so that later segments can use them.
 */
export class SegmentReader {
  private readonly options: SegmentOptions;
  private readonly reply: (reply: LaneReply) => void;
  private readonly scanners = new Map<number, { scanner: SegmentScanner; first: boolean; widthsTold: number; headerTold: boolean }>();

  constructor(options: SegmentOptions, reply: (reply: LaneReply) => void) {
    this.options = options;
    this.reply = reply;
  }

  handle(request: LaneRequest): void {
    if (request.type === 'open') {
      this.scanners.set(request.id, { scanner: createSegmentScanner(this.options, request.start), first: request.start.byteOffset === 0, widthsTold: 0, headerTold: false });
      return;
    }
    const open = this.scanners.get(request.id);
    const { id } = request;
    if (open === undefined) {
      // Dropped, finished or failed already: every request with bytes still gets its answer.
      if (request.type === 'write') this.reply({ type: 'written', id, bytes: request.bytes.length, rows: 0 });
      if (request.type === 'finish-row') this.reply({ type: 'row-finished', id, used: -1 });
      return;
    }
    try {
      switch (request.type) {
        case 'write':
          try {
            open.scanner.write(request.bytes);
          } finally {
            this.reply({ type: 'written', id, bytes: request.bytes.length, rows: open.scanner.rows });
          }
          if (open.first) this.tellFirstSegmentNews(id, open);
          return;
        case 'close': {
          const atBoundary = request.endOfFile || open.scanner.atRowBoundary();
          if (open.first) this.tellFirstSegmentNews(id, open);
          this.reply({ type: 'closed', id, atBoundary });
          if (atBoundary) this.finish(id, open.scanner, request.endOfFile);
          return;
        }
        case 'finish-row': {
          let used = -1;
          try {
            used = open.scanner.finishRow(request.bytes);
          } finally {
            if (open.first) this.tellFirstSegmentNews(id, open);
            this.reply({ type: 'row-finished', id, used });
          }
          if (used >= 0) this.finish(id, open.scanner, false);
          return;
        }
        case 'drop':
          this.scanners.delete(id);
          return;
      }
    } catch (error) {
      this.scanners.delete(id);
      this.reply({ type: 'failed', id, error: toLatheError(error) });
    }
  }

  private finish(id: number, scanner: SegmentScanner, endOfFile: boolean): void {
    this.scanners.delete(id);
    this.reply({ type: 'result', id, result: scanner.end(endOfFile) });
  }

  private tellFirstSegmentNews(id: number, open: { scanner: SegmentScanner; widthsTold: number; headerTold: boolean }): void {
    const header = open.scanner.header;
    if (!open.headerTold && header !== null) {
      open.headerTold = true;
      this.reply({ type: 'header', id, names: [...header] });
    }
    const widths = open.scanner.histogramWidths();
    const count = Object.keys(widths).length;
    if (count > open.widthsTold) {
      open.widthsTold = count;
      this.reply({ type: 'widths', id, widths });
    }
  }
}

/**
 * The memory a reply can hand over instead of copying (a segment's result: every typed array in
 * it is its own, made for the reply).
 */
export function transferablesOf(reply: LaneReply): ArrayBuffer[] {
  if (reply.type !== 'result') return [];
  const buffers: ArrayBuffer[] = [];
  const add = (array: { buffer: ArrayBufferLike } | null | undefined) => {
    if (array !== null && array !== undefined && array.buffer instanceof ArrayBuffer && !buffers.includes(array.buffer)) buffers.push(array.buffer);
  };
  for (const column of reply.result.columns) {
    const { histogram, distinct } = column;
    add(histogram.kind === 'values' ? histogram.values : histogram.counts);
    add(distinct.exact?.entries);
    add(distinct.exact?.counts);
    add(distinct.exact?.pool);
    add(distinct.hll);
    add(distinct.heavy?.meta);
    add(distinct.heavy?.counts);
    add(distinct.heavy?.keys);
    add(distinct.heavy?.filter);
  }
  return buffers;
}

/**
 * A lane on this thread: requests run one at a time, each after `pause()` (tests pass one that
 * waits a random number of turns, to mix the lanes' replies in every order).
 */
export class ThreadLane implements Lane {
  private readonly reader: SegmentReader;
  private readonly queue: LaneRequest[] = [];
  private readonly pause: () => Promise<void>;
  private running = false;
  private stopped = false;

  constructor(options: SegmentOptions, reply: (reply: LaneReply) => void, pause: () => Promise<void> = () => Promise.resolve()) {
    this.reader = new SegmentReader(options, (message) => {
      if (!this.stopped) reply(message);
    });
    this.pause = pause;
  }

  send(request: LaneRequest): void {
    this.queue.push(request);
    if (!this.running) void this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0 && !this.stopped) {
      await this.pause();
      const request = this.queue.shift();
      if (request !== undefined && !this.stopped) this.reader.handle(request);
    }
    this.running = false;
  }
}
