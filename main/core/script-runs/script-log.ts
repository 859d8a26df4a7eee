import { createWriteStream, type WriteStream } from 'node:fs';
import { LogText } from './log-text.ts';
import { wholeCharactersEnd, wholeCharactersStart } from './log-text.ts';

/**
 * The log of a script run while it runs: stdout and stderr as they come, made into safe text
 * (log-text.ts), appended to one file (`.lathe/script-runs/<run id>.log`, which any Lathe
 * process of the workspace can read live), and sent on as throttled events.
 *
 * It is capped so a script that floods its output cannot fill the disk or drown the app: the
 * first `headBytes` are written as they come; past them only the last `tailBytes` are kept (in
 * memory), and when the run ends they are written after a line saying how many bytes were
 * dropped in between. At the cap one event says so; later ones are marked `pastCap` (a page
 * following the log stops there; `lathe run` goes on echoing them).
 *
 * Writing pushes back: `write` returns false while the file is behind, and the caller pauses
 * the child's pipes until `drained` (the child then waits on its own writes, as at a slow
 * terminal). A disk error stops the file, not the run: what could not be written is counted as
 * dropped and the error is kept for the run's tags.
 */
export interface ScriptLogOptions {
  path: string;
  headBytes: number;
  tailBytes: number;
  /**
   * Live output: `text` starts at byte `from` of the log. Past the cap (`pastCap`), output still
   * goes out, for a terminal to echo, but it is not in the log's file: `from` counts the bytes
   * the script printed.
   */
  emit: (from: number, text: string, pastCap: boolean) => void;
  /** How long output is gathered before an event goes out. */
  eventIntervalMs?: number;
  /** At most this much text per event; more in one interval skips to its end. */
  eventBytes?: number;
}

export interface ScriptLogEnd {
  /** Bytes in the log file. */
  bytes: number;
  /** Bytes of output left out past the cap (or lost to a disk error). */
  dropped: number;
  /** The disk error that stopped the file, if one did. */
  error: Error | null;
}

const DEFAULT_EVENT_INTERVAL_MS = 100;
const DEFAULT_EVENT_BYTES = 64 * 1024;

export class ScriptLog {
  readonly #options: ScriptLogOptions;
  readonly #file: WriteStream;
  readonly #streams = { stdout: new LogText(), stderr: new LogText() };
  /** Bytes written (or being written) to the file. */
  #head = 0;
  #tail: Buffer[] = [];
  #tailSize = 0;
  /** Bytes of output past the head, including those still in the tail. */
  #past = 0;
  #lost = 0;
  #error: Error | null = null;
  #pending = '';
  #pendingFrom = 0;
  #pendingPastCap = false;
  #timer: NodeJS.Timeout | null = null;
  #capSaid = false;
  readonly #opened: Promise<void>;

