import { describe, expect, it } from 'vitest';
import { noneStandsOut, topCountText } from './column-profile.tsx';

describe('top value counts on the Profile tab', () => {
  it('shows an exact count as a number, and an estimate with its bound', () => {
    expect(topCountText({ value: 'a', count: 123 })).toBe('123');
    expect(topCountText({ value: 'b', count: 16, error: 2 })).toBe('≈16 ± 2');
  });

  it('says no value stands out when even the first estimate is mostly uncertainty', () => {
    expect(noneStandsOut([{ value: 'obs-1', count: 61, error: 58 }])).toBe(119);
    expect(noneStandsOut([{ value: 'alice', count: 2100, error: 20 }])).toBeNull();
    expect(noneStandsOut([{ value: 'exact', count: 3 }])).toBeNull();
    expect(noneStandsOut([])).toBeNull();
  });
});
