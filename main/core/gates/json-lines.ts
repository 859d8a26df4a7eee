/**
 * Where things are in a JSON text a person edits, so an error can say "line 12": the line of a
 * position (for JSON.parse's complaints) and the line where the value at a path starts (for a
 * schema's). The walk is a small scanner over text that has already parsed, so it trusts the
 * syntax and only tracks keys, indices and line breaks.
 */

/** The 1-based line and column of a character offset. */
export function lineAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < Math.min(offset, text.length); i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The line where the value at `path` (keys and indices) starts, or of its nearest parent that exists. */
export function lineOfPath(text: string, path: readonly PropertyKey[]): number {
  let found = 1;
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i += 1;
  };
  const readString = (): string => {
    const start = i;
    i += 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i += 1;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skipValue = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '"') readString();
    else if (c === '{' || c === '[') {
      let depth = 0;
      while (i < text.length) {
        const d = text[i];
        if (d === '"') {
          readString();
          continue;
        }
        if (d === '{' || d === '[') depth += 1;
        if (d === '}' || d === ']') depth -= 1;
        i += 1;
        if (depth === 0) return;
      }
    } else while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i += 1;
  };
  skipSpace();
  for (const step of path) {
    const c = text[i];
    let located = false;
    if (c === '{' && typeof step === 'string') {
      i += 1;
      for (;;) {
        skipSpace();
        if (text[i] !== '"') break;
        const key = readString();
        skipSpace();
        i += 1; // the colon
        skipSpace();
        if (key === step) {
          located = true;
          break;
        }
        skipValue();
        skipSpace();
        if (text[i] === ',') i += 1;
      }
    } else if (c === '[' && typeof step === 'number') {
      i += 1;
      for (let index = 0; ; index += 1) {
        skipSpace();
        if (text[i] === ']' || i >= text.length) break;
        if (index === step) {
          located = true;
          break;
        }
        skipValue();
        skipSpace();
        if (text[i] === ',') i += 1;
      }
    }
    if (!located) return found;
    found = lineAt(text, i).line;
  }
  return found;
}
