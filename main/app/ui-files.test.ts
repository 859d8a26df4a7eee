import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../ui-policy/content-security-policy.ts';
import { isInside, resolveUiPath, serveUiFile } from './ui-files.ts';
import { contentTypeFor } from '../ui-policy/content-types.ts';

const uiDir = path.resolve('/opt/lathe/renderer/dist');

describe('resolveUiPath', () => {
  test.each([
    ['lathe://app/', 'index.html'],
    ['lathe://app/index.html?workspace=%2Fhome%2Fme', 'index.html'],
    ['lathe://app/assets/index-abc123.js', 'assets/index-abc123.js'],
    ['lathe://app/assets/my%20font.woff2', 'assets/my font.woff2'],
    ['lathe://app/..foo.txt', '..foo.txt'],
  ])('%s is %s under the UI folder', (url, relative) => {
    expect(resolveUiPath(uiDir, url)).toEqual({ ok: true, path: path.join(uiDir, relative) });
  });

  test.each([
    ['encoded traversal', 'lathe://app/..%2f..%2f..%2fetc%2fpasswd'],
    ['encoded traversal, upper case', 'lathe://app/..%2F..%2Fetc%2Fpasswd'],
    ['encoded backslash traversal', 'lathe://app/..%5c..%5cwindows%5cwin.ini'],
    ['absolute path via empty segment', 'lathe://app//etc/passwd'],
    ['encoded absolute path', 'lathe://app/%2fetc%2fpasswd'],
    ['NUL byte', 'lathe://app/index.html%00.js'],
    ['Windows drive', 'lathe://app/C:%5cWindows%5cwin.ini'],
    ['malformed escape', 'lathe://app/%E0%A4%A'],
    ['trailing slash (a folder)', 'lathe://app/assets/'],
  ])('refuses %s', (_what, url) => {
    const resolved = resolveUiPath(uiDir, url);
    expect(resolved.ok).toBe(false);
  });

  test('double-encoded dots are decoded once: a literal file name, inside the folder', () => {
    expect(resolveUiPath(uiDir, 'lathe://app/%252e%252e/x')).toEqual({ ok: true, path: path.join(uiDir, '%2e%2e', 'x') });
  });

  test('plain and encoded ".." segments are removed by URL parsing and stay inside', () => {
    for (const url of ['lathe://app/../../etc/passwd', 'lathe://app/%2e%2e/%2e%2e/etc/passwd', 'lathe://app/assets/%2E%2E/%2E%2E/%2E%2E/x']) {
      const resolved = resolveUiPath(uiDir, url);
      if (resolved.ok) expect(isInside(uiDir, resolved.path)).toBe(true);
    }
  });

  test('answers only for lathe://app', () => {
    expect(resolveUiPath(uiDir, 'lathe://other/index.html')).toMatchObject({ ok: false, status: 404 });
    expect(resolveUiPath(uiDir, 'file:///etc/passwd')).toMatchObject({ ok: false, status: 404 });
    expect(resolveUiPath(uiDir, 'lathe://app:99/index.html')).toMatchObject({ ok: false, status: 404 });
  });
});

describe('serveUiFile', () => {
  let root: string;
  let ui: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lathe-ui-'));
    ui = path.join(root, 'dist');
    await mkdir(path.join(ui, 'assets'), { recursive: true });
    await writeFile(path.join(ui, 'index.html'), '<!doctype html><title>Lathe</title>');
    await writeFile(path.join(ui, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(root, 'secret.txt'), 'not for the page');
    await symlink(path.join(root, 'secret.txt'), path.join(ui, 'assets', 'escape.txt'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  test('serves index.html for the bare origin with the CSP lathe serve sends', async () => {
    const response = await serveUiFile(ui, 'lathe://app/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Lathe</title>');
  });

  test('serves assets with their type', async () => {
    const response = await serveUiFile(ui, 'lathe://app/assets/app.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log(1)');
  });

  test('a missing file or a folder is 404, still with the CSP', async () => {
    for (const url of ['lathe://app/nope.js', 'lathe://app/assets']) {
      const response = await serveUiFile(ui, url);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  test('never serves a file outside the folder, by traversal or by symlink', async () => {
    for (const url of ['lathe://app/..%2fsecret.txt', 'lathe://app/%2e%2e/secret.txt', 'lathe://app/assets/escape.txt']) {
      const response = await serveUiFile(ui, url);
      expect(response.status).not.toBe(200);
      expect(await response.text()).not.toContain('not for the page');
    }
  });

  test('refuses methods other than GET and HEAD', async () => {
    expect((await serveUiFile(ui, 'lathe://app/', 'POST')).status).toBe(405);
    const head = await serveUiFile(ui, 'lathe://app/', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  test('unknown extensions are plain bytes', () => {
    expect(contentTypeFor('x.bin')).toBe('application/octet-stream');
    expect(contentTypeFor('X.CSS')).toBe('text/css; charset=utf-8');
  });
});
