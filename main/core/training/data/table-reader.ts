import type { TableFormat } from '../../../../shared/contract/datasets.ts';
import { failure } from '../../errors.ts';
import { decodeBytes } from '../../datasets/table/utf8-bytes.ts';
import { collectorFor, skipCells, type CellCollector, type ColumnReading, type TableColumns } from './table-columns.ts';

/**
 * Reads the columns training needs from a dataset version's bytes, chunk by chunk. The bytes
 * were parsed and profiled when they were imported (and their hash is checked as they stream),
 * so this reader trusts their shape: it reads the formats exactly as the import's scanner does
 * (datasets/table/), with the same value recognisers, but keeps values instead of statistics.
 *
 * CSV/TSV (RFC 4180): the first non-blank row is the header; quoted fields may hold delimiters,
 * quotes ("") and line breaks; LF or CRLF ends a row; blank lines are skipped; a UTF-8 byte
 * order mark is dropped. JSON: a top-level array of objects. JSON Lines: an object per line.
 */
export interface TableReader {
  write(chunk: Uint8Array): void;
  end(): TableColumns;
}

export interface WantedColumn {
  name: string;
  reading: ColumnReading;
}

export function createTableReader(format: TableFormat, wanted: readonly WantedColumn[], expectedRows: number): TableReader {
  const collectors = new Map(wanted.map((column) => [column.name, collectorFor(column.name, column.reading, expectedRows)]));
  const finish = (rows: number): TableColumns => {
    const columns = new Map([...collectors].map(([name, collector]) => [name, collector.column(rows)]));
    return { rows, columns };
  };
  switch (format) {
    case 'csv':
    case 'tsv':
      return new DelimitedReader(format === 'csv' ? 44 : 9, collectors, finish);
    case 'json':
      return jsonReader((text) => JSON.parse(text) as unknown[], collectors, finish);
    case 'jsonl':
      return jsonReader((text) => text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown), collectors, finish);
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

class DelimitedReader implements TableReader {
  readonly #delimiter: number;
  readonly #collectors: Map<string, CellCollector>;
  readonly #finish: (rows: number) => TableColumns;
  /** The cell collector of each column by position, once the header is read. */
  #byPosition: Omit<CellCollector, 'column'>[] | null = null;
  #pending: Uint8Array = new Uint8Array(0);
  #rows = 0;
  #first = true;

  constructor(delimiter: number, collectors: Map<string, CellCollector>, finish: (rows: number) => TableColumns) {
    this.#delimiter = delimiter;
    this.#collectors = collectors;
    this.#finish = finish;
  }

  write(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.#pending.length > 0) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
    }
    if (this.#first) {
      // A byte order mark may come split across chunks: wait for three bytes.
      if (bytes.length < 3) {
        this.#pending = bytes.slice();
        return;
      }
      bytes = withoutBom(bytes);
      this.#first = false;
    }
    const used = this.#rowsIn(bytes, false);
    this.#pending = bytes.slice(used);
  }

  end(): TableColumns {
    const rest = this.#first ? withoutBom(this.#pending) : this.#pending;
    if (rest.length > 0) this.#rowsIn(rest, true);
    this.#pending = new Uint8Array(0);
    return this.#finish(this.#rows);
  }

  /** Reads every complete row of `bytes` (all of them at the end of the file): how many bytes were used. */
  #rowsIn(bytes: Uint8Array, last: boolean): number {
    const delimiter = this.#delimiter;
    let rowStart = 0;
    let quoted = false;
    let fieldStart = true;
    let closedQuote = false;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (quoted) {
        if (c === QUOTE) {
          quoted = false;
          closedQuote = true;
        }
        continue;
      }
      if (c === QUOTE && (fieldStart || closedQuote)) {
        quoted = true; // a field's opening quote, or the second quote of "" inside one
        fieldStart = closedQuote = false;
      } else if (c === LF) {
        this.#row(bytes, rowStart, i > rowStart && bytes[i - 1] === CR ? i - 1 : i);
        rowStart = i + 1;
        fieldStart = true;
        closedQuote = false;
      } else {
        fieldStart = c === delimiter;
        closedQuote = false;
      }
    }
    if (last && rowStart < bytes.length) {
      this.#row(bytes, rowStart, bytes.length);
      return bytes.length;
    }
    return rowStart;
  }

  #row(bytes: Uint8Array, start: number, end: number): void {
    if (start === end) return; // a blank line
    if (this.#byPosition === null) {
      const names: string[] = [];
      this.#fields(bytes, start, end, (from, fieldStart, fieldEnd) => names.push(decodeBytes(from, fieldStart, fieldEnd)));
      this.#byPosition = names.map((name) => this.#collectors.get(name) ?? skipCells);
      return;
    }
    const row = this.#rows++;
    const byPosition = this.#byPosition;
    let column = 0;
    this.#fields(bytes, start, end, (from, fieldStart, fieldEnd) => {
      byPosition[column++]?.cell(from, fieldStart, fieldEnd, row);
    });
  }

  /** Calls `field` with each field's bytes (quotes removed, "" made "), in order. */
  #fields(bytes: Uint8Array, start: number, end: number, field: (bytes: Uint8Array, start: number, end: number) => void): void {
    let i = start;
    for (;;) {
      if (bytes[i] === QUOTE && i < end) {
        let j = i + 1;
        let escaped = false;
        for (; j < end; j++) {
          if (bytes[j] === QUOTE) {
            if (bytes[j + 1] === QUOTE && j + 1 < end) {
              escaped = true;
              j++;
            } else break;
          }
        }
        if (escaped) {
          const unescaped = unescapeQuotes(bytes, i + 1, j);
          field(unescaped, 0, unescaped.length);
        } else {
          field(bytes, i + 1, j);
        }
        i = j + 1;
        while (i < end && bytes[i] !== this.#delimiter) i++;
      } else {
        let j = i;
        while (j < end && bytes[j] !== this.#delimiter) j++;
        field(bytes, i, j);
        i = j;
      }
      if (i >= end) return;
      i++; // the delimiter
    }
  }
}

function withoutBom(bytes: Uint8Array): Uint8Array {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

function unescapeQuotes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    out[n++] = bytes[i] as number;
    if (bytes[i] === QUOTE) i++;
  }
  return out.subarray(0, n);
}

function jsonReader(parse: (text: string) => unknown[], collectors: Map<string, CellCollector>, finish: (rows: number) => TableColumns): TableReader {
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  return {
    write(chunk) {
      parts.push(decoder.decode(chunk, { stream: true }));
    },
    end() {
      parts.push(decoder.decode());
      const records = parse(parts.join(''));
      parts.length = 0;
      records.forEach((record, row) => {
        if (record === null || typeof record !== 'object' || Array.isArray(record)) {
          throw failure('PARSE_ERROR', `Record ${row + 1} of the dataset is not a JSON object.`, { location: { row } });
        }
        for (const [name, collector] of collectors) collector.value((record as Record<string, unknown>)[name], row);
      });
      return finish(records.length);
    },
  };
}
