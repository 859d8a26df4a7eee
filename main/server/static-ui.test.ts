import { rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../ui-policy/content-security-policy.ts';
import { createFakeCore } from './test-support/fake-core.ts';
import { INDEX_HTML, SECRET, startTestServer, type TestServer } from './test-support/test-server.ts';

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function serve(withUi = true): Promise<TestServer> {
  t = await startTestServer(createFakeCore(), { withUi });
  return t;
}

describe('the UI', () => {
  it('serves index.html at / without a token, with the security headers and no caching', async () => {
    const server = await serve();
    const reply = await server.send({ path: '/' });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(INDEX_HTML);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toBe(EXPECTED_CSP);
    expect(CONTENT_SECURITY_POLICY).toBe(EXPECTED_CSP);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('serves index.html for / with the token in the query, as the printed address has it', async () => {
    const server = await serve();
    const reply = await server.send({ path: `/?token=${server.token}&workspace=%2Ftmp%2Fws` });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(INDEX_HTML);
  });

  it.each([
    ['/assets/app.js', 'text/javascript; charset=utf-8', 'console.log("lathe");'],
    ['/assets/app.css', 'text/css; charset=utf-8', 'body { margin: 0 }'],
    ['/logo.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ['/index.html', 'text/html; charset=utf-8', INDEX_HTML],
  ])('serves %s as %s', async (file, type, body) => {
    const server = await serve();
    const reply = await server.send({ path: file });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe(type);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.text).toBe(body);
  });

  it('answers HEAD with the headers only', async () => {
    const server = await serve();
    const reply = await server.send({ method: 'HEAD', path: '/assets/app.js' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-length']).toBe(String('console.log("lathe");'.length));
    expect(reply.text).toBe('');
  });

  it.each(['/datasets', '/datasets/iris/versions/2', '/runs/'])('answers the UI route %s with index.html', async (route) => {
    const server = await serve();
    const reply = await server.send({ path: route });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(INDEX_HTML);
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('answers 404 for a missing file that has an extension, rather than HTML in its place', async () => {
    const server = await serve();
    const reply = await server.send({ path: '/assets/missing.js' });
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain('Lathe test UI');
  });

  it('does not serve hidden files', async () => {
    const server = await serve();
    await writeFile(path.join(server.uiDir, '.env'), SECRET);
    const reply = await server.send({ path: '/.env' });
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain(SECRET);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/%252e%252e/secret.txt',
    '/index.html%00.js',
    '/%00',
    '/%',
  ])('never serves a file outside the UI folder for %s', async (attempt) => {
    const server = await serve();
    const reply = await server.send({ path: attempt });
    expect([400, 404]).toContain(reply.status);
    expect(reply.text).not.toContain(SECRET);
  });

  it('never reads an absolute path, in the path or as the request target', async () => {
    const server = await serve();
    const secretPath = path.join(server.root, 'secret.txt');
    for (const attempt of [`/${secretPath}`, `/${encodeURIComponent(secretPath)}`, `http://127.0.0.1:${server.port}${secretPath}`]) {
      const reply = await server.send({ path: attempt });
      expect(reply.text).not.toContain(SECRET);
      expect(reply.status).not.toBe(500);
    }
  });

  it('does not follow a symlink out of the UI folder', async () => {
    const server = await serve();
    await symlink(path.join(server.root, 'secret.txt'), path.join(server.uiDir, 'assets', 'linked.txt'));
    const reply = await server.send({ path: '/assets/linked.txt' });
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain(SECRET);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const server = await serve();
    const reply = await server.send({ method: 'POST', path: '/', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD');
  });

  it('says to run `npm run build` with 503 when the UI is not built', async () => {
    const server = await serve(false);
    for (const route of ['/', '/datasets']) {
      const reply = await server.send({ path: route });
      expect(reply.status).toBe(503);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.text).toContain('npm run build');
    }
  });

  it('notices the UI once it is built, and when the folder is gone', async () => {
    const server = await serve(false);
    expect((await server.send({ path: '/' })).status).toBe(503);
    await writeFile(path.join(server.uiDir, 'index.html'), INDEX_HTML);
    expect((await server.send({ path: '/' })).status).toBe(200);
    await rm(server.uiDir, { recursive: true });
    expect((await server.send({ path: '/' })).status).toBe(503);
  });
});
