// Helpers for the scanner's tests (not used by the app).
import type { LatheError } from '../../../../shared/contract/result.ts';
import { LatheFailure } from '../../errors.ts';
import { createTableScanner, type TableScanOptions, type TableScanResult } from './table-scanner.ts';

export type ScanOptions = Partial<TableScanOptions>;

const encoder = new TextEncoder();

export function bytesOf(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The file name a format's tests use: data.csv, data.json, ... */
export function fileFor(format: TableScanOptions['format']): string {
  return `data.${format}`;
}

/** Scans bytes given as chunks (or one string/byte array) to the end. */
export function scan(input: string | Uint8Array | Uint8Array[], options: ScanOptions = {}): TableScanResult {
  const format = options.format ?? 'csv';
  const scanner = createTableScanner({ fileName: fileFor(format), ...options, format });
  const chunks = typeof input === 'string' ? [bytesOf(input)] : Array.isArray(input) ? input : [input];
  for (const chunk of chunks) scanner.write(chunk);
  return scanner.end();
}

/** The LatheError a scan fails with (the test fails if it does not). */
export function scanError(input: string | Uint8Array | Uint8Array[], options: ScanOptions = {}): LatheError {
  try {
    scan(input, options);
  } catch (error) {
    if (error instanceof LatheFailure) return error.error;
    throw error;
  }
  throw new Error('expected the scan to fail');
}

/** Splits bytes at the given offsets (sorted, deduplicated, within range). */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => Math.max(0, Math.min(bytes.length, cut))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.slice(from, point));
    from = point;
  }
  chunks.push(bytes.slice(from));
  return chunks;
}

/** Every chunk one byte long: the harshest split. */
export function byteByByte(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (byte) => Uint8Array.of(byte));
}
