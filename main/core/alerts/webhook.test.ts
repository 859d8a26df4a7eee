import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook, type Resolver } from './webhook.ts';

interface Received {
  method: string;
  host: string;
  body: string;
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A receiver on a loopback port that records what it got and answers with `answer`. */
async function receiver(answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('ok')): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', host: req.headers.host ?? '', body });
      answer(req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received };
}

const alert = { text: 'bill_length_mm drifted in 2 windows in a row', alert: { id: 'al-1' } };
const resolveTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('postWebhook', () => {
  it('POSTs the alert as JSON to an allowed private host when private targets are allowed', async () => {
    const { port, received } = await receiver();
    const attempt = await postWebhook({ url: `http://127.0.0.1:${port}/hooks/T000/secret`, allowedHosts: ['127.0.0.1'], allowPrivate: true }, alert);
    expect(attempt).toMatchObject({ ok: true, status: 200, host: '127.0.0.1', address: '127.0.0.1', reason: null });
    expect(received).toEqual([{ method: 'POST', host: `127.0.0.1:${port}`, body: JSON.stringify(alert) }]);
  });

  it('refuses a loopback target unless private targets are allowed, and sends nothing', async () => {
    const { port, received } = await receiver();
    const attempt = await postWebhook({ url: `http://127.0.0.1:${port}/hook`, allowedHosts: ['127.0.0.1'], allowPrivate: false }, alert);
    expect(attempt).toMatchObject({ ok: false, address: '127.0.0.1', status: null });
    expect(attempt.reason).toBe('127.0.0.1 is a loopback address (this machine); a webhook goes there only when you allow private targets (--allow-private)');
    expect(received).toEqual([]);
  });

  it('refuses a host that is not allowed, before resolving or connecting', async () => {
    const { port, received } = await receiver();
    let asked = 0;
    const attempt = await postWebhook({ url: `http://localhost:${port}/hook`, allowedHosts: ['hooks.example.com'], allowPrivate: true }, alert, {
      resolve: async () => {
        asked += 1;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    expect(attempt.reason).toBe('localhost is not one of the hosts you allowed (hooks.example.com); set the webhook again with --allow-host localhost');
    expect(asked).toBe(0);
    expect(received).toEqual([]);
  });

  it('refuses a name that resolves to the cloud metadata address, even with private targets allowed', async () => {
    const attempt = await postWebhook({ url: 'http://hooks.example.com/hook', allowedHosts: ['hooks.example.com'], allowPrivate: true }, alert, { resolve: resolveTo('169.254.169.254') });
    expect(attempt).toMatchObject({ ok: false, host: 'hooks.example.com', address: '169.254.169.254' });
    expect(attempt.reason).toBe("hooks.example.com resolves to 169.254.169.254, which is the cloud metadata service's address (it hands out the machine's credentials); a webhook is never sent there");
  });

  it('refuses a name when any of its addresses is private (a rebinding name answers with both)', async () => {
    const attempt = await postWebhook({ url: 'https://hooks.example.com/hook', allowedHosts: ['hooks.example.com'], allowPrivate: false }, alert, { resolve: resolveTo('93.184.216.34', '10.0.0.7') });
    expect(attempt).toMatchObject({ ok: false, address: '10.0.0.7' });
    expect(attempt.reason).toContain('a private network address');
  });

  it('connects to the address it checked, not to a second DNS answer', async () => {
    const { port, received } = await receiver();
    // "hooks.lathe.invalid" does not exist in DNS: only the pinned lookup can take the request to the receiver.
    const attempt = await postWebhook({ url: `http://hooks.lathe.invalid:${port}/hook`, allowedHosts: ['hooks.lathe.invalid'], allowPrivate: true }, alert, { resolve: resolveTo('127.0.0.1') });
    expect(attempt).toMatchObject({ ok: true, address: '127.0.0.1', status: 200 });
    expect(received.map((request) => request.host)).toEqual([`hooks.lathe.invalid:${port}`]);
  });

  it('does not follow a redirect: a 3xx is a failed delivery that says where it pointed', async () => {
    const { port, received } = await receiver((_req, res) => {
      res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    });
    const attempt = await postWebhook({ url: `http://127.0.0.1:${port}/hook`, allowedHosts: ['127.0.0.1'], allowPrivate: true }, alert);
    expect(attempt).toMatchObject({ ok: false, status: 302 });
    expect(attempt.reason).toBe('127.0.0.1 answered HTTP 302, a redirect to http://169.254.169.254/…; redirects are not followed, so set the webhook to the final URL');
    expect(received).toHaveLength(1);
  });

  it('says so when nothing listens on the port', async () => {
    const { port } = await receiver();
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const attempt = await postWebhook({ url: `http://127.0.0.1:${port}/hook`, allowedHosts: ['127.0.0.1'], allowPrivate: true }, alert);
    expect(attempt.reason).toBe('127.0.0.1 (127.0.0.1) refused the connection (nothing listens on that port)');
  });

  it('gives up on a receiver that never answers', async () => {
    const { port, received } = await receiver(() => {
      // Never answer.
    });
    const attempt = await postWebhook({ url: `http://127.0.0.1:${port}/hook`, allowedHosts: ['127.0.0.1'], allowPrivate: true }, alert, { timeoutMs: 200 });
    expect(attempt.reason).toBe('127.0.0.1 (127.0.0.1) did not answer within 200 ms');
    expect(received).toHaveLength(1);
  });

  it('gives up on a receiver that starts answering and never finishes', async () => {
    const { port } = await receiver((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('still thinking');
    });
    const attempt = await postWebhook({ url: `http://127.0.0.1:${port}/hook`, allowedHosts: ['127.0.0.1'], allowPrivate: true }, alert, { timeoutMs: 200 });
    expect(attempt).toMatchObject({ ok: false, address: '127.0.0.1' });
    expect(attempt.reason).toMatch(/^127\.0\.0\.1 \(127\.0\.0\.1\) (did not answer within 200 ms|closed the connection without answering)$/);
  });

  it('checks IPv6 literals and numeric spellings of an address as the address they are', async () => {
    expect((await postWebhook({ url: 'http://[::1]:9/hook', allowedHosts: ['::1'], allowPrivate: false }, alert)).reason).toBe('::1 is a loopback address (this machine); a webhook goes there only when you allow private targets (--allow-private)');
    expect((await postWebhook({ url: 'http://2130706433:9/hook', allowedHosts: ['2130706433'], allowPrivate: true }, alert)).reason).toBe('127.0.0.1 is not one of the hosts you allowed (2130706433); set the webhook again with --allow-host 127.0.0.1');
    expect((await postWebhook({ url: 'http://0x7f.1:9/hook', allowedHosts: ['127.0.0.1'], allowPrivate: false }, alert)).reason).toContain('127.0.0.1 is a loopback address');
    expect((await postWebhook({ url: 'http://[::ffff:169.254.169.254]/latest', allowedHosts: ['::ffff:a9fe:a9fe'], allowPrivate: true }, alert)).reason).toContain("the cloud metadata service's address");
  });

  it('reads only a few KiB of an error answer and reports its start', async () => {
    const { port } = await receiver((_req, res) => {
      res.writeHead(500);
      res.end(`no such channel ${'x'.repeat(4 * 1024 * 1024)}`);
    });
    const attempt = await postWebhook({ url: `http://127.0.0.1:${port}/hook`, allowedHosts: ['127.0.0.1'], allowPrivate: true }, alert);
    expect(attempt).toMatchObject({ ok: false, status: 500 });
    expect(attempt.reason!.startsWith('127.0.0.1 answered HTTP 500: no such channel xxx')).toBe(true);
    expect(attempt.reason!.length).toBeLessThan(300);
  });

  it('refuses a URL with a user and password, or another scheme', async () => {
    expect((await postWebhook({ url: 'http://user:pw@hooks.example.com/x', allowedHosts: ['hooks.example.com'], allowPrivate: false }, alert)).reason).toContain('user name or password');
    expect((await postWebhook({ url: 'file:///etc/passwd', allowedHosts: ['hooks.example.com'], allowPrivate: false }, alert)).reason).toBe('a webhook is sent over http or https, not file:');
  });

  it('says so when the name does not resolve', async () => {
    const attempt = await postWebhook({ url: 'https://hooks.example.com/x', allowedHosts: ['hooks.example.com'], allowPrivate: false }, alert, {
      resolve: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND hooks.example.com'), { code: 'ENOTFOUND' });
      },
    });
    expect(attempt.reason).toBe('hooks.example.com could not be resolved: getaddrinfo ENOTFOUND hooks.example.com');
  });
});
