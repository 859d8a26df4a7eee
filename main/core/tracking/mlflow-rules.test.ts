import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBatchCounts, checkMlflowKey, checkParam, metricValue, posixNormpath } from './mlflow-rules.ts';

describe('posixNormpath', () => {
  // What Python 3.11's posixpath.normpath answers for each.
  const python: [string, string][] = [
    ['', '.'], ['.', '.'], ['..', '..'], ['a', 'a'], ['a/', 'a'], ['/a', '/a'], ['//a', '//a'], ['///a', '/a'],
    ['a//b', 'a/b'], ['a/./b', 'a/b'], ['a/../b', 'b'], ['../a', '../a'], ['a/b/../../..', '..'], ['/..', '/'],
    ['/../a', '/a'], ['a/..', '.'], ['./a', 'a'], ['a/b/', 'a/b'], [' a / b ', ' a / b '], ['....', '....'],
    ['.a', '.a'], ['a..b', 'a..b'], ['//', '//'], ['///', '/'],
  ];

  it.each(python)('normalises %j to %j as Python does', (path, expected) => {
    expect(posixNormpath(path)).toBe(expected);
  });

  it('is idempotent, and never leaves "." or empty parts inside', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '.', '..', '', 'c.d'), { maxLength: 8 }), fc.boolean(), (parts, absolute) => {
        const normal = posixNormpath((absolute ? '/' : '') + parts.join('/'));
        expect(posixNormpath(normal)).toBe(normal);
        const inside = normal.replace(/^\/+/, '');
        if (normal !== '.' && inside !== '') expect(inside.split('/').filter((part) => part === '' || part === '.')).toEqual([]);
      }),
    );
  });
});

describe('MLflow keys', () => {
  it('accepts every key that names itself as a path and holds only MLflow\'s characters', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zA-Z0-9_\- ][a-zA-Z0-9_.\- ]{0,8}$/), { minLength: 1, maxLength: 4 }), (parts) => {
        const key = parts.join('/');
        fc.pre(parts.every((part) => part !== '.' && part !== '..'));
        expect(() => checkMlflowKey('metric', key)).not.toThrow();
      }),
    );
  });

  it('refuses a key that would resolve to another name, saying which', () => {
    expect(() => checkMlflowKey('tag', 'x/../../y')).toThrow(/This name would resolve to '\.\.\/y'$/);
  });

  it('counts characters as Python does (code points), not UTF-16 units', () => {
    expect(() => checkParam('k', '😀'.repeat(6000))).not.toThrow();
    expect(() => checkParam('k', '😀'.repeat(6001))).toThrow(/had length 6001, which exceeded length limit of 6000$/);
  });
});

describe('log-batch counts', () => {
  it('names the first limit passed, in MLflow\'s order', () => {
    expect(() => checkBatchCounts(1000, 100, 100)).toThrow(/at most 1000 metrics, params, and tags\. Got 1200/);
    expect(() => checkBatchCounts(1001, 101, 0)).toThrow(/at most 1000 metrics\. Got 1001 metrics/);
    expect(() => checkBatchCounts(800, 100, 100)).not.toThrow();
  });
});

describe('metric values', () => {
  it('reads numbers and protobuf JSON\'s special strings, and refuses anything else', () => {
    expect(metricValue(0.5, 'k', 1)).toBe(0.5);
    expect(metricValue('NaN', 'k', 1)).toBeNaN();
    expect(metricValue('-Infinity', 'k', 1)).toBe(-Infinity);
    expect(metricValue('1e3', 'k', 1)).toBe(1000);
    for (const bad of ['', 'nan', 'true', true, null, {}, '0x10']) {
      expect(() => metricValue(bad, 'k', 1)).toThrow(/^Got invalid value .* for metric 'k' \(timestamp=1\)\. Please specify value as a valid double/);
    }
  });
});
