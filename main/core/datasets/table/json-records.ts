import { findJsonSyntaxError } from './json-syntax.ts';
import { scanFailure } from './scan-errors.ts';
import { MAX_COLUMNS, type TableSink } from './table-sink.ts';
import { advance, type TextPosition } from './text-position.ts';

/**
 * Turns the text of one JSON object (an element of a top-level array, or a JSON Lines line)
 * into a row. Columns are the union of keys in order of first appearance; a key a row lacks is
 * a missing value there. Values are profiled as JSON values (see ColumnProfiler.addValue).
 */
export class JsonRecords {
  private readonly file: string;
  private readonly sink: TableSink;

  constructor(file: string, sink: TableSink) {
    this.file = file;
    this.sink = sink;
  }

  /** `text` is one object, starting with "{" at `at` in the file; `row` is its row index. */
  add(text: string, at: TextPosition, row: number): void {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw this.syntaxError(text, at, row, error);
    }
    let keys = Object.keys(record);
    if (keys.some(isArrayIndex)) keys = keysInTextOrder(text, keys);
    const sink = this.sink;
    const profilers = sink.profilers;
    const preview = sink.startPreviewRow();
    for (const key of keys) {
      const index = sink.columnIndex(key);
      if (index < 0) throw this.tooManyColumns(key, at, row);
      const value = record[key];
      profilers[index]?.addValue(value);
      if (preview !== null) {
        while (preview.length < index) preview.push(null);
        preview[index] = sink.previewBuilder.valueCell(value);
      }
    }
    sink.endRow();
  }

  private tooManyColumns(key: string, at: TextPosition, row: number) {
    const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key;
    return scanFailure(
      'TOO_LARGE',
      this.file,
      `${this.file} has more than ${MAX_COLUMNS.toLocaleString('en')} columns: the object at line ${at.line} adds another, "${shown}"; Lathe imports tables of at most ${MAX_COLUMNS.toLocaleString('en')} columns.`,
      { ...at, row, field: shown },
      `Keep the keys you need (at most ${MAX_COLUMNS.toLocaleString('en')} across all objects) and import that file.`,
    );
  }

  private syntaxError(text: string, at: TextPosition, row: number, error: unknown) {
    const found = findJsonSyntaxError(text) ?? { offset: 0, message: error instanceof Error ? error.message : String(error) };
    const where = advance(at, text, found.offset);
    return scanFailure(
      'PARSE_ERROR',
      this.file,
      `${this.file} is not valid JSON at line ${where.line}, column ${where.column}: ${found.message}.`,
      { ...where, row },
    );
  }
}

/** Keys V8 would list first whatever their order in the text ("0", "17", ...). */
function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57 && String(Number(key) >>> 0) === key && key !== '4294967295';
}

/** The object's own keys in the order they appear in its text (only needed for numeric keys). */
function keysInTextOrder(text: string, keys: string[]): string[] {
  const ordered: string[] = [];
  const wanted = new Set(keys);
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let end = i + 1;
      while (text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (wanted.delete(key)) ordered.push(key);
        expectKey = false;
      }
      i = end;
    } else if (c === 123 || c === 91) {
      depth++;
      expectKey = depth === 1;
    } else if (c === 125 || c === 93) {
      depth--;
    } else if (c === 44 && depth === 1) {
      expectKey = true;
    }
  }
  return ordered;
}
