/**
 * Recognisers for the typed values a CSV cell can hold, working on a range of UTF-8 bytes.
 * They accept exactly:
 *   number:   [+-]? digits [. digits]? ([eE] [+-]? digits)?   (also ".5" and "5."), finite only;
 *             "inf", "Infinity", "0x1F", "1_000", "1,5" and surrounding spaces are NOT numbers.
 *   integer:  [+-]? digits, within Number.MAX_SAFE_INTEGER ("1.0" and "1e3" are numbers).
 *   boolean:  true / false in any letter case.
 *   datetime: ISO 8601: YYYY-MM-DD, optionally [T or space]HH:MM[:SS[.fraction]][Z or ±HH[:MM]],
 *             with real calendar dates (no February 30th).
 * Reads stay inside [start, end).
 */
import { decodeBytes } from './utf8-bytes.ts';

/** Set by scanNumber: whether the last number scanned was an integer literal. */
export const numberScan = { integer: false };

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * The value of the decimal numeral in bytes[start, end), or NaN when it is not one (or is not
 * finite). Numerals of up to 15 significant digits with a decimal exponent within ±22 are
 * computed exactly by Clinger's fast path (an exact integer times or divided by an exact power
 * of ten rounds correctly, just like Number()); anything else goes through Number().
 *
 * This first part reads an integer, the most common number in a table, and is small enough
 * for V8 to inline into the per-cell code; fractions and exponents continue in scanFraction.
 */
export function scanNumber(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = bytes[i] === 45; /* - */
  if (negative || bytes[i] === 43 /* + */) i++;
  const intStart = i;
  let mantissa = 0;
  while (i < end) {
    const digit = (bytes[i] as number) - 48;
    if (digit < 0 || digit > 9) break;
    mantissa = mantissa * 10 + digit;
    i++;
  }
  if (i === end && i - intStart <= 15 && i > intStart) {
    numberScan.integer = true;
    return negative ? -mantissa : mantissa;
  }
  return scanFraction(bytes, start, end, i, i - intStart, mantissa, negative);
}

/** scanNumber after the integer digits: bytes[i] is what follows them. */
function scanFraction(bytes: Uint8Array, start: number, end: number, i: number, intDigits: number, mantissa: number, negative: boolean): number {
  if (i === end) {
    if (intDigits === 0) return Number.NaN;
    const value = slowNumber(bytes, start, end);
    numberScan.integer = Number.isSafeInteger(value);
    return value;
  }
  numberScan.integer = false;
  let fracDigits = 0;
  if (bytes[i] === 46 /* . */) {
    i++;
    const fracStart = i;
    while (i < end) {
      const digit = (bytes[i] as number) - 48;
      if (digit < 0 || digit > 9) break;
      mantissa = mantissa * 10 + digit;
      i++;
    }
    fracDigits = i - fracStart;
  }
  const digits = intDigits + fracDigits;
  if (digits === 0) return Number.NaN;
  let exponent = 0;
  if (i < end) {
    let c = bytes[i] as number;
    if (c !== 101 /* e */ && c !== 69 /* E */) return Number.NaN;
    i++;
    let negativeExponent = false;
    if (i < end) {
      c = bytes[i] as number;
      if (c === 45 || c === 43) {
        negativeExponent = c === 45;
        i++;
      }
    }
    const expStart = i;
    while (i < end) {
      const digit = (bytes[i] as number) - 48;
      if (digit < 0 || digit > 9) return Number.NaN;
      if (exponent < 10_000) exponent = exponent * 10 + digit;
      i++;
    }
    if (i === expStart) return Number.NaN;
    if (negativeExponent) exponent = -exponent;
  }
  const scale = exponent - fracDigits;
  if (digits <= 15 && scale >= -22 && scale <= 22) {
    const value = scale < 0 ? mantissa / (POW10[-scale] as number) : mantissa * (POW10[scale] as number);
    return negative ? -value : value;
  }
  return slowNumber(bytes, start, end);
}

function slowNumber(bytes: Uint8Array, start: number, end: number): number {
  const value = Number(decodeBytes(bytes, start, end));
  return Number.isFinite(value) ? value : Number.NaN;
}

/** 1 for "true", 0 for "false" (any case), -1 otherwise. */
export function scanBoolean(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 4) {
    return ((bytes[start] as number) | 32) === 116 &&
      ((bytes[start + 1] as number) | 32) === 114 &&
      ((bytes[start + 2] as number) | 32) === 117 &&
      ((bytes[start + 3] as number) | 32) === 101
      ? 1
      : -1;
  }
  if (length === 5) {
    return ((bytes[start] as number) | 32) === 102 &&
      ((bytes[start + 1] as number) | 32) === 97 &&
      ((bytes[start + 2] as number) | 32) === 108 &&
      ((bytes[start + 3] as number) | 32) === 115 &&
      ((bytes[start + 4] as number) | 32) === 101
      ? 0
      : -1;
  }
  return -1;
}

/** Two digits at bytes[i] as a number, or -1 (the caller checks i + 2 <= end). */
function twoDigits(bytes: Uint8Array, i: number): number {
  const a = (bytes[i] as number) - 48;
  const b = (bytes[i + 1] as number) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Whether bytes[start, end) is an ISO 8601 date or date-time (see the top of this file). The
 * date part is checked here, small enough to inline; a time goes on to isIsoTime.
 */
export function isIsoDatetime(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < 10 || bytes[start + 4] !== 45 || bytes[start + 7] !== 45) return false;
  const century = twoDigits(bytes, start);
  const yy = twoDigits(bytes, start + 2);
  const month = twoDigits(bytes, start + 5);
  const day = twoDigits(bytes, start + 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || (day > 28 && day > daysInMonth(century * 100 + yy, month))) return false;
  return start + 10 === end || isIsoTime(bytes, start + 10, end);
}

/** The rest of an ISO 8601 date-time: [T or space]HH:MM[:SS[.fraction]][Z or ±HH[:MM]]. */
function isIsoTime(bytes: Uint8Array, i: number, end: number): boolean {
  const separator = bytes[i];
  if ((separator !== 84 /* T */ && separator !== 32 /* space */ && separator !== 116) /* t */ || end - i < 6) return false;
  const hour = twoDigits(bytes, i + 1);
  const minute = twoDigits(bytes, i + 4);
  if (hour < 0 || hour > 23 || bytes[i + 3] !== 58 || minute < 0 || minute > 59) return false;
  i += 6;
  if (i === end) return true;
  if (bytes[i] === 58 /* : */) {
    if (end - i < 3) return false;
    const second = twoDigits(bytes, i + 1);
    if (second < 0 || second > 60) return false;
    i += 3;
    if (i < end && (bytes[i] === 46 /* . */ || bytes[i] === 44) /* , */) {
      i++;
      const fracStart = i;
      while (i < end && (bytes[i] as number) >= 48 && (bytes[i] as number) <= 57) i++;
      if (i === fracStart) return false;
    }
  }
  if (i === end) return true;
  const zone = bytes[i];
  if (zone === 90 /* Z */ || zone === 122 /* z */) return i + 1 === end;
  if ((zone !== 43 && zone !== 45) || end - i < 3) return false;
  const zoneHour = twoDigits(bytes, i + 1);
  if (zoneHour < 0 || zoneHour > 23) return false;
  i += 3;
  if (i === end) return true;
  if (bytes[i] === 58) i++;
  if (end - i !== 2) return false;
  const zoneMinute = twoDigits(bytes, i);
  return zoneMinute >= 0 && zoneMinute <= 59;
}
