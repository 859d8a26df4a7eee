import { describe, expect, it } from 'vitest';
import { plainTextRefusal, targetProblems } from './add-target-dialog.tsx';

describe('the Add target form', () => {
  it('asks for each field a person left empty, in words', () => {
    expect(targetProblems({ name: ' ', url: '', token: '' }, [])).toEqual({
      name: 'Name the target, like edge-1.',
      url: 'Give the URL the agent printed, like http://10.0.0.5:8080.',
      token: 'Paste the admin token the agent printed at its first start.',
    });
  });

  it('says what main would of a bad name or address, and of a name already taken', () => {
    expect(targetProblems({ name: 'Edge 1', url: 'ftp://box:21', token: 't' }, []).name).toMatch(/lowercase letters/);
    expect(targetProblems({ name: 'edge-1', url: 'ftp://box:21', token: 't' }, []).url).toMatch(/not ftp/);
    expect(targetProblems({ name: 'edge-1', url: 'http://user:secret@box:8080', token: 't' }, []).url).toMatch(/plain text/);
    expect(targetProblems({ name: 'edge-1', url: 'http://box:8080/admin', token: 't' }, []).url).toMatch(/without a path/);
    expect(targetProblems({ name: 'edge-1', url: 'http://box:8080', token: 't' }, ['edge-1']).name).toMatch(/already/);
    expect(targetProblems({ name: 'edge-1', url: 'http://[::1]:8080/', token: 't' }, [])).toEqual({});
  });
});

describe('a token main would keep only as plain text', () => {
  it('is told apart from other refusals, so only it offers the plain-text checkbox', () => {
    const plain = { code: 'FAILED_PRECONDITION' as const, message: 'This machine has no keychain Lathe can use, so the token for edge-1 could only be kept as plain text on disk.' };
    expect(plainTextRefusal(plain)).toBe(true);
    expect(plainTextRefusal({ code: 'INVALID_INPUT', message: 'x', location: { field: 'allowPlainTextToken' } })).toBe(true);
    expect(plainTextRefusal({ code: 'UNAVAILABLE', message: 'edge-1 (http://10.0.0.5:8080) did not answer: plain text' })).toBe(false);
    expect(plainTextRefusal({ code: 'UNAUTHORIZED', message: 'The agent refused the token.' })).toBe(false);
    expect(plainTextRefusal(null)).toBe(false);
  });
});
