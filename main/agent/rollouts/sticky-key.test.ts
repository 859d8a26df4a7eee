import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, MAX_KEY_LENGTH, requestKey } from './sticky-key.ts';

describe('A/B sticky keys', () => {
  it('takes parameters.request_key first, then the named header or cookie', () => {
    const headers = { 'x-user': 'alice', cookie: 'theme=dark; uid=u-17 ; empty=' };
    expect(requestKey({ kind: 'header', name: 'X-User' }, headers, 'from-body')).toBe('from-body');
    expect(requestKey({ kind: 'header', name: 'X-User' }, headers, 42)).toBe('42');
    expect(requestKey({ kind: 'header', name: 'X-User' }, headers, undefined)).toBe('alice');
    expect(requestKey({ kind: 'cookie', name: 'uid' }, headers, undefined)).toBe('u-17');
    expect(requestKey({ kind: 'cookie', name: 'empty' }, headers, undefined)).toBeUndefined();
    expect(requestKey({ kind: 'cookie', name: 'missing' }, headers, undefined)).toBeUndefined();
    expect(requestKey({ kind: 'weight' }, headers, undefined)).toBeUndefined();
    expect(requestKey({ kind: 'weight' }, headers, { nested: true })).toBeUndefined();
    expect(requestKey({ kind: 'weight' }, {}, 'k'.repeat(10_000))).toHaveLength(MAX_KEY_LENGTH);
  });

  it('puts a key in one bucket for good, spread evenly over 0..99', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (key, salt) => {
      const bucket = bucketOf(key, salt);
      expect(bucket).toBe(bucketOf(key, salt));
      expect(Number.isInteger(bucket) && bucket >= 0 && bucket < 100).toBe(true);
    }));
    const below50 = Array.from({ length: 10_000 }, (_, i) => bucketOf(`user-${i}`, 'rollout-1')).filter((bucket) => bucket < 50).length;
    expect(below50).toBeGreaterThan(4_800); // binomial(10 000, 0.5): ±2 % is over 4 standard deviations
    expect(below50).toBeLessThan(5_200);
  });
});
