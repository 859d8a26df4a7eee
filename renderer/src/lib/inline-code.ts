export interface TextPart {
  readonly text: string;
  readonly code: boolean;
}

/**
 * Messages from main quote commands and names in backticks ("Run `lathe init /x`"); split them
 * so the quoted parts can be shown as code. An unmatched backtick is kept as text.
 */
export function splitInlineCode(message: string): TextPart[] {
  const parts: TextPart[] = [];
  let rest = message;
  for (;;) {
    const open = rest.indexOf('`');
    const close = open < 0 ? -1 : rest.indexOf('`', open + 1);
    if (open < 0 || close < 0) break;
    if (open > 0) parts.push({ text: rest.slice(0, open), code: false });
    if (close > open + 1) parts.push({ text: rest.slice(open + 1, close), code: true });
    rest = rest.slice(close + 1);
  }
  if (rest) parts.push({ text: rest, code: false });
  return parts;
}
