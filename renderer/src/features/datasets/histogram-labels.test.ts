import { describe, expect, it } from 'vitest';
import { binLabel, binTitle, formatEdge, histogramSummary } from './histogram-labels.ts';

describe('histogram labels', () => {
  it('formats edges to the precision of the bin width', () => {
    expect(formatEdge(12.5, 0.5, 'en-US')).toBe('12.5');
    expect(formatEdge(0.30000000000000004, 0.1, 'en-US')).toBe('0.3');
    expect(formatEdge(2600, 200, 'en-US')).toBe('2,600');
    expect(formatEdge(-1e-17, 0.5, 'en-US')).toBe('0');
    expect(formatEdge(3e20, 1e19, 'en-US')).toBe('3E20');
  });

  it('names integer bins by the values they hold, others by their range', () => {
    const integers = { edges: [0, 1, 2, 4], counts: [3, 1, 2] };
    expect(binLabel(integers, 0, true, 'en-US')).toBe('0');
    expect(binLabel(integers, 2, true, 'en-US')).toBe('2 – 3');
    expect(binTitle(integers, 1, true, 'en-US')).toBe('1 · 1 row');
    const decimals = { edges: [12, 12.5, 13], counts: [2, 14] };
    expect(binTitle(decimals, 1, false, 'en-US')).toBe('12.5 – 13 · 14 rows');
  });

  it('summarises the histogram for screen readers', () => {
    const histogram = { edges: [170, 180, 190, 200], counts: [10, 40, 5] };
    expect(histogramSummary('Flipper', histogram, true, 'en-US')).toBe('Histogram of Flipper: 3 bins from 170 to 200; the most rows, 40, in 180 – 189');
  });
});
