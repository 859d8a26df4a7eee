import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkspaceDb } from '../storage/workspace-db.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { MetricsSampler } from './metrics-sampler.ts';
import { privateFileSecrets } from './secret-store.ts';
import { targetCalls } from './target-calls.ts';
import { TargetRecords } from './target-records.ts';
import { refusal } from '../testing/refusal.ts';

/**
 * Targets that are not what they claim: something else answering at the address, replies that
 * are not JSON or are huge, metrics that are not Prometheus text. Each is refused or skipped with
 * a sentence that names the target, and nothing made up is kept.
 */
const tempDir = useTempDirs();
const servers: Server[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve)))));

async function fakeAgent(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(answer);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function targets() {
  const stateDir = await tempDir();
  const context = { targets: new TargetRecords(stateDir), secrets: privateFileSecrets(join(stateDir, 'tokens')) };
  const add = targetCalls(context)['targets:add']!;
  return { context, add: (url: string) => add({ name: 'odd', url, token: 'tok', allowPlainTextToken: false, replace: false }, {}) };
}

describe('targets that are not Lathe agents', () => {
  it('refuses another inference server, a web page, and a reply in an unknown shape, keeping nothing', async () => {
    const { context, add } = await targets();
    const triton = await fakeAgent((_req, res) => res.end(JSON.stringify({ name: 'triton', version: '2.41.0', extensions: [] })));
    expect((await refusal(add(triton))).message).toBe(`${triton} answers the Open Inference Protocol, but it is triton, not a Lathe agent. Nothing was kept.`);

    const page = await fakeAgent((_req, res) => res.end('<!doctype html><title>Router admin</title>'));
    const html = await refusal(add(page));
    expect(html).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(html.message).toMatch(/answered \/v2 with something that is not JSON/);

    const odd = await fakeAgent((req, res) => res.end(req.url === '/v2' ? JSON.stringify({ name: 'lathe-agent', version: 'x' }) : JSON.stringify({ models: 'all of them' })));
    expect((await refusal(add(odd))).message).toMatch(/answered \/admin\/models in a shape this Lathe does not know \(models: /);
    expect(await context.targets.list()).toEqual([]);
  });

  it('stops reading a reply larger than any agent sends', async () => {
    const { add } = await targets();
    const flood = await fakeAgent((_req, res) => {
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < 64 && res.write(chunk)) sent += 1;
        if (sent >= 64) res.end();
        else res.once('drain', more);
      };
      more();
    });
    expect((await refusal(add(flood))).message).toMatch(/^Target odd \(http:\/\/127\.0\.0\.1:\d+\) answered \/v2 with more than 16 MiB; no Lathe agent sends that much/);
  });
});

describe('metrics that are not Prometheus text', () => {
  it('are skipped with one warning per target, and no point is kept', async () => {
    let body = '<html>oops</html>\n';
    const url = await fakeAgent((req, res) => res.end(req.url === '/metrics' ? body : '{}'));
    const stateDir = await tempDir();
    const records = new TargetRecords(stateDir);
    await records.add({ name: 'odd', url, addedAt: new Date().toISOString(), tokenStorage: 'private-file', secretId: 'odd-1' }, false);
    const db = WorkspaceDb.open(join(stateDir, 'lathe.db'));
    try {
      db.use((sql) => sql.prepare("INSERT INTO deployments (id, model, version, ref, target, target_url, strategy, spec, state, by_user, started_at, gate, outcome) VALUES ('d1', 'm', 1, 'm@1', 'odd', ?, 'replace', '{}', 'succeeded', 'me', 0, '{}', 'ok')").run(url));
      const warnings: string[] = [];
      const sampler = new MetricsSampler({ targets: { targets: records, secrets: privateFileSecrets(join(stateDir, 'tokens')) }, workspaces: async () => [{ db } as unknown as Workspace], intervalMs: 10_000, retentionDays: 1, warn: (text) => warnings.push(text) });
      await sampler.tick();
      await sampler.tick();
      expect(warnings).toEqual([expect.stringMatching(/^Metrics of target odd could not be read: The metrics at http:\/\/127\.0\.0\.1:\d+\/metrics are not in Prometheus's text format: line 1: a sample must start with a metric name\.$/)]);
      body = 'lathe_agent_requests_total{model="m",version="1",protocol="v2"} 5\n';
      await sampler.tick();
      await sampler.tick();
      const kept = db.use((sql) => sql.prepare('SELECT COUNT(*) AS n FROM monitoring_points').get()) as { n: number };
      expect(kept.n).toBe(1);
    } finally {
      db.close();
    }
  });
});
