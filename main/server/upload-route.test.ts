import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { UploadBody } from '../core/dispatch.ts';
import { failure } from '../core/errors.ts';
import { createFakeCore, fakeUploadOutcome, type FakeCore } from './test-support/fake-core.ts';
import { startTestServer, type TestServer } from './test-support/test-server.ts';

const workspace = '/tmp/lathe-ws';
const LIMIT = 1000;

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function serve(core: FakeCore): Promise<TestServer> {
  t = await startTestServer(core, { maxUploadBytes: LIMIT });
  return t;
}

function uploadPath(fields: Record<string, string>, name = 'datasets:import-upload'): string {
  return `/api/upload/${name}?${new URLSearchParams(fields).toString()}`;
}

const goodFields = { workspace, fileName: 'iris.csv', name: 'iris', message: 'first cut', importId: 'imp_1' };

/** An upload whose body the test writes by hand; `reply` settles when the server answers. */
function openUpload(server: TestServer, path: string, headers: Record<string, string | number> = {}) {
  let req!: ClientRequest;
  const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream', ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
  });
  req.flushHeaders();
  return { req, reply };
}

describe('POST /api/upload/datasets:import-upload', () => {
  it('streams the body to the core with the parsed query, the declared size and the limit', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const bytes = Buffer.from('a,b\n1,2\n3,4\n');
    const reply = await server.send({
      method: 'POST',
      path: uploadPath(goodFields),
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ ok: true, value: fakeUploadOutcome({ ...goodFields }, bytes.length) });
    expect(core.uploads).toHaveLength(1);
    expect(core.uploads[0]).toMatchObject({ input: goodFields, declaredBytes: bytes.length, maxBytes: LIMIT, failure: undefined });
    expect(core.uploads[0]?.bytes.equals(bytes)).toBe(true);
  });

  it('passes a hostile file name through as data, for the core to treat as a label', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const fileName = '../../../../etc/cron.d/evil';
    const reply = await server.send({
      method: 'POST',
      path: uploadPath({ ...goodFields, fileName }),
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(reply.status).toBe(200);
    expect(core.uploads[0]?.input.fileName).toBe(fileName);
  });

  it('gives the core a chunked body with no declared size', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const { req, reply } = openUpload(server, uploadPath(goodFields), { 'transfer-encoding': 'chunked' });
    req.write('a,b\n');
    req.end('1,2\n');
    expect((await reply).status).toBe(200);
    expect(core.uploads[0]?.declaredBytes).toBeNull();
    expect(core.uploads[0]?.bytes.toString()).toBe('a,b\n1,2\n');
  });

  it('validates the query before reading the body: a bad request is answered while the body is still owed', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const { req, reply } = openUpload(server, uploadPath({ ...goodFields, name: '../escape' }), { 'content-length': 500 });
    const answer = await reply; // nothing of the 500 bytes was sent
    expect(answer.status).toBe(400);
    const json = JSON.parse(answer.body) as { error: { code: string; issues: { path: string }[] } };
    expect(json.error.code).toBe('INVALID_INPUT');
    expect([...new Set(json.error.issues.map((issue) => issue.path))]).toEqual(['name']);
    expect(core.uploads).toEqual([]);
    req.destroy();
  });

  it('names every missing field', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const reply = await server.send({
      method: 'POST',
      path: uploadPath({ fileName: 'a.csv' }),
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error?.issues?.map((issue) => issue.path).sort()).toEqual(['name', 'workspace']);
  });

  it('refuses a field given twice', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const reply = await server.send({
      method: 'POST',
      path: `${uploadPath(goodFields)}&name=other`,
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error?.message).toContain('"name" more than once');
    expect(core.uploads).toEqual([]);
  });

  it.each(['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'text/csv'])('refuses Content-Type %s with 415', async (contentType) => {
    const core = createFakeCore();
    const server = await serve(core);
    const reply = await server.send({
      method: 'POST',
      path: uploadPath(goodFields),
      headers: { authorization: `Bearer ${server.token}`, 'content-type': contentType },
      body: 'a,b\n',
    });
    expect(reply.status).toBe(415);
    expect(reply.json.error?.message).toContain('application/octet-stream');
    expect(core.uploads).toEqual([]);
  });

  it('refuses an upload without the token', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const reply = await server.send({ method: 'POST', path: uploadPath(goodFields), headers: { 'content-type': 'application/octet-stream' }, body: 'x' });
    expect(reply.status).toBe(401);
    expect(core.uploads).toEqual([]);
  });

  it('refuses at once a Content-Length over the limit, without waiting for the body', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const { req, reply } = openUpload(server, uploadPath(goodFields), { 'content-length': LIMIT + 1 });
    const answer = await reply;
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(core.uploads).toEqual([]);
    req.destroy();
  });

  it('with Expect: 100-continue, asks for the body only once the checks pass', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const refused = openUpload(server, uploadPath(goodFields), { 'content-length': LIMIT + 1, expect: '100-continue' });
    let refusedContinued = false;
    refused.req.on('continue', () => (refusedContinued = true));
    expect((await refused.reply).status).toBe(413);
    expect(refusedContinued).toBe(false);
    refused.req.destroy();

    const accepted = openUpload(server, uploadPath(goodFields), { 'content-length': 3, expect: '100-continue' });
    accepted.req.on('continue', () => accepted.req.end('a,b'));
    expect((await accepted.reply).status).toBe(200);
    expect(core.uploads[0]?.bytes.toString()).toBe('a,b');
  });

  it('accepts exactly the limit', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const reply = await server.send({
      method: 'POST',
      path: uploadPath(goodFields),
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(LIMIT, 0x61),
    });
    expect(reply.status).toBe(200);
  });

  it('stops a chunked body that passes the limit: the core sees TOO_LARGE and the client gets 413', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const { req, reply } = openUpload(server, uploadPath(goodFields), { 'transfer-encoding': 'chunked' });
    req.write(Buffer.alloc(600, 0x61));
    req.write(Buffer.alloc(600, 0x62));
    req.end();
    const answer = await reply;
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(core.uploads[0]?.failure).toMatchObject({ error: { code: 'TOO_LARGE' } });
  });

  it('survives a client that hangs up mid-upload: the core’s read fails and the server keeps answering', async () => {
    let firstChunk!: () => void;
    const gotFirstChunk = new Promise<void>((resolve) => (firstChunk = resolve));
    let outcome!: (value: unknown) => void;
    const coreOutcome = new Promise<unknown>((resolve) => (outcome = resolve));
    const core = createFakeCore({}, async (input, body: UploadBody) => {
      let total = 0;
      try {
        for await (const chunk of body.chunks) {
          total += chunk.byteLength;
          firstChunk();
        }
      } catch (thrown) {
        outcome(thrown);
        throw thrown;
      }
      outcome('completed');
      return fakeUploadOutcome(input, total);
    });
    const server = await serve(core);
    const { req, reply } = openUpload(server, uploadPath(goodFields), { 'content-length': 900 });
    reply.catch(() => {}); // the client side errors: it hung up
    req.write(Buffer.alloc(100, 0x61));
    await gotFirstChunk;
    req.destroy();
    expect(await coreOutcome).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('cut off') } });
    expect((await server.call('app:info', {})).status).toBe(501);
  });

  it('carries the core’s failure as a Result with a fitting status', async () => {
    const core = createFakeCore({}, async (_input, body) => {
      for await (const _chunk of body.chunks) {
        throw failure('PARSE_ERROR', 'line 2 has 3 fields, line 1 has 2', { location: { file: 'iris.csv', line: 2 } });
      }
      throw new Error('unreachable');
    });
    const server = await serve(core);
    const reply = await server.send({
      method: 'POST',
      path: uploadPath(goodFields),
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream' },
      body: 'a,b\n1,2,3\n',
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ ok: false, error: { code: 'PARSE_ERROR', message: 'line 2 has 3 fields, line 1 has 2', location: { file: 'iris.csv', line: 2 } } });
  });

  it('answers 404 for an unknown upload, 400 for a call that is not an upload, 405 for GET', async () => {
    const core = createFakeCore();
    const server = await serve(core);
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream' };
    const unknown = await server.send({ method: 'POST', path: uploadPath(goodFields, 'datasets:nope'), headers, body: 'x' });
    expect(unknown.status).toBe(404);
    const notUpload = await server.send({ method: 'POST', path: uploadPath({ workspace }, 'datasets:list'), headers, body: 'x' });
    expect(notUpload.status).toBe(400);
    expect(notUpload.json.error?.hint).toContain('/api/call/datasets:list');
    const get = await server.send({ path: uploadPath(goodFields), headers });
    expect(get.status).toBe(405);
    expect(core.uploads).toEqual([]);
  });
});
