import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../start-server.ts';
import type { FakeCore } from './fake-core.ts';

export const INDEX_HTML = '<!doctype html><title>Lathe test UI</title><script type="module" src="/assets/app.js"></script>';
export const SECRET = 'SECRET-OUTSIDE-THE-UI';

export interface TestServer {
  server: RunningServer;
  port: number;
  token: string;
  /** The folder holding `ui/` (the served folder) and `secret.txt` beside it. */
  root: string;
  uiDir: string;
  /** A request with the right Host (unless given) and nothing else. */
  send(options: SendOptions): Promise<Reply>;
  /** A call with the right Host, token and content type. */
  call(name: string, input: unknown): Promise<Reply>;
  close(): Promise<void>;
}

export interface SendOptions {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** `null`: send no Host header at all. */
  host?: string | null;
  body?: string | Buffer;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: { ok: boolean; value?: unknown; error?: { code: string; message: string; hint?: string; issues?: { path: string; message: string }[] } };
}

export async function startTestServer(core: FakeCore, options: Partial<ServerOptions> & { withUi?: boolean } = {}): Promise<TestServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'lathe-server-'));
  const uiDir = path.join(root, 'ui');
  await mkdir(path.join(uiDir, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'secret.txt'), SECRET);
  if (options.withUi !== false) {
    await writeFile(path.join(uiDir, 'index.html'), INDEX_HTML);
    await writeFile(path.join(uiDir, 'assets', 'app.js'), 'console.log("lathe");');
    await writeFile(path.join(uiDir, 'assets', 'app.css'), 'body { margin: 0 }');
    await writeFile(path.join(uiDir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  }
  const { withUi: _withUi, ...serverOptions } = options;
  const server = await startServer({ uiDir, port: 0, ...serverOptions, core });
  const send = (o: SendOptions): Promise<Reply> => sendRequest(server.port, o);
  return {
    server,
    port: server.port,
    token: server.token,
    root,
    uiDir,
    send,
    call: (name, input) =>
      send({
        method: 'POST',
        path: `/api/call/${name}`,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      }),
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A plain node:http request: nothing normalises the path, and Host is whatever the test says. */
export function sendRequest(port: number, { method = 'GET', path: requestPath, headers = {}, host, body }: SendOptions): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const allHeaders: Record<string, string | number> = { ...headers };
    if (host !== null) allHeaders.host = host ?? `127.0.0.1:${port}`;
    if (body !== undefined) allHeaders['content-length'] = Buffer.byteLength(body);
    const req = httpRequest({ host: '127.0.0.1', port, method, path: requestPath, headers: allHeaders, setHost: false, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: Reply['json'] = { ok: false };
        try {
          json = JSON.parse(text) as Reply['json'];
        } catch {
          // not JSON: static files
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
