import { describe, expect, test, vi } from 'vitest';
import type { Handlers } from '../core/dispatch.ts';
import { callFromSender } from './trusted-call.ts';

function handlers() {
  const appInfo = vi.fn(async () => ({ version: '0.1.0', frontDoor: 'electron' as const, platform: 'linux', nativeDialogs: true }));
  const pickFolder = vi.fn(async () => '/home/me/picked');
  return { appInfo, pickFolder, all: { 'app:info': appInfo, 'dialog:pick-folder': pickFolder } satisfies Handlers };
}

describe('callFromSender', () => {
  test('runs a call from our UI and returns its value', async () => {
    const h = handlers();
    expect(await callFromSender(h.all, 'lathe://app/index.html?workspace=%2Fw', 'app:info', {})).toEqual({
      ok: true,
      value: { version: '0.1.0', frontDoor: 'electron', platform: 'linux', nativeDialogs: true },
    });
  });

  test.each([['https://evil.example/'], ['file:///tmp/page.html'], ['lathe://evil/'], [null]])(
    'refuses a call from %s with FORBIDDEN, before any handler runs',
    async (url) => {
      const h = handlers();
      const result = await callFromSender(h.all, url, 'dialog:pick-folder', {});
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(h.pickFolder).not.toHaveBeenCalled();
    },
  );

  test('validates input against the contract before the handler runs', async () => {
    const h = handlers();
    const result = await callFromSender(h.all, 'lathe://app/', 'dialog:pick-folder', { title: 42 });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(h.pickFolder).not.toHaveBeenCalled();
  });

  test('an unknown call, a call this door lacks and a non-string name are data, not exceptions', async () => {
    const h = handlers();
    expect(await callFromSender(h.all, 'lathe://app/', 'fs:delete-everything', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await callFromSender(h.all, 'lathe://app/', 'datasets:list', { workspace: '/w' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await callFromSender(h.all, 'lathe://app/', { toString: () => 'app:info' }, {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await callFromSender(h.all, 'lathe://app/', '__proto__', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  test('a handler that throws becomes an INTERNAL Result', async () => {
    const failing: Handlers = { 'app:info': async () => { throw new Error('boom'); } };
    expect(await callFromSender(failing, 'lathe://app/', 'app:info', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
