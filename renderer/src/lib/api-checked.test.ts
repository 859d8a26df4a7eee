import { describe, expect, it } from 'vitest';
import type { LatheBridge } from '../../../shared/contract/bridge.ts';
import { checkedApi } from './api-checked.ts';
import { createElectronTransport } from './api-electron.ts';
import type { Transport } from './api-types.ts';

function fakeTransport(answer: (name: string, input: unknown) => unknown): Transport & { emit(event: unknown): void } {
  const listeners = new Set<(event: { name: string; payload: unknown }) => void>();
  return {
    frontDoor: { kind: 'browser', nativeDialogs: false },
    call: async (name, input) => answer(name, input),
    on: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnection: () => () => undefined,
    importFile: async () => answer('datasets:import-upload', {}),
    openWorkspaceWindow: async () => ({ ok: true, value: null }),
    emit: (event) => listeners.forEach((listener) => listener(event as { name: string; payload: unknown })),
  };
}

describe('checkedApi', () => {
  it('never throws: a transport that throws gives UNAVAILABLE', async () => {
    const api = checkedApi(fakeTransport(() => {
      throw new Error('socket closed');
    }));
    const result = await api.call('datasets:list', { workspace: '/w' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('refuses answers that break the contract', async () => {
    const api = checkedApi(fakeTransport(() => ({ ok: true, value: { status: 'maybe' } })));
    const file = new File(['a\n1\n'], 'a.csv');
    const result = await api.importFile(file, { workspace: '/w', name: 'a', importId: 'i' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('hands each listener its own event, checked, and lets it unsubscribe', () => {
    const transport = fakeTransport(() => null);
    const api = checkedApi(transport);
    const changed: string[] = [];
    const off = api.on('datasets:changed', (payload) => changed.push(payload.name));
    api.on('datasets:import-progress', () => changed.push('progress'));
    transport.emit({ name: 'datasets:changed', payload: { workspace: '/w', name: 'a' } });
    transport.emit({ name: 'datasets:changed', payload: { workspace: '/w', name: '../evil' } });
    off();
    transport.emit({ name: 'datasets:changed', payload: { workspace: '/w', name: 'b' } });
    expect(changed).toEqual(['a']);
  });
});

describe('Electron transport', () => {
  function bridge(path: string, seen: unknown[]): LatheBridge {
    const calls = new Proxy(
      {},
      {
        get: (_target, name) => async (input: unknown) => {
          seen.push({ name, input });
          return { ok: true, value: null };
        },
      },
    ) as LatheBridge['calls'];
    return { calls, on: () => () => undefined, pathForFile: () => path };
  }

  it('imports a dropped file by its path on disk', async () => {
    const seen: unknown[] = [];
    const transport = createElectronTransport(bridge('/home/me/a.csv', seen));
    await transport.importFile(new File(['x'], 'a.csv'), { workspace: '/w', name: 'a', message: 'm', importId: 'i' });
    expect(seen).toEqual([{ name: 'datasets:import-file', input: { workspace: '/w', path: '/home/me/a.csv', name: 'a', message: 'm', importId: 'i' } }]);
  });

  it('explains a file that is not on disk instead of calling main', async () => {
    const seen: unknown[] = [];
    const transport = createElectronTransport(bridge('', seen));
    const result = await transport.importFile(new File(['x'], 'pasted.csv'), { workspace: '/w', name: 'a', importId: 'i' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(seen).toEqual([]);
  });
});
