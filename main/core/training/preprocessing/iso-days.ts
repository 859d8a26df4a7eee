/**
 * An ISO 8601 date or date-time (the forms the table scanner calls `datetime`:
 * YYYY-MM-DD, optionally [T, t or space]HH:MM[:SS[.fraction]][Z or ±HH[:MM]]) as days since
 * 1970-01-01T00:00Z, with the time as a fraction of a day. A time without a zone is read as UTC,
 * so the same text gives the same number on every machine. NaN when the text is not one.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;
const MS_PER_DAY = 86_400_000;

export function isoDays(text: string): number {
  const match = ISO.exec(text);
  if (!match) return Number.NaN;
  const [, year, month, day, hour, minute, second, fraction, , sign, zoneHour, zoneMinute] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return Number.NaN;
  const h = hour === undefined ? 0 : Number(hour);
  const min = minute === undefined ? 0 : Number(minute);
  const s = second === undefined ? 0 : Number(second);
  if (h > 23 || min > 59 || s > 60) return Number.NaN;
  const ms = fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000;
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d); // years 0–99 too (Date.UTC would read them as 1900–1999)
  date.setUTCHours(h, min, s, ms);
  const offsetMinutes = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(zoneHour) * 60 + Number(zoneMinute ?? 0));
  return (date.getTime() - offsetMinutes * 60_000) / MS_PER_DAY;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
