import { formatLocation } from '../../../shared/contract/describe-error.ts';
import type { LatheError } from '../../../shared/contract/result.ts';


/** `sha256:9f86d0…` → `9f86d081884c`: enough to tell versions apart at a glance. */
export function shortHash(contentHash: string, length = 12): string {
  const hex = contentHash.includes(':') ? contentHash.slice(contentHash.indexOf(':') + 1) : contentHash;
  return hex.slice(0, length);
}

export function formatCount(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** `344 × 8`: the shape of a table, rows by columns. */
export function formatShape(rows: number, columns: number, locale?: string): string {
  return `${formatCount(rows, locale)} × ${formatCount(columns, locale)}`;
}

/** A statistic (mean, std, min, max): whole numbers in full, others to 5 significant digits. */
export function formatStat(value: number | null, locale?: string): string {
  if (value === null || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e15) return new Intl.NumberFormat(locale).format(value);
  if (magnitude !== 0 && (magnitude >= 1e9 || magnitude < 1e-4)) {
    return new Intl.NumberFormat(locale, { notation: 'scientific', maximumFractionDigits: 3 }).format(value);
  }
  return new Intl.NumberFormat(locale, { maximumSignificantDigits: 5 }).format(value);
}

/** A share 0..1 as a percentage a person can compare: "0%", "<0.1%", "3.2%", "100%". */
export function formatShare(share: number, locale?: string): string {
  if (share <= 0) return '0%';
  if (share >= 1) return '100%';
  if (share < 0.001) return '<0.1%';
  if (share > 0.999) return '>99.9%';
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: share < 0.1 ? 1 : 0 }).format(share * 100)}%`;
}

/** "just now", "5 minutes ago", "3 days ago"; past a month, the date itself. */
export function formatRelativeTime(iso: string, now: Date = new Date(), locale?: string): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return iso;
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return rtf.format(-hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 30) return rtf.format(-days, 'day');
  return formatDate(iso, locale);
}

export function formatDate(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

/** A compact date and time for tables: "2025-06-01 14:05" (local time, 24-hour, sorts as text). */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function formatDateTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
}

/** The parts of an error a banner shows: what failed, where, and what to do. */
export interface ErrorReport {
  readonly title: string;
  readonly where: string | null;
  readonly hint: string | null;
  readonly details: readonly string[];
}

/**
 * Describe a LatheError for a person. `fileName` names the file the user acted on, for errors
 * whose location leaves it out (an upload is parsed from a temp file the user never saw).
 */
export function describeFailure(error: LatheError, fileName?: string): ErrorReport {
  let location = error.location;
  if (fileName && location && !location.file && (location.line !== undefined || location.row !== undefined || location.field !== undefined)) {
    location = { ...location, file: fileName };
  }
  let where = formatLocation(location) || null;
  if (location?.row !== undefined && location.line === undefined) {
    where = [where, `row ${location.row}`].filter(Boolean).join(', ');
  }
  if (!where && fileName) where = fileName;
  const details = (error.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`);
  return { title: error.message, where, hint: error.hint ?? null, details };
}
