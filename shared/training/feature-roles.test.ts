import { describe, expect, it } from 'vitest';
import { featureRole, type FeatureFacts } from './feature-roles.ts';

const facts = (type: FeatureFacts['type'], extra: Partial<FeatureFacts> = {}): FeatureFacts => ({ name: 'c', type, count: 100, missing: 0, distinct: 7, min: 0, max: 99, ...extra });

describe('which columns feed a model', () => {
  it('encodes each type its own way', () => {
    expect(featureRole(facts('number'), 100)).toEqual({ use: true, encoding: 'standardize' });
    expect(featureRole(facts('integer'), 100)).toEqual({ use: true, encoding: 'standardize' });
    expect(featureRole(facts('datetime'), 100)).toEqual({ use: true, encoding: 'epoch-days' });
    expect(featureRole(facts('boolean', { distinct: 2 }), 100)).toEqual({ use: true, encoding: 'binary' });
    expect(featureRole(facts('string'), 100)).toEqual({ use: true, encoding: 'one-hot' });
  });

  it('leaves out columns that cannot help, saying why', () => {
    expect(featureRole(facts('empty', { count: 0, distinct: 0, missing: 100 }), 100)).toEqual({ use: false, why: 'every value is missing' });
    expect(featureRole(facts('number', { count: 3, missing: 97 }), 100)).toMatchObject({ use: false, why: expect.stringContaining('missing in 97 of 100') });
    expect(featureRole(facts('string', { distinct: 1, topValue: 'EU' }), 100)).toMatchObject({ use: false, why: expect.stringContaining('constant: the same value ("EU")') });
    expect(featureRole(facts('string', { distinct: 98 }), 100)).toMatchObject({ use: false, why: expect.stringContaining('an identifier') });
    expect(featureRole(facts('string', { approximate: true, distinct: 50_000, count: 60_000 }), 60_000)).toMatchObject({ use: false });
    expect(featureRole(facts('integer', { distinct: 100, min: 1, max: 100 }), 100)).toMatchObject({ use: false, why: expect.stringContaining('a row number') });
  });

  it('keeps columns that only look like identifiers in small or gappy data', () => {
    expect(featureRole(facts('string', { count: 10, distinct: 10 }), 10).use).toBe(true);
    expect(featureRole(facts('integer', { distinct: 100, min: 3, max: 5000 }), 100).use).toBe(true);
    expect(featureRole(facts('number', { distinct: 100 }), 100).use).toBe(true);
  });
});