  constructor(options: ScriptLogOptions) {
    this.#options = options;
    this.#file = createWriteStream(options.path, { flags: 'wx' });
    this.#opened = new Promise((resolve) => {
      this.#file.once('open', () => resolve());
      this.#file.once('error', () => resolve());
    });
    this.#file.on('error', (error) => {
      this.#error ??= error;
    });
  }

  /** Wait until the file exists (or could not be made: then `error` says why). */
  async opened(): Promise<Error | null> {
    await this.#opened;
    return this.#error;
  }

  /** Output of one stream; false: pause the source until `drained()`. */
  write(stream: 'stdout' | 'stderr', chunk: Uint8Array): boolean {
    return this.#append(this.#streams[stream].push(chunk));
  }

  drained(): Promise<void> {
    if (!this.#file.writableNeedDrain || this.#error) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#file.off('drain', done);
        this.#file.off('error', done);
        resolve();
      };
      this.#file.on('drain', done);
      this.#file.on('error', done);
    });
  }

  /** Bytes of log so far (what scripts:log can read of it now). */
  get bytes(): number {
    return this.#head;
  }

  /** The last of both streams, the tail and the marker written, the file closed. */
  async finish(): Promise<ScriptLogEnd> {
    this.#append(this.#streams.stdout.end());
    this.#append(this.#streams.stderr.end());
    const dropped = this.#past - this.#tailSize;
    if (this.#past > 0) {
      const tail = Buffer.concat(this.#tail);
      const start = wholeCharactersStart(tail, 0);
      const marker = dropped + start > 0 ? `\n… ${(dropped + start).toLocaleString('en')} bytes of output dropped here: the log keeps its first ${mb(this.#options.headBytes)} and its last ${mb(this.#options.tailBytes)} …\n` : '';
      this.#writeFile(Buffer.concat([Buffer.from(marker), tail.subarray(start)]));
    }
    this.#flushEvent();
    await new Promise<void>((resolve) => this.#file.end(() => resolve()));
    return { bytes: this.#head - this.#lost, dropped: Math.max(0, dropped) + this.#lost, error: this.#error };
  }

  /** Stop without a log: the file is closed as it is (the caller removes it). */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#file.destroy();
  }

  #append(text: string): boolean {
    if (text.length === 0) return true;
    const bytes = Buffer.from(text);
    const room = Math.max(0, this.#options.headBytes - this.#head);
    if (this.#past === 0 && bytes.length <= room) {
      this.#event(this.#head, text);
      return this.#writeFile(bytes);
    }
    const fits = this.#past === 0 ? wholeCharactersEnd(bytes, room) : 0;
    if (fits > 0) {
      this.#event(this.#head, bytes.subarray(0, fits).toString());
      this.#writeFile(bytes.subarray(0, fits));
    }
    if (!this.#capSaid) {
      this.#capSaid = true;
      this.#event(this.#head, `\n… the log is past ${mb(this.#options.headBytes)}: the rest is not shown live; the log keeps its last ${mb(this.#options.tailBytes)} when the run ends …\n`);
    }
    const rest = bytes.subarray(fits);
    if (rest.length > 0) this.#event(this.#head + this.#past, rest.toString(), true);
    this.#keepTail(rest);
    return true;
  }

  #keepTail(bytes: Buffer): void {
    this.#past += bytes.length;
    this.#tail.push(bytes);
    this.#tailSize += bytes.length;
    while (this.#tail.length > 1 && this.#tailSize - this.#tail[0]!.length >= this.#options.tailBytes) this.#tailSize -= this.#tail.shift()!.length;
    if (this.#tailSize > this.#options.tailBytes) {
      const joined = Buffer.concat(this.#tail).subarray(this.#tailSize - this.#options.tailBytes);
      this.#tail = [joined];
      this.#tailSize = joined.length;
    }
  }

  #writeFile(bytes: Uint8Array): boolean {
    this.#head += bytes.length;
    if (this.#error || this.#file.destroyed) {
      this.#lost += bytes.length;
      return true;
    }
    return this.#file.write(bytes);
  }

  #event(from: number, text: string, pastCap = false): void {
    if (pastCap !== this.#pendingPastCap) this.#flushEvent();
    this.#pendingPastCap = pastCap;
    if (this.#pending.length === 0) this.#pendingFrom = from;
    this.#pending += text;
    const limit = this.#options.eventBytes ?? DEFAULT_EVENT_BYTES;
    if (this.#pending.length > limit * 2) {
      // More than an event carries arrived in one interval: keep its end (the gap shows as a jump in `from`).
      const cut = this.#pending.length - limit;
      this.#pendingFrom += Buffer.byteLength(this.#pending.slice(0, cut));
      this.#pending = this.#pending.slice(cut);
    }
    this.#timer ??= setTimeout(() => this.#flushEvent(), this.#options.eventIntervalMs ?? DEFAULT_EVENT_INTERVAL_MS);
  }

  #flushEvent(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending.length === 0) return;
    const [from, text] = [this.#pendingFrom, this.#pending];
    this.#pending = '';
    this.#options.emit(from, text, this.#pendingPastCap);
  }
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / (1024 * 1024)).toFixed(1)} MB` : `${+(bytes / 1024).toFixed(1)} KB`;
}
