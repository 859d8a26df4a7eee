import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/contract/bridge.ts';
import { CONTENT_SECURITY_POLICY } from '../ui-policy/content-security-policy.ts';
import { mainBundleOptions } from '../scripts/build.ts';
import { createFakeElectron, type FakeElectron, type FakeWebContents } from './testing/fake-electron.ts';

/**
 * The Electron main process end to end, without Electron: bundle main/app/main.ts exactly as
 * `npm run build` does, run it in Node against a recording stand-in for the electron module and
 * the real core, and check what a user of the desktop app depends on.
 */
let root: string;
let fake: FakeElectron;
const savedEnv = { ...process.env };
const trusted = (contents: FakeWebContents, url = 'lathe://app/index.html') => ({ sender: contents, senderFrame: { url } });

async function call(event: unknown, name: unknown, input: unknown) {
  const handler = fake.ipcHandlers.get(IPC_CALL_CHANNEL);
  if (!handler) throw new Error('no IPC handler');
  return (await handler(event, name, input)) as { ok: boolean; value?: never; error?: { code: string; message: string } };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lathe-main-process-'));
  // The layout of the packaged app: main/dist beside renderer/dist.
  const distDir = path.join(root, 'app', 'main', 'dist');
  await mkdir(distDir, { recursive: true });
  await mkdir(path.join(root, 'app', 'renderer', 'dist'), { recursive: true });
  await writeFile(path.join(root, 'app', 'renderer', 'dist', 'index.html'), '<!doctype html><title>Lathe</title>');
  process.env.LATHE_CONFIG_DIR = path.join(root, 'config');
  process.env.LATHE_DEFAULT_WORKSPACE = path.join(root, 'default-workspace');

  const bundled = await build({ ...(await mainBundleOptions()), write: false, outfile: path.join(distDir, 'app.cjs'), logLevel: 'silent' });
  const code = bundled.outputFiles[0]?.text ?? '';
  fake = createFakeElectron();
  const realRequire = createRequire(path.join(process.cwd(), 'package.json'));
  const requireForBundle = (name: string) => (name === 'electron' ? fake.electron : realRequire(name));
  const module = { exports: {} };
  new Function('require', 'module', 'exports', '__dirname', '__filename', code)(requireForBundle, module, module.exports, distDir, path.join(distDir, 'app.cjs'));

  expect(fake.calls.indexOf('app.setPath(userData)')).toBeLessThan(fake.calls.indexOf('app.requestSingleInstanceLock'));
  expect(fake.protocolHandlers.size).toBe(0); // nothing served before ready
  fake.ready();
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 10_000 });
}, 30_000);

afterAll(async () => {
  process.env = savedEnv;
  await rm(root, { recursive: true, force: true });
});

