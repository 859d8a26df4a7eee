import { withoutUnsafeCharacters } from '../../../shared/contract/text-fields.ts';

/**
 * A script's output made into log text, chunk by chunk, one of these per stream (stdout,
 * stderr): bytes that are not UTF-8 become U+FFFD (a character cut between two chunks is
 * joined, not broken), CRLF and a lone CR (a progress bar redrawing its line) become LF,
 * terminal escape sequences (colours, cursor moves) and other control or text-direction
 * characters are removed. What comes out is safe to show in a page, a terminal or a file.
 */
// eslint-disable-next-line no-control-regex -- removing terminal escape sequences is the point
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;

export class LogText {
  readonly #decoder = new TextDecoder('utf-8', { fatal: false });
  /** The end of the text so far that the next chunk may still change: a CR (a CRLF cut in two) or an escape sequence not finished yet. */
  #held = '';

  /** The text of the next chunk (empty when it only completed nothing yet). */
  push(chunk: Uint8Array): string {
    const text = this.#held + this.#decoder.decode(chunk, { stream: true });
    const keep = heldFrom(text);
    this.#held = text.slice(keep);
    return clean(text.slice(0, keep));
  }

  /** What is left at the end of the stream (a cut character, a trailing CR, an unfinished escape). */
  end(): string {
    const text = this.#held + this.#decoder.decode();
    this.#held = '';
    return clean(text.endsWith('\r') ? `${text.slice(0, -1)}\n` : text);
  }
}

/** Escape sequences longer than this are not waited for across chunks (an unterminated title). */
const MAX_HELD = 4096;

/**
 * Where the part of `text` that a later chunk could still change begins (text.length: none):
 * the first escape sequence that is not complete but could become one, else a final CR.
 */
function heldFrom(text: string): number {
  const whole = new RegExp(ESCAPE_SEQUENCE.source, 'y');
  for (let at = text.indexOf('\u001b'); at !== -1; at = text.indexOf('\u001b', at + 1)) {
    // First: ESC ] is already a whole (two-character) sequence, but a title that is still arriving too.
    if (text.length - at <= MAX_HELD && UNFINISHED_SEQUENCE.test(text.slice(at))) return at;
    whole.lastIndex = at;
    if (whole.test(text)) at = whole.lastIndex - 1;
  }
  return text.endsWith('\r') ? text.length - 1 : text.length;
}

// eslint-disable-next-line no-control-regex -- the beginnings of the sequences above, up to the end of the text
const UNFINISHED_SEQUENCE = /^\u001b(?:\[[0-?]*[ -/]*|\][^\u0007\u001b]*\u001b?)?$/;

function clean(text: string): string {
  return withoutUnsafeCharacters(text.replace(/\r\n?/g, '\n').replace(ESCAPE_SEQUENCE, ''), true);
}

/** The end of `bytes` moved back so no UTF-8 character is cut: a page of text ends on a whole character. */
export function wholeCharactersEnd(bytes: Uint8Array, end: number): number {
  // The lead byte of the last character that starts before `end` (continuation bytes are 10xxxxxx).
  let lead = end - 1;
  while (lead > 0 && lead > end - 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  if (lead < 0) return end;
  const first = bytes[lead]!;
  const length = first < 0x80 ? 1 : first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return lead + length <= end ? end : lead;
}

/** The start of a page moved forward past continuation bytes, so it begins on a whole character. */
export function wholeCharactersStart(bytes: Uint8Array, start: number): number {
  let at = start;
  while (at < bytes.length && at < start + 3 && (bytes[at]! & 0xc0) === 0x80) at++;
  return at;
}
