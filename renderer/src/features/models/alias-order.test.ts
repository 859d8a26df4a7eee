import { describe, expect, it } from 'vitest';
import { byAliasRank, sortedAliases } from './alias-order.ts';

describe('the order aliases are shown in', () => {
  it('puts champion first, then the rest by name', () => {
    expect(sortedAliases({ staging: 3, challenger: 2, champion: 1 })).toEqual([
      ['champion', 1],
      ['challenger', 2],
      ['staging', 3],
    ]);
    expect(['challenger', 'champion'].sort(byAliasRank)).toEqual(['champion', 'challenger']);
  });
});
