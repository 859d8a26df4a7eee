import { visible } from './terminal-text.ts';

/**
 * A plain-text table for terminals: columns padded, numbers right-aligned, long cells cut. Every
 * cell is one line, with control characters shown as escapes: cells are data.
 */
export function textTable(header: readonly string[], rows: readonly (readonly unknown[])[], maxCell = 40): string {
  const cells = [header.map((name) => cut(visible(name), maxCell)), ...rows.map((row) => row.map((cell) => cut(display(cell), maxCell)))];
  const numeric = header.map((_, col) => rows.length > 0 && rows.every((row) => typeof row[col] === 'number' || row[col] === null));
  const widths = header.map((_, col) => Math.max(...cells.map((row) => (row[col] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, col) => (numeric[col] ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0))).join('  ').trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n');
}

function display(cell: unknown): string {
  if (cell === null || cell === undefined) return '·';
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : formatNumber(cell);
  return visible(String(cell));
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return value.toExponential(3);
  return String(Number(value.toPrecision(6)));
}
