import type { ScriptLogPage } from '../../../../shared/contract/script-runs.ts';

/**
 * The end of a script run's log as the run page shows it: a page read with scripts:log, then
 * scripts:output events appended as they come. Offsets are bytes of the log (UTF-8), so an event
 * that does not start where the tail ends (events skipped while the script flooded, or one that
 * arrived before the first page) says "read the end again" rather than show text out of place.
 * Only the last MAX_TAIL_CHARACTERS are kept: a flooding script cannot make the page heavy.
 */
export interface LogTail {
  text: string;
  /** The byte offset the next event must start at. */
  next: number;
  /** Bytes of the log before `text` (not shown). */
  hidden: number;
  complete: boolean;
}

export const MAX_TAIL_CHARACTERS = 200_000;
/** How much of the end the page reads first (and again after a gap). */
export const TAIL_BYTES = 128 * 1024;

const encoder = new TextEncoder();

export function tailFromPage(page: ScriptLogPage): LogTail {
  return trimmed({ text: page.text, next: page.next, hidden: page.from, complete: page.complete });
}

/** The tail with an event's text added; null when the event does not follow it (read the end again). */
export function tailWithOutput(tail: LogTail, output: { from: number; text: string }): LogTail | null {
  const bytes = encoder.encode(output.text).length;
  if (output.from + bytes <= tail.next) return tail; // already shown (the page read it)
  if (output.from !== tail.next) return null;
  return trimmed({ ...tail, text: tail.text + output.text, next: tail.next + bytes });
}

function trimmed(tail: LogTail): LogTail {
  if (tail.text.length <= MAX_TAIL_CHARACTERS) return tail;
  // Cut at a line start when one is near, so the first line shown is whole.
  let cut = tail.text.length - MAX_TAIL_CHARACTERS;
  const line = tail.text.indexOf('\n', cut);
  if (line >= 0 && line - cut < 1000) cut = line + 1;
  return { ...tail, text: tail.text.slice(cut), hidden: tail.hidden + encoder.encode(tail.text.slice(0, cut)).length };
}
