
/** A duration as people say it: "850 ms", "42 s", "3 min 05 s", "2 h 14 min", "3 d 4 h". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${(ms / 1000).toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

// Made once: building an Intl.NumberFormat costs far more than using one, and a table formats
// hundreds of cells a frame while it scrolls.
const whole = new Intl.NumberFormat();
const scientific = new Intl.NumberFormat(undefined, { notation: 'scientific', maximumFractionDigits: 2 });
const fourDigits = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 4 });

/** A metric value: 4 significant digits (whole numbers in full), NaN and infinities spelled out. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e9) return whole.format(value);
  if (magnitude !== 0 && (magnitude >= 1e9 || magnitude < 1e-3)) return scientific.format(value);
  return fourDigits.format(value);
}

/** A share 0..1 as a percentage with one decimal ("96.4%"), for accuracy and friends. */
export function formatPercent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `${(value * 100).toFixed(1)}%`;
}

/** A start time in the table: "2025-06-01 14:05" (local, sorts as text). */
export function formatStart(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
