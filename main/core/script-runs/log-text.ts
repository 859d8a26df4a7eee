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
  #pendingCr = false;

  /** The text of the next chunk (empty when it only completed nothing yet). */
  push(chunk: Uint8Array): string {
    return this.#clean(this.#decoder.decode(chunk, { stream: true }));
  }

  /** What is left at the end of the stream (a cut character, a trailing CR). */
  end(): string {
    const rest = this.#clean(this.#decoder.decode());
    if (!this.#pendingCr) return rest;
    this.#pendingCr = false;
    return `${rest}\n`;
  }

  #clean(text: string): string {
    let joined = this.#pendingCr ? `\r${text}` : text;
    this.#pendingCr = joined.endsWith('\r');
    if (this.#pendingCr) joined = joined.slice(0, -1);
    const lines = joined.replace(/\r\n?/g, '\n');
    return withoutUnsafeCharacters(lines.replace(ESCAPE_SEQUENCE, ''), true);
  }
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
