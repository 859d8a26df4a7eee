import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes.ts';

describe('formatBytes', () => {
  it('says bytes below a kilobyte', () => {
    expect(formatBytes(0, 'en-US')).toBe('0 bytes');
    expect(formatBytes(1, 'en-US')).toBe('1 byte');
    expect(formatBytes(999, 'en-US')).toBe('999 bytes');
  });
  it('uses SI units with one decimal under ten', () => {
    expect(formatBytes(1000, 'en-US')).toBe('1 kB');
    expect(formatBytes(1500, 'en-US')).toBe('1.5 kB');
    expect(formatBytes(13_478, 'en-US')).toBe('13 kB');
    expect(formatBytes(4 * 1024 ** 3, 'en-US')).toBe('4.3 GB');
  });
  it('never shows 1,000 of a unit', () => {
    expect(formatBytes(999_960, 'en-US')).toBe('1 MB');
  });
  it('refuses nonsense', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});
