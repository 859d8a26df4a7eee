import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../agent/start-agent.ts';
import { send } from '../agent/test-support/agent-client.ts';
import { trainPenguinBundles } from '../agent/test-support/trained-bundles.ts';
import { runCli } from './cli-app.ts';
import { latheFiles } from './lathe-files.ts';

/** lathe simulate traffic from the command line, against a real agent serving penguins. */
const files = latheFiles(new URL('./lathe.ts', import.meta.url));
let agent: RunningAgent;
let ws = '';
let root = '';

async function lathe(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = join(cwd, '..', '.state');
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lathe-simulate-cli-'));
  const bundles = await trainPenguinBundles(join(root, 'train'));
  agent = await startAgent({ dataDir: join(root, 'agent'), trust: [bundles.key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {} });
  const token = agent.newAdminToken!;
  await send(agent.url, '/admin/models/penguins', { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' }, body: await readFile(bundles.v1) });
  await lathe(root, 'init', 'ws');
  ws = join(root, 'ws');
  await copyFile(new URL('../../resources/samples/penguins.csv', import.meta.url), join(ws, 'penguins.csv'));
  expect((await lathe(ws, 'data', 'import', 'penguins.csv')).code).toBe(0);
  await writeFile(join(root, 'token'), token);
  expect((await lathe(ws, 'targets', 'add', 'edge-1', agent.url, '--token-file', join(root, 'token'))).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await agent?.close();
  await rm(root, { recursive: true, force: true });
});

describe('lathe simulate traffic', () => {
  it('sends the requests and the labels, says what it did, and prints the result with --json', { timeout: 60_000 }, async () => {
    const human = await lathe(ws, 'simulate', 'traffic', '--deployment', 'edge-1/penguins', '--from', 'penguins@1', '--rate', '200', '--duration', '0.2', '--drift', 'Beak Length (mm):scale=1.5', '--labels-after', '0');
    expect(human.code, human.err).toBe(0);
    expect(human.out.split('\n').slice(0, 2)).toEqual(['Sent 40 of 40 requests to edge-1/penguins from penguins@1 (200/s for 0.2 s): 40 answered, 0 failed.', 'Labels (Species): 40 sent, 40 joined, 0 refused.']);
    expect(human.out.split('\n')[2]).toMatch(/^Drift injected: Beak Length \(mm\) ×1\.5 \(\d+ values\)\.$/);

    const json = await lathe(ws, 'simulate', 'traffic', '--deployment', 'edge-1/penguins', '--from', 'penguins@1', '--rate', '100', '--duration', '0.1', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ status: 'finished', sent: 10, ok: 10, labelColumn: null, drift: [] });
  });

  it('refuses a bad command line with the flag named, and sends nothing', { timeout: 60_000 }, async () => {
    const cases: [string[], RegExp][] = [
      [['--from', 'penguins@1'], /Name the deployment with --deployment TARGET\/MODEL/],
      [['--deployment', 'edge-1/penguins', '--from', 'penguins'], /--from names a dataset version, like penguins@3; got "penguins"/],
      [['--deployment', 'edge-1/penguins', '--from', 'penguins@1', '--rate', 'fast'], /--rate takes a number; got "fast"/],
      [['--deployment', 'edge-1/penguins', '--from', 'penguins@1', '--rate=-5'], /rate: the rate is requests per second, more than 0/],
      [['--deployment', 'edge-1/penguins', '--from', 'penguins@1', '--duration', '86400'], /at most 3600 s \(an hour\); run another one for more/],
      [['--deployment', 'edge-1/penguins', '--from', 'penguins@1', '--drift', 'Island'], /--drift "Island" names no column/],
      [['--deployment', 'edge-1/penguins', '--from', 'penguins@1', '--drift', 'Island:tilt=3'], /"tilt" is not a drift/],
      [['--deployment', 'edge-1/penguins', '--from', 'penguins@1', '--drift', 'Sex:categories=MALE'], /categories= takes FROM>TO/],
      [['--deployment', 'edge-1/penguins', '--from', 'penguins@1', '--drift', 'Body Mass (g):shift=heavy'], /shift= takes a number, not "heavy"/],
      [['--deployment', 'edge-1/penguins', '--from', 'penguins@1', '--labels-after=-1'], /labelsAfter/],
    ];
    const answered = async () => [...(await send(agent.url, '/metrics')).text.matchAll(/^lathe_agent_requests_total\{[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    const before = await answered();
    for (const [args, message] of cases) {
      const ran = await lathe(ws, 'simulate', 'traffic', ...args);
      expect(ran.code, args.join(' ')).not.toBe(0);
      expect(ran.err, args.join(' ')).toMatch(message);
    }
    expect(await answered()).toBe(before);
  });
});
