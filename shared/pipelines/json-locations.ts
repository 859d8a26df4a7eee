/**
 * Where each value of a JSON text starts, by its path (`steps.2.target`), so a problem found by
 * a schema can be shown at its line and column — in the CLI's message and beside the editor.
 * Only called on text that JSON.parse accepted, so it need not report syntax errors itself.
 */
export interface TextPosition {
  line: number;
  column: number;
}

export type JsonPath = readonly (string | number)[];

export function pathKey(path: JsonPath): string {
  return path.map(String).join('.');
}

/** Line and column (both from 1) of a character offset. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const MAX_DEPTH = 32;

/** The offset at which every value starts (an object member: where its key starts). */
export function valueOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
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
  /** Past this depth a value is stepped over without recording what is inside (no spec nests so deep; hostile text must not exhaust the stack). */
  const skipNested = () => {
    let depth = 0;
    do {
      const char = text[i];
      if (char === '"') {
        readString();
        continue;
      }
      if (char === '{' || char === '[') depth += 1;
      else if (char === '}' || char === ']') depth -= 1;
      i += 1;
    } while (depth > 0 && i < text.length);
  };
  const readValue = (path: (string | number)[], memberStart?: number): void => {
    skipSpace();
    offsets.set(pathKey(path), memberStart ?? i);
    const char = text[i];
    if ((char === '{' || char === '[') && path.length >= MAX_DEPTH) {
      skipNested();
    } else if (char === '{') {
      i += 1;
      skipSpace();
      while (text[i] !== '}' && i < text.length) {
        skipSpace();
        const keyStart = i;
        const key = readString();
        skipSpace();
        i += 1; // ':'
        readValue([...path, key], keyStart);
        skipSpace();
        if (text[i] === ',') i += 1;
        skipSpace();
      }
      i += 1;
    } else if (char === '[') {
      i += 1;
      skipSpace();
      for (let index = 0; text[i] !== ']' && i < text.length; index += 1) {
        readValue([...path, index]);
        skipSpace();
        if (text[i] === ',') i += 1;
        skipSpace();
      }
      i += 1;
    } else if (char === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i += 1;
    }
  };
  readValue([]);
  return offsets;
}

/** Where the value at `path` starts; for a path that is not there (a missing key), its nearest parent. */
export function locate(text: string, offsets: Map<string, number>, path: JsonPath): TextPosition {
  for (let length = path.length; length >= 0; length -= 1) {
    const offset = offsets.get(pathKey(path.slice(0, length)));
    if (offset !== undefined) return positionAt(text, offset);
  }
  return { line: 1, column: 1 };
}

/**
 * Where JSON.parse stopped, from its message: V8 says "… in JSON at position 42 (line 3 column 5)"
 * (older versions only the position). Null when it said neither.
 */
export function syntaxErrorPosition(text: string, message: string): TextPosition | null {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /at position (\d+)/.exec(message);
  if (position) return positionAt(text, Number(position[1]));
  if (/end of (JSON )?input/i.test(message)) return positionAt(text, text.length);
  return null;
}
