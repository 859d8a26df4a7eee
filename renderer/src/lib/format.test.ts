import { describe, expect, it } from 'vitest';
import { describeFailure, formatTimestamp, formatRelativeTime, formatShape, formatShare, formatStat, shortHash } from './format.ts';

describe('shortHash', () => {
  it('drops the algorithm and keeps 12 hex digits', () => {
    expect(shortHash(`sha256:${'ab'.repeat(32)}`)).toBe('abababababab');
    expect(shortHash('9f86d081884c7d65', 7)).toBe('9f86d08');
  });
});

describe('numbers', () => {
  it('shapes read rows × columns', () => {
    expect(formatShape(344, 8, 'en-US')).toBe('344 × 8');
    expect(formatShape(1_200_000, 12, 'en-US')).toBe('1,200,000 × 12');
  });
  it('statistics keep integers whole and round the rest to 5 significant digits', () => {
    expect(formatStat(null)).toBe('—');
    expect(formatStat(2007, 'en-US')).toBe('2,007');
    expect(formatStat(43.921929824561, 'en-US')).toBe('43.922');
    expect(formatStat(0.000012, 'en-US')).toBe('1.2E-5');
    expect(formatStat(0, 'en-US')).toBe('0');
  });
  it('shares never round a few missing values down to 0% or up to 100%', () => {
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(0.0001, 'en-US')).toBe('<0.1%');
    expect(formatShare(2 / 344, 'en-US')).toBe('0.6%');
    expect(formatShare(0.5, 'en-US')).toBe('50%');
    expect(formatShare(0.9999, 'en-US')).toBe('>99.9%');
    expect(formatShare(1)).toBe('100%');
  });
});

describe('formatRelativeTime', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  it('reads naturally', () => {
    expect(formatRelativeTime('2025-06-01T11:59:50Z', now, 'en-US')).toBe('just now');
    expect(formatRelativeTime('2025-06-01T11:55:00Z', now, 'en-US')).toBe('5 minutes ago');
    expect(formatRelativeTime('2025-05-31T12:00:00Z', now, 'en-US')).toBe('yesterday');
    expect(formatRelativeTime('2025-01-01T12:00:00Z', now, 'en-US')).toBe('Jan 1, 2025');
  });
});

describe('describeFailure', () => {
  it('puts the file the user dropped in front of a bare line number', () => {
    const report = describeFailure(
      { code: 'PARSE_ERROR', message: 'Row 3 has 4 fields; the header has 3.', location: { line: 4, column: 9 }, hint: 'Check the quoting on that line.' },
      'scores.csv',
    );
    expect(report).toEqual({ title: 'Row 3 has 4 fields; the header has 3.', where: 'scores.csv:4:9', hint: 'Check the quoting on that line.', details: [] });
  });
  it('keeps the location main gave and adds the field', () => {
    const report = describeFailure({ code: 'PARSE_ERROR', message: 'Bad value', location: { file: 'a.jsonl', line: 2, field: 'age' } }, 'b.jsonl');
    expect(report.where).toBe('a.jsonl:2, field "age"');
  });
  it('names the file when there is no location', () => {
    expect(describeFailure({ code: 'ENCODING_ERROR', message: 'Not UTF-8' }, 'x.csv').where).toBe('x.csv');
    expect(describeFailure({ code: 'INTERNAL', message: 'Oops' }).where).toBeNull();
  });
  it('lists schema issues', () => {
    const report = describeFailure({ code: 'INVALID_INPUT', message: 'Invalid', issues: [{ path: 'name', message: 'too long' }] });
    expect(report.details).toEqual(['name: too long']);
  });
});

describe('formatTimestamp', () => {
  it('is compact, 24-hour and local', () => {
    const local = new Date(2025, 5, 1, 9, 5);
    expect(formatTimestamp(local.toISOString())).toBe('2025-06-01 09:05');
    expect(formatTimestamp('not a date')).toBe('not a date');
  });
});
