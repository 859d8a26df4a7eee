import { describe, expect, it } from 'vitest';
import { eventsUrl, takeToken, uploadPath } from './api-http.ts';
import { checkEvent, checkResult } from './api-checks.ts';

describe('session token', () => {
  it('takes the token from the address and gives the address without it', () => {
    expect(takeToken('http://127.0.0.1:4000/?token=abc&workspace=%2Fw#x', null)).toEqual({ token: 'abc', cleanedHref: '/?workspace=%2Fw#x' });
  });
  it('falls back to the token kept for this tab', () => {
    expect(takeToken('http://127.0.0.1:4000/', 'kept')).toEqual({ token: 'kept', cleanedHref: null });
  });
});

describe('http paths', () => {
  it('puts the import input in the upload query', () => {
    const path = uploadPath({ workspace: '/w s', name: 'scores', fileName: 'a&b.csv', importId: 'i1' });
    expect(path.startsWith('/api/upload/datasets:import-upload?')).toBe(true);
    const query = new URLSearchParams(path.split('?')[1]);
    expect(Object.fromEntries(query)).toEqual({ workspace: '/w s', fileName: 'a&b.csv', name: 'scores', importId: 'i1' });
  });
  it('uses ws or wss like the page', () => {
    expect(eventsUrl({ protocol: 'http:', host: '127.0.0.1:9' }, 't t')).toBe('ws://127.0.0.1:9/api/events?token=t%20t');
    expect(eventsUrl({ protocol: 'https:', host: 'h' }, 't')).toBe('wss://h/api/events?token=t');
  });
});

describe('contract checks', () => {
  it('passes answers that match the contract', () => {
    expect(checkResult('dialog:pick-folder', { ok: true, value: null })).toEqual({ ok: true, value: null });
    expect(checkResult('datasets:list', { ok: false, error: { code: 'NOT_FOUND', message: 'x' } }).ok).toBe(false);
  });
  it('turns an answer that does not match into an error naming the call', () => {
    const result = checkResult('datasets:list', { ok: true, value: [{ name: 'a' }] });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INTERNAL');
      expect(result.error.message).toContain('datasets:list');
      expect(result.error.issues?.length).toBeGreaterThan(0);
    }
  });
  it('drops unknown or malformed events', () => {
    expect(checkEvent({ name: 'datasets:changed', payload: { workspace: '/w', name: 'a' } })).toEqual({ name: 'datasets:changed', payload: { workspace: '/w', name: 'a' } });
    expect(checkEvent({ name: 'datasets:changed', payload: { workspace: 'relative', name: 'a' } })).toBeNull();
    expect(checkEvent({ name: 'nope', payload: {} })).toBeNull();
    expect(checkEvent('junk')).toBeNull();
  });
});
