import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { APP_STATE_FILE, createAppStateStore, defaultAppState, readAppState, writeAppState } from './app-state.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lathe-app-state-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('nothing remembered on first launch', async () => {
  expect(await readAppState(dir)).toEqual(defaultAppState);
  expect(await readAppState(path.join(dir, 'not', 'made', 'yet'))).toEqual(defaultAppState);
});

test('remembers the window size across launches', async () => {
  await writeAppState(path.join(dir, 'userData'), { schemaVersion: 1, windowSize: { width: 1400, height: 900 } });
  expect(await readAppState(path.join(dir, 'userData'))).toEqual({ schemaVersion: 1, windowSize: { width: 1400, height: 900 } });
});

test.each([
  ['a half-written file', '{"schemaVersion": 1, "windowSi'],
  ['not JSON at all', '\u0000\u0001binary'],
  ['a file from a newer Lathe', '{"schemaVersion": 2, "windowSize": null}'],
  ['a value out of range', '{"schemaVersion": 1, "windowSize": {"width": -5, "height": 10}}'],
  ['an empty file', ''],
])('%s falls back to defaults instead of stopping the app', async (_what, text) => {
  await writeFile(path.join(dir, APP_STATE_FILE), text);
  expect(await readAppState(dir)).toEqual(defaultAppState);
});

test('a write leaves one whole file and no temp files', async () => {
  await writeAppState(dir, { schemaVersion: 1, windowSize: { width: 1000, height: 700 } });
  await writeAppState(dir, { schemaVersion: 1, windowSize: { width: 1100, height: 800 } });
  expect(await readdir(dir)).toEqual([APP_STATE_FILE]);
  expect(JSON.parse(await readFile(path.join(dir, APP_STATE_FILE), 'utf8'))).toEqual({ schemaVersion: 1, windowSize: { width: 1100, height: 800 } });
});

test('refuses to write a state it could not read back', async () => {
  await expect(writeAppState(dir, { schemaVersion: 1, windowSize: { width: 1, height: 1 } })).rejects.toThrow();
  expect(await readdir(dir)).toEqual([]);
});

test('updates from windows closing together are applied one after another', async () => {
  const store = createAppStateStore(dir);
  await Promise.all([
    store.update((s) => ({ ...s, windowSize: { width: 800, height: 600 } })),
    store.update((s) => ({ ...s, windowSize: { width: (s.windowSize?.width ?? 0) + 100, height: 600 } })),
  ]);
  expect((await store.read()).windowSize).toEqual({ width: 900, height: 600 });
});
