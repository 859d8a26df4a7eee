import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMissingBytes, MISSING_VALUE_TOKENS } from './missing-values.ts';
import { bytesOf } from './scan-test-helpers.ts';
import { isIsoDatetime, numberScan, scanBoolean, scanNumber } from './text-values.ts';

const number = (text: string) => {
  const bytes = bytesOf(text);
  return scanNumber(bytes, 0, bytes.length);
};
const integer = (text: string) => {
  number(text);
  return numberScan.integer;
};
const datetime = (text: string) => {
  const bytes = bytesOf(text);
  return isIsoDatetime(bytes, 0, bytes.length);
};
const boolean = (text: string) => {
  const bytes = bytesOf(text);
  return scanBoolean(bytes, 0, bytes.length);
};

describe('numbers', () => {
  it('reads decimal numerals with sign, fraction and exponent', () => {
    expect(number('42')).toBe(42);
    expect(number('-7')).toBe(-7);
    expect(number('+3')).toBe(3);
    expect(number('007')).toBe(7);
    expect(number('3.25')).toBe(3.25);
    expect(number('.5')).toBe(0.5);
    expect(number('5.')).toBe(5);
    expect(number('1e3')).toBe(1000);
    expect(number('-2.5E-3')).toBe(-0.0025);
    expect(number('12345678901234567890')).toBe(Number('12345678901234567890'));
  });

  it('rejects what is not a finite decimal numeral', () => {
    for (const text of ['', '-', '.', 'e5', '1e', '1e+', '1.2.3', '0x1F', '1_000', '1,5', ' 1', '1 ', 'inf', 'Infinity', 'NaN', '1e400', '--1', '12a']) {
      expect(number(text), text).toBeNaN();
    }
  });

  it('tells integer literals (within the safe range) from other numbers', () => {
    expect(integer('12')).toBe(true);
    expect(integer('-0')).toBe(true);
    expect(integer('9007199254740991')).toBe(true);
    expect(integer('9007199254740993')).toBe(false);
    expect(integer('1.0')).toBe(false);
    expect(integer('1e3')).toBe(false);
  });

  it('agrees with Number() on any double written in any of JavaScript’s styles', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 20 }), (value, digits) => {
        for (const text of [String(value), value.toExponential(digits), value.toPrecision(Math.max(1, digits)), Math.abs(value) < 1e21 ? value.toFixed(digits) : String(value)]) {
          const expected = Number(text);
          // A numeral that rounds to infinity ("2e+308") is not a finite number: rejected.
          if (Number.isFinite(expected)) expect(number(text), text).toBe(expected);
          else expect(number(text), text).toBeNaN();
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with Number() on short decimals (the fast path)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: -25, max: 25 }), (mantissa, point, exponent) => {
        const digits = String(Math.abs(mantissa)).padStart(point + 1, '0');
        const text = `${mantissa < 0 ? '-' : ''}${digits.slice(0, digits.length - point)}.${digits.slice(digits.length - point)}e${exponent}`;
        expect(number(text), text).toBe(Number(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('booleans, datetimes and missing values', () => {
  it('reads true and false in any case, and nothing else', () => {
    expect(['true', 'TRUE', 'True', 'false', 'FaLsE'].map(boolean)).toEqual([1, 1, 1, 0, 0]);
    expect(['yes', '1', 't', 'truee', ''].map(boolean)).toEqual([-1, -1, -1, -1, -1]);
  });

  it('reads ISO 8601 dates and date-times', () => {
    for (const text of ['2024-01-31', '2024-02-29', '2024-01-31T12:00', '2024-01-31T12:00:00', '2024-01-31 12:00:00', '2024-01-31T12:00:00Z', '2024-01-31T12:00:00.123456+02:00', '2024-01-31T23:59:59-0530', '2024-01-31T12:00+01']) {
      expect(datetime(text), text).toBe(true);
    }
  });

  it('rejects what is not a real ISO 8601 date', () => {
    for (const text of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-1-31', '31/01/2024', '2024-01-31T25:00', '2024-01-31T12', '2024-01-31T12:00:00.', '2024-01-31Z', '2024-01-31T12:00:00+2', '20240131', '2024-01-31x']) {
      expect(datetime(text), text).toBe(false);
    }
  });

  it('knows the missing-value tokens, as pandas reads them', () => {
    for (const token of MISSING_VALUE_TOKENS) {
      const bytes = bytesOf(token);
      expect(isMissingBytes(bytes, 0, bytes.length), token).toBe(true);
    }
    for (const text of ['na', 'n/a', 'NAN', 'Null', 'none', ' ', '-', 'NA ', 'NONE']) {
      const bytes = bytesOf(text);
      expect(isMissingBytes(bytes, 0, bytes.length), text).toBe(false);
    }
  });
});
