import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aliasNameProblem, formatModelRef, ModelRefText, readModelRef } from './model-ref.ts';

describe('readModelRef', () => {
  it.each([
    ['churn@3', { name: 'churn', kind: 'version', version: 3 }],
    ['churn@champion', { name: 'churn', kind: 'alias', alias: 'champion' }],
    ['churn@latest', { name: 'churn', kind: 'latest' }],
    ['Churn.v2_eu-west@challenger-b', { name: 'Churn.v2_eu-west', kind: 'alias', alias: 'challenger-b' }],
  ])('%s', (text, ref) => {
    expect(readModelRef(text)).toEqual({ ok: true, ref });
  });

  it.each([
    ['churn', 'names no version'],
    ['churn@', 'put a version number or an alias after the @'],
    ['@3', 'is not a model name'],
    ['../etc@3', 'is not a model name'],
    ['con@3', 'device names on Windows'],
    ['churn@0', 'a version number is a whole number from 1'],
    ['churn@007', 'without leading zeros'],
    ['churn@1000000000', 'a version number is a whole number from 1'],
    ['churn@Champion', 'is not an alias name'],
    ['churn@v2', 'reserved'],
    ['churn@a b', 'is not an alias name'],
    ['a@b@3', 'is not a model name'],
  ])('refuses %s, saying why', (text, why) => {
    const reading = readModelRef(text);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problem).toContain(why);
  });

  it('reads back what it formats', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/).filter((n) => !/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i.test(n));
    const ref = fc.oneof(
      fc.record({ name, kind: fc.constant('version' as const), version: fc.integer({ min: 1, max: 999_999_999 }) }),
      fc.record({ name, kind: fc.constant('alias' as const), alias: fc.stringMatching(/^[a-z][a-z0-9_-]{0,20}$/).filter((a) => aliasNameProblem(a) === null) }),
      fc.record({ name, kind: fc.constant('latest' as const) }),
    );
    fc.assert(fc.property(ref, (r) => {
      expect(readModelRef(formatModelRef(r))).toEqual({ ok: true, ref: r });
    }));
  });
});

describe('alias names', () => {
  it('never takes a number, so NAME@3 can only mean version 3', () => {
    fc.assert(fc.property(fc.nat(), (n) => {
      expect(aliasNameProblem(String(n))).toContain('is a number');
    }));
  });

  it('keeps MLflow\'s reserved names out', () => {
    expect(aliasNameProblem('latest')).toContain('reserved');
    expect(aliasNameProblem('v12')).toContain('reserved');
    expect(aliasNameProblem('v1beta')).toBeNull();
  });
});

describe('ModelRefText', () => {
  it('carries the problem as the schema message', () => {
    const parsed = ModelRefText.safeParse('churn@Champion');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('lowercase');
  });
});
