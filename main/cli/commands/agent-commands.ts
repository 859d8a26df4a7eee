import { isAbsolute, resolve } from 'node:path';
import { failure } from '../../core/errors.ts';
import { integerOption } from '../option-values.ts';
import type { CliCommand } from '../cli-command.ts';
import { visible } from '../terminal-text.ts';

export const agentCommand: CliCommand = {
  path: ['agent'],
  summary: 'Run a deploy target: serve signed model bundles over KServe\'s protocols',
  usage: 'lathe agent [--port N] [--host ADDR] [--data-dir DIR] [--trust PUBKEY]… [--allow-host NAME]… [--workers N] [--max-queue N] [--max-bundle-mb N] [--predict-timeout S]',
  details: [
    'Serves models with the Open Inference Protocol (GET /v2/health/live, /v2/health/ready, /v2/models/NAME,',
    '/v2/models/NAME/ready, POST /v2/models/NAME/infer) and KServe v1 (POST /v1/models/NAME:predict), with',
    'Prometheus metrics at /metrics. Bundles arrive over the admin API (PUT /admin/models/NAME with the bundle',
    'as the body, GET /admin/models, DELETE /admin/models/NAME, each with `Authorization: Bearer TOKEN`); the',
    'admin token is printed once, at the first start, and kept only as a hash in --data-dir. A bundle is',
    'loaded only when a --trust key (repeatable; default: your own key, as `lathe keys show` prints it) signed',
    'it and every hash matches. What is loaded is reloaded after a restart. Defaults: 127.0.0.1, port 8080,',
    '--data-dir ./lathe-agent, 2 workers per model, a queue of 64 (then 503 with Retry-After), and 30 s per',
    'prediction (--predict-timeout; past it the request gets 504 and its worker is replaced).',
    'Example: lathe agent --host 0.0.0.0 --trust ed25519:… --data-dir /var/lib/lathe-agent',
    '         curl -X PUT -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/octet-stream" \\',
    '              --data-binary @penguins-3.lathe http://HOST:8080/admin/models/penguins',
  ].join('\n'),
  options: {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    trust: { type: 'string', multiple: true },
    'allow-host': { type: 'string', multiple: true },
    workers: { type: 'string' },
    'max-queue': { type: 'string' },
    'max-bundle-mb': { type: 'string' },
    'predict-timeout': { type: 'string' },
  },
  async run(context) {
    const port = integerOption(context.values.port, '--port', 0, 65535);
    const workers = integerOption(context.values.workers, '--workers', 1, 64);
    const maxQueue = integerOption(context.values['max-queue'], '--max-queue', 0, 100_000);
    const maxBundleMb = integerOption(context.values['max-bundle-mb'], '--max-bundle-mb', 1, 64 * 1024);
    const predictTimeout = integerOption(context.values['predict-timeout'], '--predict-timeout', 1, 3600);
    const { resolveTrustedKey, readOwnPublicKey } = await import('../../core/bundles/signing-keys.ts');
    const { defaultStateDir } = await import('../../core/paths.ts');
    const given = Array.isArray(context.values.trust) ? context.values.trust.map(String) : [];
    const trust = given.length > 0
      ? await Promise.all(given.map((value, i) => resolveTrustedKey(/^(ed25519:|-----BEGIN)/.test(value.trim()) || isAbsolute(value) ? value : resolve(context.cwd, value), i)))
      : [await readOwnPublicKey(defaultStateDir())].filter((key) => key !== null);
    if (trust.length === 0) {
      throw failure('INVALID_INPUT', 'The agent needs a key to trust, and this machine has no signing key of its own.', {
        hint: 'Pass --trust with the public key of the machine that packages your models (`lathe keys show` prints it there).',
        location: { field: 'trust' },
      });
    }
    const { startAgent } = await import('../../agent/start-agent.ts');
    const dataDir = resolve(context.cwd, typeof context.values['data-dir'] === 'string' ? context.values['data-dir'] : 'lathe-agent');
    const agent = await startAgent({
      dataDir,
      trust,
      host: typeof context.values.host === 'string' ? context.values.host : undefined,
      port,
      allowedHosts: Array.isArray(context.values['allow-host']) ? context.values['allow-host'].map(String) : undefined,
      workers,
      maxQueue,
      maxBundleBytes: maxBundleMb === undefined ? undefined : maxBundleMb * 1024 * 1024,
      predictTimeoutMs: predictTimeout === undefined ? undefined : predictTimeout * 1000,
      workerUrl: context.files.scanWorker && new URL('./serving-worker.cjs', context.files.scanWorker),
      latheVersion: process.env.npm_package_version ?? 'dev',
      warn: context.err,
    });
    if (context.json) {
      context.out(JSON.stringify({ url: agent.url, adminToken: agent.newAdminToken, adminTokenFile: agent.adminTokenFile, models: agent.slots.all().map((slot) => agent.slots.summary(slot)) }));
    } else {
      context.out(`Lathe agent serving at ${agent.url} (data in ${visible(dataDir)}; trusting ${trust.map((key) => key.fingerprint).join(', ')})`);
      for (const slot of agent.slots.all()) context.out(`  ${visible(slot.name)}: version ${slot.stable.ref.version}`);
      if (agent.newAdminToken) {
        context.out(`Admin token (shown this once; only its hash is kept, in ${visible(agent.adminTokenFile)}):`);
        context.out(`  ${agent.newAdminToken}`);
      }
    }
    const stop = () => {
      context.err('Stopping: finishing the requests in hand…');
      void agent.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return 'keep-running';
  },
};


export const agentPackCommand: CliCommand = {
  path: ['agent', 'pack'],
  summary: 'Write a self-contained agent a target machine runs with Node 22.13+',
  usage: 'lathe agent pack --out DIR',
  details: [
    'Writes DIR/lathe-agent.mjs (the agent in one file), its serving worker and WASM binaries, a package.json',
    'and a README. Copy DIR to the target and run `node DIR/lathe-agent.mjs` with the flags of `lathe agent`.',
    'DIR must be new or empty. From a source checkout, run `npm run build` first.',
  ].join('\n'),
  options: { out: { type: 'string', short: 'o' } },
  async run(context) {
    if (typeof context.values.out !== 'string' || context.values.out === '') throw failure('INVALID_INPUT', 'lathe agent pack needs --out DIR: the folder to write the agent into.', { location: { field: 'out' } });
    const { join } = await import('node:path');
    const { readFile } = await import('node:fs/promises');
    const { packAgent } = await import('../agent-pack.ts');
    const { version } = JSON.parse(await readFile(join(context.files.root, 'package.json'), 'utf8')) as { version: string };
    const packed = await packAgent(join(context.files.root, 'main', 'dist'), resolve(context.cwd, context.values.out), version);
    return {
      json: packed,
      human: [`Packed the agent into ${visible(packed.dir)}:`, ...packed.files.map((file) => `  ${file.name}  ${(file.bytes / 1024).toFixed(0)} KiB`), `Run it there with: node ${visible(join(packed.dir, 'lathe-agent.mjs'))} --trust ed25519:…`].join('\n'),
    };
  },
};
