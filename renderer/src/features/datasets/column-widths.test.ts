import { describe, expect, it } from 'vitest';
import { clampWidth, defaultColumnWidth, MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH, widthsToRemember } from './column-widths.ts';

describe('column widths', () => {
  it('keep every width within the limits', () => {
    expect(clampWidth(3)).toBe(MIN_COLUMN_WIDTH);
    expect(clampWidth(10_000)).toBe(MAX_COLUMN_WIDTH);
    expect(clampWidth(120.4)).toBe(120);
  });
  it('start wider for long names and for text than for numbers', () => {
    expect(defaultColumnWidth('id', 'integer')).toBeLessThan(defaultColumnWidth('id', 'string'));
    expect(defaultColumnWidth('flipper_length_mm', 'integer')).toBeGreaterThan(defaultColumnWidth('year', 'integer'));
    expect(defaultColumnWidth('x'.repeat(500), 'string')).toBeLessThanOrEqual(280);
  });
  it('remember only columns of this table, clamped', () => {
    expect(widthsToRemember({ a: 20, b: 150, gone: 90, bad: Number.NaN }, ['a', 'b', 'bad'])).toEqual({ a: MIN_COLUMN_WIDTH, b: 150 });
  });
});
