/**
 * File sizes as people read them, the same in the UI and the CLI. SI units, as Finder and most
 * file managers show them: 1 kB = 1000 bytes. (Limits, which are powers of two, are worded by
 * main/core/byte-limit.ts instead: "64 MiB".)
 */
export function formatBytes(bytes: number, locale?: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'] as const;
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  // Round first, so that 999.96 kB reads "1 MB" and not "1,000 kB".
  if (Number(value.toPrecision(3)) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
