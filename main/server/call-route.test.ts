import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/contract/result.ts';
import type { Handlers } from '../core/dispatch.ts';
import { failure } from '../core/errors.ts';
import { createFakeCore, type FakeCore } from './test-support/fake-core.ts';
import { startTestServer, type Reply, type TestServer } from './test-support/test-server.ts';

const appInfo = { version: '0.1.0', frontDoor: 'browser', platform: 'linux', nativeDialogs: false } as const;
const workspace = '/tmp/lathe-ws';

let core: FakeCore;
let seen: { name: string; input: unknown }[];
let throwFromList: unknown;
let t: TestServer;

beforeEach(async () => {
  seen = [];
  throwFromList = undefined;
  const handlers: Handlers = {
    'app:info': async (input) => {
      seen.push({ name: 'app:info', input });
      return appInfo;
    },
    'datasets:list': async (input) => {
      seen.push({ name: 'datasets:list', input });
      if (throwFromList !== undefined) throw throwFromList;
      return [];
    },
    'datasets:import-file': async (input) => {
      seen.push({ name: 'datasets:import-file', input });
      throw new Error('must never run over HTTP');
    },
  };
  core = createFakeCore(handlers);
  t = await startTestServer(core);
});
afterEach(async () => {
  await t.close();
});

function post(path: string, body: string | Buffer, contentType = 'application/json'): Promise<Reply> {
  return t.send({ method: 'POST', path, headers: { authorization: `Bearer ${t.token}`, 'content-type': contentType }, body });
}

describe('POST /api/call/<name>', () => {
  it('runs the call with its validated input and answers the Result with 200', async () => {
    const reply = await t.call('datasets:list', { workspace, extra: 'dropped' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.json).toEqual({ ok: true, value: [] });
    expect(seen).toEqual([{ name: 'datasets:list', input: { workspace } }]);
  });

  it('takes an empty body as no input', async () => {
    const reply = await post('/api/call/app:info', '');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ ok: true, value: appInfo });
  });

  it('accepts application/json with a UTF-8 charset', async () => {
    expect((await post('/api/call/app:info', '{}', 'application/json; charset=UTF-8')).status).toBe(200);
  });

  it('refuses other methods with 405 and Allow: POST', async () => {
    const reply = await t.send({ path: '/api/call/app:info', headers: { authorization: `Bearer ${t.token}` } });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST');
    expect(reply.json.error?.code).toBe('INVALID_INPUT');
    expect(seen).toEqual([]);
  });

  it.each(['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', ''])(
    'refuses Content-Type "%s" with 415 and runs nothing',
    async (contentType) => {
      const reply = await t.send({
        method: 'POST',
        path: '/api/call/datasets:list',
        headers: { authorization: `Bearer ${t.token}`, ...(contentType ? { 'content-type': contentType } : {}) },
        body: JSON.stringify({ workspace }),
      });
      expect(reply.status).toBe(415);
      expect(reply.json.error?.code).toBe('INVALID_INPUT');
      expect(reply.json.error?.message).toContain('Content-Type: application/json');
      expect(seen).toEqual([]);
    },
  );

  it('says so when the body is not JSON', async () => {
    const reply = await post('/api/call/datasets:list', '{"workspace": ');
    expect(reply.status).toBe(400);
    expect(reply.json.error?.code).toBe('INVALID_INPUT');
    expect(reply.json.error?.message).toMatch(/not valid JSON/);
    expect(seen).toEqual([]);
  });

  it('refuses a body that is not UTF-8', async () => {
    const reply = await post('/api/call/datasets:list', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(reply.status).toBe(400);
    expect(reply.json.error?.message).toMatch(/UTF-8/);
  });

  it('refuses input that fails the call’s schema, naming the field', async () => {
    const reply = await t.call('datasets:list', { workspace: 'relative/path' });
    expect(reply.status).toBe(400);
    expect(reply.json.error?.code).toBe('INVALID_INPUT');
    expect(reply.json.error?.issues?.[0]?.path).toBe('workspace');
    expect(seen).toEqual([]);
  });

  it('refuses a body over 1 MiB declared by Content-Length with 413', async () => {
    const reply = await post('/api/call/datasets:list', JSON.stringify({ workspace, pad: 'x'.repeat(1024 * 1024) }));
    expect(reply.status).toBe(413);
    expect(reply.json.error?.code).toBe('TOO_LARGE');
    expect(seen).toEqual([]);
  });

  it('refuses a chunked body once it passes 1 MiB', async () => {
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: t.port,
          method: 'POST',
          path: '/api/call/datasets:list',
          headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 17; i += 1) req.write(chunk);
      req.end();
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(seen).toEqual([]);
  });

  it('answers 404 NOT_FOUND for a call that does not exist', async () => {
    const reply = await t.call('datasets:drop-table', { workspace });
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses calls that read a path named by the client, even with valid input', async () => {
    const reply = await t.call('datasets:import-file', { workspace, path: '/etc/passwd', name: 'passwd' });
    expect(reply.status).toBe(403);
    expect(reply.json.error?.code).toBe('FORBIDDEN');
    expect(reply.json.error?.hint).toBe("Upload the file's bytes instead: POST /api/upload/datasets:import-upload?<input>.");
    expect(seen).toEqual([]);
  });

  it('refuses bundle calls, which write or read a file by its path, saying where they can be done instead of pointing at an upload', async () => {
    const packaged = await t.call('bundles:package', { workspace, ref: 'penguins@1', out: '/tmp/evil.lathe' });
    expect(packaged.status).toBe(403);
    expect(packaged.json.error).toMatchObject({
      code: 'FORBIDDEN',
      message: '"bundles:package" opens a file on this machine by its path, and this server never opens a path a web page names.',
      hint: 'Run it from the command line (lathe …) or the desktop app, which open the files you name.',
    });
    expect((await t.call('bundles:verify', { file: '/etc/passwd' })).json.error?.hint).not.toMatch(/upload/i);
  });

  it('refuses an upload call sent as JSON, pointing at the upload route', async () => {
    const reply = await t.call('datasets:import-upload', { workspace, fileName: 'a.csv', name: 'a' });
    expect(reply.status).toBe(400);
    expect(reply.json.error?.code).toBe('INVALID_INPUT');
    expect(reply.json.error?.hint).toContain('/api/upload/datasets:import-upload');
    expect(core.uploads).toEqual([]);
  });

  it('answers 501 UNAVAILABLE for a call this core does not offer', async () => {
    const reply = await t.call('dialog:pick-folder', {});
    expect(reply.status).toBe(501);
    expect(reply.json.error?.code).toBe('UNAVAILABLE');
  });
});

