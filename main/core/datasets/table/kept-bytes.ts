/**
 * The bytes of a file that the segment pipeline still needs (to send to a lane, to read a
 * segment again, to finish a row), in shared memory that the lanes read in place. The memory
 * comes in slabs that are used again once nothing needs their bytes: fresh memory costs a page
 * fault per 4 KiB on first touch, which on some machines costs more than parsing the bytes.
 *
 * A slab is needed while the log holds bytes in it and while a lane request that carries a
 * view of it is unanswered (`hold` when sending, `release` on the reply: a lane keeps nothing
 * of a chunk once it has answered).
 */
export interface Slab {
  readonly bytes: Uint8Array;
  /** Lane requests in flight with a view of it. */
  users: number;
  /** Pieces of the log in it. */
  pieces: number;
}

export interface KeptPiece {
  view: Uint8Array;
  slab: Slab;
}

const SLAB_BYTES = 1 << 20;

export class KeptBytes {
  /** Where the kept bytes start and end in the file. */
  start = 0;
  end = 0;
  private readonly log: KeptPiece[] = [];
  private current: Slab | null = null;
  private used = 0;
  private readonly free: Slab[] = [];

  append(chunk: Uint8Array): void {
    let from = 0;
    while (from < chunk.length) {
      if (this.current === null || this.used === this.current.bytes.length) {
        const previous = this.current;
        this.current = this.free.pop() ?? { bytes: new Uint8Array(new SharedArrayBuffer(SLAB_BYTES)), users: 0, pieces: 0 };
        this.used = 0;
        if (previous !== null) this.reuseIfIdle(previous);
      }
      const slab = this.current;
      const length = Math.min(chunk.length - from, slab.bytes.length - this.used);
      const view = slab.bytes.subarray(this.used, this.used + length);
      view.set(chunk.subarray(from, from + length));
      slab.pieces++;
      this.log.push({ view, slab });
      this.used += length;
      this.end += length;
      from += length;
    }
  }

  /** Views of the bytes [from, to), each with its slab. */
  range(from: number, to: number): KeptPiece[] {
    const pieces: KeptPiece[] = [];
    let offset = this.start;
    for (const piece of this.log) {
      const end = offset + piece.view.length;
      if (end > from && offset < to) pieces.push({ view: piece.view.subarray(Math.max(0, from - offset), Math.min(piece.view.length, to - offset)), slab: piece.slab });
      offset = end;
      if (offset >= to) break;
    }
    return pieces;
  }

  /** The first line break at or after `from`, or -1. */
  indexOf(byte: number, from: number): number {
    let offset = this.start;
    for (const piece of this.log) {
      const end = offset + piece.view.length;
      if (end > from) {
        const at = piece.view.indexOf(byte, Math.max(0, from - offset));
        if (at >= 0) return offset + at;
      }
      offset = end;
    }
    return -1;
  }

  /** Lets go of the bytes before `offset` (whole pieces only). */
  dropBefore(offset: number): void {
    while (this.log.length > 0 && this.start + (this.log[0] as KeptPiece).view.length <= offset) {
      const piece = this.log.shift() as KeptPiece;
      this.start += piece.view.length;
      piece.slab.pieces--;
      this.reuseIfIdle(piece.slab);
    }
  }

  hold(slab: Slab): void {
    slab.users++;
  }

  release(slab: Slab): void {
    slab.users--;
    this.reuseIfIdle(slab);
  }

  private reuseIfIdle(slab: Slab): void {
    if (slab.users === 0 && slab.pieces === 0 && slab !== this.current) this.free.push(slab);
  }
}