describe('startup', () => {
  test('keeps per-user state in LATHE_CONFIG_DIR, Chromium data in a subfolder', () => {
    expect(fake.app.getPath('userData')).toBe(path.join(root, 'config'));
    expect(fake.app.getPath('sessionData')).toBe(path.join(root, 'config', 'desktop-session'));
  });

  test('registers lathe: as a standard, secure scheme before ready', () => {
    expect(fake.privilegedSchemes).toEqual([{ scheme: 'lathe', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(fake.privilegedSchemes[0]).not.toHaveProperty('privileges.bypassCSP');
  });

  test('opens one window on the default workspace, which it made', () => {
    const [window] = fake.windows;
    expect(window?.webContents.getURL()).toBe(`lathe://app/index.html?workspace=${encodeURIComponent(path.join(root, 'default-workspace'))}`);
    expect(existsSync(path.join(root, 'default-workspace', 'lathe.json'))).toBe(true);
  });

  test('the window is locked down', () => {
    expect(fake.windows[0]?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: path.join(root, 'app', 'main', 'dist', 'preload.cjs'),
    });
  });
});

describe('lathe://app', () => {
  test('serves the built UI with the same CSP lathe serve sends', async () => {
    const serve = fake.protocolHandlers.get('lathe');
    const response = await serve?.({ url: 'lathe://app/', method: 'GET' });
    expect(response?.status).toBe(200);
    expect(response?.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response?.text()).toContain('<title>Lathe</title>');
    expect((await serve?.({ url: 'lathe://app/..%2f..%2fconfig%2fstate.json', method: 'GET' }))?.status).toBe(400);
  });

  test('windows cannot open popups or navigate away', () => {
    const contents = fake.windows[0]?.webContents;
    expect(contents?.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const navigate = (url: string) => {
      const event = { url, preventDefault: vi.fn() };
      contents?.emit('will-navigate', event);
      return event.preventDefault.mock.calls.length > 0 ? 'blocked' : 'allowed';
    };
    expect(navigate('https://example.com/')).toBe('blocked');
    expect(navigate('file:///etc/passwd')).toBe('blocked');
    expect(navigate('lathe://app/index.html?workspace=%2Fother')).toBe('allowed');
    const webview = { preventDefault: vi.fn() };
    contents?.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  test('grants no permission but clipboard writes from our UI', () => {
    const grant = (permission: string, url: string) => {
      let granted: boolean | null = null;
      fake.permission.request?.({}, permission, (answer: boolean) => (granted = answer), { requestingUrl: url });
      return granted;
    };
    expect(grant('clipboard-sanitized-write', 'lathe://app/index.html')).toBe(true);
    expect(grant('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(grant('media', 'lathe://app/index.html')).toBe(false);
    expect(grant('notifications', 'lathe://app/index.html')).toBe(false);
  });
});

describe('IPC', () => {
  test('answers our UI through the contract', async () => {
    const contents = fake.windows[0]!.webContents;
    expect(await call(trusted(contents), 'app:info', {})).toMatchObject({ ok: true, value: { frontDoor: 'electron', version: '0.1.0-test', nativeDialogs: true } });
  });

  test('shows where outside MLflow code logs: a loopback endpoint, started with the app, that answers MLflow with its token', async () => {
    const contents = fake.windows[0]!.webContents;
    const answer = await call(trusted(contents), 'tracking:endpoint', {});
    expect(answer).toMatchObject({ ok: true, value: { uri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), workspace: path.join(root, 'default-workspace') } });
    const { uri, token } = answer.value as unknown as { uri: string; token: string };
    const search = await fetch(`${uri}/api/2.0/mlflow/experiments/search`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(search.status).toBe(200);
  });

  test('refuses any other frame with FORBIDDEN', async () => {
    const contents = fake.windows[0]!.webContents;
    for (const senderFrame of [{ url: 'https://evil.example/' }, { url: 'file:///tmp/x.html' }, null]) {
      expect(await call({ sender: contents, senderFrame }, 'app:info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  test('imports a picked file by path, and tells every window the dataset changed', async () => {
    const contents = fake.windows[0]!.webContents;
    const workspace = path.join(root, 'default-workspace');
    const file = path.join(root, 'penguins.csv');
    await writeFile(file, 'species,bill_length_mm\nAdelie,39.1\nGentoo,46.1\n');
    const imported = await call(trusted(contents), 'datasets:import-file', { workspace, path: file, name: 'penguins' });
    expect(imported).toMatchObject({ ok: true, value: { status: 'created', version: { name: 'penguins', version: 1, rows: 2 } } });
    expect(contents.sent).toContainEqual({ channel: IPC_EVENT_CHANNEL, payload: { name: 'datasets:changed', payload: { workspace: expect.any(String), name: 'penguins' } } });
  });

  test('refuses a path that is not an absolute path to a regular file', async () => {
    const contents = fake.windows[0]!.webContents;
    const workspace = path.join(root, 'default-workspace');
    for (const bad of ['penguins.csv', '/dev/null', root]) {
      expect(await call(trusted(contents), 'datasets:import-file', { workspace, path: bad, name: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
  });

  test('the folder picker answers the path, or null when cancelled', async () => {
    const contents = fake.windows[0]!.webContents;
    fake.folderPicks.push('/home/me/projects/churn', null);
    expect(await call(trusted(contents), 'dialog:pick-folder', { title: 'Choose' })).toEqual({ ok: true, value: '/home/me/projects/churn' });
    expect(await call(trusted(contents), 'dialog:pick-folder', {})).toEqual({ ok: true, value: null });
  });

  test('window:open-workspace opens another window on that workspace', async () => {
    const contents = fake.windows[0]!.webContents;
    const other = path.join(root, 'other workspace');
    expect(await call(trusted(contents), 'window:open-workspace', { path: other })).toEqual({ ok: true, value: null });
    expect(fake.windows).toHaveLength(2);
    expect(fake.windows[1]?.webContents.getURL()).toBe(`lathe://app/index.html?workspace=${encodeURIComponent(other).replaceAll('%20', '+')}`);
  });

  test('events skip windows that are gone', async () => {
    const [first, second] = fake.windows;
    second!.destroyed = true;
    second!.webContents.destroyed = true;
    const before = second!.webContents.sent.length;
    const file = path.join(root, 'penguins.csv');
    await writeFile(file, 'species,bill_length_mm\nAdelie,39.1\n');
    await call(trusted(first!.webContents), 'datasets:import-file', { workspace: path.join(root, 'default-workspace'), path: file, name: 'penguins' });
    expect(second!.webContents.sent.length).toBe(before);
  });
});

describe('lifecycle', () => {
  test('quitting closes the core first, then quits', async () => {
    const event = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.app.quitCalls).toBeGreaterThan(0));
    const again = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});