describe('errors from the core', () => {
  const statuses: [ErrorCode, number][] = [
    ['INVALID_INPUT', 400],
    ['PARSE_ERROR', 400],
    ['ENCODING_ERROR', 400],
    ['UNSUPPORTED_FORMAT', 400],
    ['NOT_FOUND', 404],
    ['NOT_A_WORKSPACE', 404],
    ['CONFLICT', 409],
    ['FAILED_PRECONDITION', 409],
    ['TOO_LARGE', 413],
    ['UNAVAILABLE', 501],
    ['INTERNAL', 500],
  ];
  it.each(statuses)('carries %s with status %i and the Result as body', async (code, status) => {
    throwFromList = failure(code, `it went ${code}`, { hint: 'do this', location: { file: 'data.csv', line: 3 } });
    const reply = await t.call('datasets:list', { workspace });
    expect(reply.status).toBe(status);
    expect(reply.json).toEqual({ ok: false, error: { code, message: `it went ${code}`, hint: 'do this', location: { file: 'data.csv', line: 3 } } });
  });

  it('turns an unexpected throw into INTERNAL without a stack trace', async () => {
    const error = new Error('disk on fire');
    throwFromList = error;
    const reply = await t.call('datasets:list', { workspace });
    expect(reply.status).toBe(500);
    expect(reply.json.error?.code).toBe('INTERNAL');
    expect(reply.json.error?.message).toContain('disk on fire');
    expect(error.stack).toContain('call-route.test.ts');
    expect(reply.text).not.toContain('call-route.test.ts');
    expect(reply.text).not.toMatch(/\n\s+at /);
  });
});
