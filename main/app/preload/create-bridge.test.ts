import { expect, test, vi } from 'vitest';
import { calls } from '../../../shared/contract/calls.ts';
import { createBridge, type BridgeTransport } from './create-bridge.ts';

function fakeTransport(answer: (name: string, input: unknown) => Promise<unknown> = async () => ({ ok: true, value: null })) {
  let deliver: (event: unknown) => void = () => undefined;
  const transport: BridgeTransport = {
    invoke: vi.fn(answer),
    listen: (listener) => {
      deliver = listener;
    },
    pathForFile: (file) => `/home/me/${file.name}`,
  };
  return { transport, send: (event: unknown) => deliver(event) };
}

test('offers exactly one function per call in the contract, each invoking that call', async () => {
  const { transport } = fakeTransport();
  const bridge = createBridge(transport);
  expect(Object.keys(bridge.calls).sort()).toEqual(Object.keys(calls).sort());
  await bridge.calls['datasets:list']({ workspace: '/w' });
  expect(transport.invoke).toHaveBeenCalledWith('datasets:list', { workspace: '/w' });
});

test('passes the Result through untouched', async () => {
  const failure = { ok: false, error: { code: 'PARSE_ERROR', message: 'bad quote', location: { file: 'a.csv', line: 3 } } };
  const bridge = createBridge(fakeTransport(async () => failure).transport);
  expect(await bridge.calls['app:info']({})).toEqual(failure);
});

test('a broken channel comes back as an INTERNAL Result, never a rejection', async () => {
  const bridge = createBridge(fakeTransport(async () => { throw new Error('channel closed'); }).transport);
  const result = await bridge.calls['app:info']({});
  expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  expect(result.ok ? '' : result.error.message).toContain('channel closed');
});

test('on() hands listeners only the payload of their event, until unsubscribed', () => {
  const { transport, send } = fakeTransport();
  const bridge = createBridge(transport);
  const changed = vi.fn();
  const progress = vi.fn();
  const stop = bridge.on('datasets:changed', changed);
  bridge.on('datasets:import-progress', progress);

  send({ name: 'datasets:changed', payload: { workspace: '/w', name: 'iris' } });
  expect(changed).toHaveBeenCalledExactlyOnceWith({ workspace: '/w', name: 'iris' });
  expect(progress).not.toHaveBeenCalled();

  stop();
  send({ name: 'datasets:changed', payload: { workspace: '/w', name: 'iris' } });
  expect(changed).toHaveBeenCalledTimes(1);
});

test('the same listener subscribed twice is two subscriptions', () => {
  const { transport, send } = fakeTransport();
  const bridge = createBridge(transport);
  const listener = vi.fn();
  const first = bridge.on('datasets:changed', listener);
  bridge.on('datasets:changed', listener);
  first();
  send({ name: 'datasets:changed', payload: { workspace: '/w', name: 'a' } });
  expect(listener).toHaveBeenCalledTimes(1);
});

test('a listener that throws does not stop the others; junk events are ignored', () => {
  const { transport, send } = fakeTransport();
  const bridge = createBridge(transport);
  const after = vi.fn();
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  bridge.on('datasets:changed', () => {
    throw new Error('listener bug');
  });
  bridge.on('datasets:changed', after);
  for (const junk of [null, 42, 'datasets:changed', { payload: 1 }]) send(junk);
  send({ name: 'datasets:changed', payload: { workspace: '/w', name: 'a' } });
  expect(after).toHaveBeenCalledTimes(1);
  quiet.mockRestore();
});

test('pathForFile gives the dropped file its path, or "" when there is none', () => {
  expect(createBridge(fakeTransport().transport).pathForFile({ name: 'iris.csv', size: 10 })).toBe('/home/me/iris.csv');
  const { transport } = fakeTransport();
  transport.pathForFile = () => {
    throw new TypeError('not a File');
  };
  expect(createBridge(transport).pathForFile({ name: 'x', size: 0 })).toBe('');
});

test('the bridge cannot be tampered with by the page', () => {
  const bridge = createBridge(fakeTransport().transport);
  expect(Object.isFrozen(bridge)).toBe(true);
  expect(Object.isFrozen(bridge.calls)).toBe(true);
});
