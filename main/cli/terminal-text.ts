/**
 * Text that came from data or from a person (a CSV cell, a commit message, a file name, an error
 * that quotes them) must not drive the terminal it is printed on: ESC and CSI start escape
 * sequences that repaint the screen, set the window title or write to the clipboard; CR and BS
 * overwrite what was printed; bidi controls make text read differently from what it is
 * (CVE-2021-42574). The CLI prints such characters as visible escapes instead, here and only here.
 */

// C0 controls, DEL, C1 controls, the line and paragraph separators, the bidi marks (ALM, LRM,
// RLM) and the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// In JSON text these can occur only inside strings (JSON.stringify writes U+0000–U+001F there as
// escapes already, and puts no whitespace but newlines and spaces between values), so writing them
// as \uXXXX keeps the same JSON value.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_IN_JSON = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` as a terminal should show it: every control and bidi character written as a visible
 * escape (`\x1b`, `\x9b`, `\u202e`, `\t`). A line break stays a line break only where a block of
 * several lines is meant (`{ lines: true }`); in one line (a table cell, a name) it reads `\n`.
 */
export function visible(text: string, options: { lines?: boolean } = {}): string {
  return text.replace(options.lines ? UNSAFE_BUT_NEWLINE : UNSAFE, escapeOne);
}

/** JSON text that no terminal showing it can be driven by: the same value, unsafe characters as \uXXXX. */
export function safeJsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `--json` output: indented JSON, safe to print on a terminal. */
export function jsonForTerminal(value: unknown): string {
  return safeJsonText(JSON.stringify(value, null, 2));
}
