import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listenToPhases } from '../core/base/phases.ts';
import { loadOrCreateSigningKey } from '../core/bundles/signing-keys.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { startAgent, type AgentOptions, type RunningAgent } from './start-agent.ts';
import { json, send, tensorsOf } from './test-support/agent-client.ts';
import { ADELIE, trainPenguinBundles, type TrainedBundles } from './test-support/trained-bundles.ts';

/**
 * The agent as a deploy target sees it: bundles arrive over the admin API, predictions over
 * KServe's protocols, against a real trained penguins classifier.
 */
const tempDir = useTempDirs();
let bundles: TrainedBundles;
const running: RunningAgent[] = [];

let bundlesDir: string;

beforeAll(async () => {
  bundlesDir = await mkdtemp(join(tmpdir(), 'lathe-agent-bundles-'));
  bundles = await trainPenguinBundles(bundlesDir);
}, 120_000);

afterAll(() => rm(bundlesDir, { recursive: true, force: true }));

afterEach(async () => {
  listenToPhases(null);
  await Promise.all(running.splice(0).map((agent) => agent.close()));
});

async function agentOn(dataDir?: string, options: Partial<AgentOptions> = {}): Promise<RunningAgent & { token: string; dataDir: string }> {
  const dir = dataDir ?? (await tempDir());
  const agent = await startAgent({ dataDir: dir, trust: [bundles.key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {}, ...options });
  running.push(agent);
  return Object.assign(agent, { token: agent.newAdminToken ?? '', dataDir: dir });
}

const admin = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' });

async function upload(agent: { url: string; token: string }, name: string, file: string) {
  return send(agent.url, `/admin/models/${name}`, { method: 'PUT', headers: admin(agent.token), body: await readFile(file) });
}

const infer = (url: string, path: string, body: unknown) => send(url, path, json(body));

describe('lathe agent', () => {
  it('serves a bundle it was sent over the Open Inference Protocol v2 and KServe v1', async () => {
    const agent = await agentOn();
    expect(agent.token).toMatch(/^lathe_agent_[A-Za-z0-9_-]{43}$/);
    expect((await send(agent.url, '/v2/health/live')).json()).toEqual({ live: true });
    expect((await send(agent.url, '/v2/health/ready')).json()).toEqual({ ready: true });

    const loaded = await upload(agent, 'penguins', bundles.v1);
    expect(loaded.status, loaded.text).toBe(200);
    expect(loaded.json().loaded).toMatchObject({ name: 'penguins', stable: { version: '1', bundleModel: { name: 'penguins', version: 1 }, signer: bundles.key.publicKey.fingerprint }, candidate: null, candidateWeight: 0 });

    const metadata = (await send(agent.url, '/v2/models/penguins')).json();
    expect(metadata).toMatchObject({ name: 'penguins', versions: ['1'], platform: 'lathe-tfjs' });
    expect(metadata.inputs.map((input: { name: string; datatype: string }) => `${input.name}:${input.datatype}`)).toEqual(['Island:BYTES', 'Beak Length (mm):FP64', 'Beak Depth (mm):FP64', 'Flipper Length (mm):FP64', 'Body Mass (g):FP64', 'Sex:BYTES']);
    expect(metadata.outputs).toEqual([
      { name: 'Species', datatype: 'BYTES', shape: [-1] },
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 3], parameters: { classes: ['Adelie', 'Chinstrap', 'Gentoo'] } },
    ]);
    expect((await send(agent.url, '/v2/models/penguins/ready')).json()).toEqual({ name: 'penguins', ready: true });
    expect((await send(agent.url, '/v2/models/penguins/versions/1/ready')).json()).toEqual({ name: 'penguins', version: '1', ready: true });

    const gentoo = { ...ADELIE, Island: 'Biscoe', 'Beak Length (mm)': 47.5, 'Beak Depth (mm)': 14.2, 'Flipper Length (mm)': 220, 'Body Mass (g)': 5400 };
    const v2 = await infer(agent.url, '/v2/models/penguins/infer', { id: 'req-7', inputs: tensorsOf([ADELIE, gentoo]) });
    expect(v2.status, v2.text).toBe(200);
    const reply = v2.json();
    expect(reply).toMatchObject({ model_name: 'penguins', model_version: '1', id: 'req-7' });
    expect(reply.outputs[0]).toMatchObject({ name: 'Species', shape: [2], datatype: 'BYTES' });
    expect(reply.outputs[1]).toMatchObject({ name: 'probabilities', shape: [2, 3], datatype: 'FP32' });
    const probabilities: number[] = reply.outputs[1].data;
    expect(probabilities).toHaveLength(6);
    for (const row of [0, 1]) {
      const p = probabilities.slice(row * 3, row * 3 + 3);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(reply.outputs[0].data[row]).toBe(['Adelie', 'Chinstrap', 'Gentoo'][p.indexOf(Math.max(...p))]);
    }
    // The same rows by version, and by KServe v1, give the same classes.
    const byVersion = await infer(agent.url, '/v2/models/penguins/versions/1/infer', { inputs: tensorsOf([ADELIE, gentoo]) });
    expect(byVersion.json().outputs[0].data).toEqual(reply.outputs[0].data);
    const v1 = await infer(agent.url, '/v1/models/penguins:predict', { instances: [ADELIE, gentoo] });
    expect(v1.json()).toEqual({ predictions: reply.outputs[0].data });
  });

  it('answers 400 naming the field for bad requests, 404 for unknown models and versions, 413 for huge bodies', async () => {
    const agent = await agentOn(undefined, { maxRequestBytes: 4096 });
    expect((await upload(agent, 'penguins', bundles.v1)).status).toBe(200);
    const missing = await infer(agent.url, '/v2/models/penguins/infer', { inputs: tensorsOf([ADELIE]).slice(1) });
    expect(missing.status).toBe(400);
    expect(missing.json()).toEqual({ error: 'Missing input "Island": send one tensor per column the model reads.' });
    const wrong = tensorsOf([ADELIE]);
    wrong[3] = { ...wrong[3]!, data: ['181'] };
    expect((await infer(agent.url, '/v2/models/penguins/infer', { inputs: wrong })).json().error).toBe('input "Flipper Length (mm)": data[0] is the string "181"; expected a number (or null for a missing value).');
    expect((await infer(agent.url, '/v1/models/penguins:predict', { instances: [{ ...ADELIE, Colour: 'black' }] })).status).toBe(400);

    const malformed = await send(agent.url, '/v2/models/penguins/infer', { headers: { 'Content-Type': 'application/json' }, body: '{"inputs": [' });
    expect(malformed.status).toBe(400);
    expect(malformed.json().error).toMatch(/^The request body is not valid JSON/);
    const huge = await send(agent.url, '/v2/models/penguins/infer', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ inputs: [{ name: 'Island', shape: [1], datatype: 'BYTES', data: ['x'.repeat(5000)] }] }) });
    expect(huge.status).toBe(413);
    expect((await send(agent.url, '/v2/models/penguins/infer', { headers: { 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);

    const unknown = await infer(agent.url, '/v2/models/walrus/infer', { inputs: [] });
    expect(unknown.status).toBe(404);
    expect(unknown.json().error).toBe('There is no model named "walrus" on this agent; it serves "penguins".');
    const noVersion = await infer(agent.url, '/v2/models/penguins/versions/9/infer', { inputs: [] });
    expect(noVersion.status).toBe(404);
    expect(noVersion.json().error).toBe('Model "penguins" has no version "9"; it serves 1.');
    expect((await send(agent.url, '/v2/models/walrus/ready')).status).toBe(404);
    expect((await send(agent.url, '/v2/models/penguins/infer')).status).toBe(405);

    const metrics = (await send(agent.url, '/metrics')).text;
    expect(metrics).toContain('lathe_agent_request_errors_total{model="penguins",version="1",protocol="v2",status="400"} 3');
    expect(metrics).toContain('lathe_agent_unrouted_requests_total{reason="unknown_model"} 2');
    expect(metrics).not.toContain('walrus');
  });

  it('returns only the outputs a request names, and refuses one the model does not have', async () => {
    const agent = await agentOn();
    expect((await upload(agent, 'penguins', bundles.v1)).status).toBe(200);
    const only = await infer(agent.url, '/v2/models/penguins/infer', { inputs: tensorsOf([ADELIE]), outputs: [{ name: 'probabilities' }] });
    expect(only.json().outputs.map((output: { name: string }) => output.name)).toEqual(['probabilities']);
    const unknown = await infer(agent.url, '/v2/models/penguins/infer', { inputs: tensorsOf([ADELIE]), outputs: [{ name: 'logits' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.json().error).toBe('outputs[0]: this model\'s outputs are "Species", "probabilities"; got the string "logits".');
  });

  it('refuses a second agent on the same data folder, naming the first; hangs up on a connection that sends nothing', async () => {
    const first = await agentOn(undefined, { headersTimeoutMs: 200 });
    await expect(agentOn(first.dataDir)).rejects.toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringMatching(new RegExp(`^Another agent \\(process ${process.pid} on .*lathe agent on 127\\.0\\.0\\.1:0.*\\) is using the data folder `)), hint: 'Give each agent its own --data-dir, or stop the other one first.' },
    });
    const silent = connect(first.port, '127.0.0.1');
    silent.on('error', () => {});
    await once(silent, 'close');
    expect((await send(first.url, '/v2/health/live')).status).toBe(200);
  });

  it('refuses the admin API without the right token, and every request with a foreign Host', async () => {
    const agent = await agentOn();
    const body = await readFile(bundles.v1);
    const noToken = await send(agent.url, '/admin/models/penguins', { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body });
    expect(noToken.status).toBe(401);
    expect(noToken.json().error).toBe('The admin API needs the admin token: send `Authorization: Bearer <token>`.');
    const wrong = await send(agent.url, '/admin/models', { headers: { Authorization: `Bearer ${agent.token}x` } });
    expect(wrong.status).toBe(401);
    expect(wrong.json().error).toBe('The admin token is wrong.');
    const foreign = await send(agent.url, '/v2/health/live', { headers: { Host: 'evil.example:80' } });
    expect(foreign.status).toBe(403);
    expect(foreign.json().error).toBe('This agent does not answer to the host name "evil.example:80".');
    expect((await send(agent.url, '/admin/models', { headers: { Authorization: `Bearer ${agent.token}`, Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await send(agent.url, '/admin/models', { headers: { Authorization: `Bearer ${agent.token}` } })).json()).toEqual({ models: [], notLoaded: [] });
    // The token is kept only as its hash.
    const stored = await readFile(join(agent.dataDir, 'admin-token.json'), 'utf8');
    expect(stored).not.toContain(agent.token);
    expect(JSON.parse(stored)).toMatchObject({ schemaVersion: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('answers an --allow-host name without a port, as a Kubernetes Service forwards it, and still refuses other names', async () => {
    const agent = await agentOn(undefined, { allowedHosts: ['penguins-predictor.default.svc.cluster.local'] });
    expect((await send(agent.url, '/v2/health/live', { headers: { Host: 'penguins-predictor.default.svc.cluster.local' } })).status).toBe(200);
    expect((await send(agent.url, '/v2/health/live', { headers: { Host: 'evil.example' } })).status).toBe(403);
  });

  it('refuses tampered, foreign-signed and non-bundle uploads with the verifier\'s sentence, and loads nothing', async () => {
    const agent = await agentOn();
    const root = await tempDir();
    const bytes = new Uint8Array(await readFile(bundles.v1));
    bytes[Buffer.from(bytes).indexOf(Buffer.from('model/weights.bin\u0000')) + 512 + 17]! ^= 0x40;
    const tampered = join(root, 'tampered.lathe');
    await writeFile(tampered, bytes);
    const damaged = await upload(agent, 'penguins', tampered);
    expect(damaged.status).toBe(422);
    expect(damaged.json()).toMatchObject({ code: 'DATA_DAMAGED', error: expect.stringMatching(/did not verify: part model\/weights\.bin: SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}\.$/) });

    const stranger = await loadOrCreateSigningKey(join(root, 'stranger'));
    const other = await startAgent({ dataDir: join(root, 'other'), trust: [stranger.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {} });
    running.push(other);
    const untrusted = await upload({ url: other.url, token: other.newAdminToken! }, 'penguins', bundles.v1);
    expect(untrusted.status).toBe(403);
    expect(untrusted.json()).toMatchObject({ code: 'FORBIDDEN', error: expect.stringContaining(`signed by key ${bundles.key.publicKey.fingerprint}`) });

    // Unsigned: the archive cut after its manifest (and closed properly); re-signed by nobody: the manifest altered.
    const manifestBytes = parseInt(Buffer.from(bytes.subarray(124, 136)).toString('latin1').replace(/\0.*$/, '').trim(), 8);
    const manifestEnd = 512 + Math.ceil(manifestBytes / 512) * 512;
    const unsigned = join(root, 'unsigned.lathe');
    await writeFile(unsigned, Buffer.concat([(await readFile(bundles.v1)).subarray(0, manifestEnd), Buffer.alloc(1024)]));
    const refusedUnsigned = await upload(agent, 'penguins', unsigned);
    expect(refusedUnsigned.status).toBe(422);
    expect(refusedUnsigned.json().error).toContain('the bundle is not signed');
    const altered = new Uint8Array(await readFile(bundles.v1));
    const versionAt = Buffer.from(altered).indexOf(Buffer.from('"version": 1'), 512);
    expect(versionAt).toBeGreaterThan(0);
    altered[versionAt + 11] = '7'.charCodeAt(0);
    const alteredFile = join(root, 'altered.lathe');
    await writeFile(alteredFile, altered);
    const refusedAltered = await upload(agent, 'penguins', alteredFile);
    expect(refusedAltered.status).toBe(422);
    expect(refusedAltered.json().error).toContain('does not match the bytes of manifest.json: the manifest or its signature was altered after signing');

    const notABundle = join(root, 'notes.lathe');
    await writeFile(notABundle, 'just some text, not a bundle\n');
    expect((await upload(agent, 'penguins', notABundle)).status).toBe(422);
    expect((await send(agent.url, '/v2/models/penguins')).status).toBe(404);
    expect(await readdir(join(agent.dataDir, 'uploads'))).toEqual([]);
    expect(await readdir(join(agent.dataDir, 'bundles'))).toEqual([]);
  });

  it('keeps nothing of an upload cut off midway, and the serving version goes on serving', async () => {
    const agent = await agentOn();
    expect((await upload(agent, 'penguins', bundles.v1)).status).toBe(200);
    const body = await readFile(bundles.v2);
    const discarded = new Promise<void>((resolve) => {
      listenToPhases((phase) => {
        if (phase === 'agent:upload-receiving') client.destroy();
        if (phase === 'agent:upload-discarded') resolve();
      });
    });
    const client = request(new URL('/admin/models/penguins', agent.url), { method: 'PUT', headers: { ...admin(agent.token), 'Content-Length': String(body.byteLength) } });
    client.on('error', () => {});
    client.write(body.subarray(0, body.byteLength >> 1));
    await discarded;
    expect(await readdir(join(agent.dataDir, 'uploads'))).toEqual([]);
    expect((await send(agent.url, '/v2/models/penguins')).json().versions).toEqual(['1']);
    expect((await infer(agent.url, '/v2/models/penguins/infer', { inputs: tensorsOf([ADELIE]) })).status).toBe(200);
  });

  it('answers 503 with Retry-After when the queue is full, and counts queue depth and in-flight', async () => {
    let hold: Promise<void> | null = null;
    let release = () => {};
    const signals: string[] = [];
    let heard = () => {};
    const next = () => new Promise<void>((resolve) => (heard = resolve));
    const agent = await agentOn(undefined, {
      maxQueue: 1,
      hooks: {
        beforePredict: () => {
          signals.push('predicting');
          heard();
          return hold ?? Promise.resolve();
        },
        queued: () => heard(),
      },
    });
    expect((await upload(agent, 'penguins', bundles.v1)).status).toBe(200);
    hold = new Promise<void>((resolve) => (release = resolve));
    const body = { inputs: tensorsOf([ADELIE]) };
    let signal = next();
    const first = infer(agent.url, '/v2/models/penguins/infer', body);
    await signal;
    signal = next();
    const second = infer(agent.url, '/v2/models/penguins/infer', body);
    await signal;
    const third = await infer(agent.url, '/v2/models/penguins/infer', body);
    expect(third.status).toBe(503);
    expect(third.headers['retry-after']).toBe('1');
    expect(third.json().error).toBe('penguins v1 is busy: every worker is predicting and the queue is full.');
    const metrics = (await send(agent.url, '/metrics')).text;
    expect(metrics).toContain('\nlathe_agent_queue_depth{model="penguins",version="1"} 1\n');
    expect(metrics).toContain('\nlathe_agent_in_flight{model="penguins",version="1"} 1\n');
    release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect((await send(agent.url, '/metrics')).text).toContain('lathe_agent_request_errors_total{model="penguins",version="1",protocol="v2",status="503"} 1');
  });

  it('fails a prediction stuck past the time limit with 504 and replaces its worker; a dead worker is replaced too', async () => {
    let stuck = false;
    const agent = await agentOn(undefined, { predictTimeoutMs: 100, hooks: { beforePredict: () => (stuck ? new Promise<void>(() => {}) : Promise.resolve()) } });
    expect((await upload(agent, 'penguins', bundles.v1)).status).toBe(200);
    const body = { inputs: tensorsOf([ADELIE]) };
    stuck = true;
    const timedOut = await infer(agent.url, '/v2/models/penguins/infer', body);
    expect(timedOut.status).toBe(504);
    expect(timedOut.json().error).toBe('penguins v1 took longer than 0.1 s to predict; the request was stopped.');
    stuck = false;
    // The only worker was replaced: the next request waits for the fresh one and is answered.
    expect((await infer(agent.url, '/v2/models/penguins/infer', body)).status).toBe(200);
  });

  it('fails the request a dead worker had with 503, and answers the next from a fresh worker', async () => {
    const agent = await agentOn();
    expect((await upload(agent, 'penguins', bundles.v1)).status).toBe(200);
    const { pool } = agent.slots.get('penguins')!.stable;
    await pool.runtime.close(); // its only worker, gone as if it had crashed
    const body = { inputs: tensorsOf([ADELIE]) };
    const lost = await infer(agent.url, '/v2/models/penguins/infer', body);
    expect(lost.status).toBe(503);
    expect(lost.json().error).toBe('Model penguins version 1 could not predict: The serving runtime was closed.');
    expect(lost.headers['retry-after']).toBe('1');
    expect((await infer(agent.url, '/v2/models/penguins/infer', body)).status).toBe(200);
    expect(pool.load()).toEqual({ queued: 0, inFlight: 0 });
  });

  it('shuts down gracefully: the request in hand is answered, then nothing more is', async () => {
    let release = () => {};
    let started = () => {};
    let hold: Promise<void> | null = null;
    const agent = await agentOn(undefined, { hooks: { beforePredict: () => (started(), hold ?? Promise.resolve()) } });
    expect((await upload(agent, 'penguins', bundles.v1)).status).toBe(200);
    hold = new Promise<void>((resolve) => (release = resolve));
    const inHand = new Promise<void>((resolve) => (started = resolve));
    const answer = infer(agent.url, '/v2/models/penguins/infer', { inputs: tensorsOf([ADELIE]) });
    await inHand;
    const closed = agent.close();
    release();
    expect((await answer).status).toBe(200);
    await closed;
    await expect(send(agent.url, '/v2/health/live')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('switches to a new version only once it answers, while the old one finishes the request it has in hand', async () => {
    let release = () => {};
    let inHand = () => {};
    let holdVersion1 = false;
    const agent = await agentOn(undefined, {
      hooks: {
        beforePredict: (version) => {
          if (version !== 1 || !holdVersion1) return Promise.resolve();
          inHand();
          return new Promise<void>((resolve) => (release = resolve));
        },
      },
    });
    expect((await upload(agent, 'penguins', bundles.v1)).status).toBe(200);
    holdVersion1 = true;
    const started = new Promise<void>((resolve) => (inHand = resolve));
    const onOld = infer(agent.url, '/v2/models/penguins/infer', { inputs: tensorsOf([ADELIE]) });
    await started;
    const switched = new Promise<void>((resolve) => listenToPhases((phase) => (phase === 'agent:switched' ? resolve() : undefined)));
    const replacing = upload(agent, 'penguins', bundles.v2);
    await switched;
    // From the switch on, v2 answers; v1 still holds the request it had, and is not yet unloaded.
    expect((await infer(agent.url, '/v2/models/penguins/infer', { inputs: tensorsOf([ADELIE]) })).json().model_version).toBe('2');
    release();
    const old = await onOld;
    expect(old.status).toBe(200);
    expect(old.json().model_version).toBe('1');
    expect((await replacing).json().loaded.stable.version).toBe('2');
  });

  it('replaces a version atomically, reloads what it served after a restart, and clears what a kill left behind', async () => {
    const first = await agentOn();
    expect((await upload(first, 'penguins', bundles.v1)).status).toBe(200);
    const replaced = await upload(first, 'penguins', bundles.v2);
    expect(replaced.json().loaded.stable.version).toBe('2');
    expect((await infer(first.url, '/v2/models/penguins/versions/1/infer', { inputs: tensorsOf([ADELIE]) })).status).toBe(404);
    expect(await readdir(join(first.dataDir, 'bundles'))).toEqual([expect.stringMatching(/^penguins-[0-9a-f]{16}\.lathe$/)]);
    expect((await upload(first, 'spare', bundles.v1)).status).toBe(200);
    expect((await send(first.url, '/admin/models/spare', { method: 'DELETE', headers: { Authorization: `Bearer ${first.token}` } })).json().unloaded.name).toBe('spare');
    await first.close();

    // What a kill mid-upload or mid-switch leaves: a partial upload, a bundle models.json never named.
    await writeFile(join(first.dataDir, 'uploads', 'cut.part'), 'half a bundle');
    await writeFile(join(first.dataDir, 'bundles', 'penguins-v3-0000000000000000.lathe'), 'never recorded');
    const second = await agentOn(first.dataDir);
    expect(second.newAdminToken).toBeNull();
    expect((await send(second.url, '/v2/models/penguins')).json().versions).toEqual(['2']);
    expect((await send(second.url, '/v2/models/spare')).status).toBe(404);
    expect((await infer(second.url, '/v2/models/penguins/infer', { inputs: tensorsOf([ADELIE]) })).json().model_version).toBe('2');
    expect(await readdir(join(first.dataDir, 'uploads'))).toEqual([]);
    expect(await readdir(join(first.dataDir, 'bundles'))).toHaveLength(1);
    // The old token still opens the admin API after the restart.
    expect((await send(second.url, '/admin/models', { headers: { Authorization: `Bearer ${first.token}` } })).json().models).toHaveLength(1);
    await second.close();

    // A bundle damaged on disk while the agent was down is verified again at start-up, and refused.
    const [stored] = await readdir(join(first.dataDir, 'bundles'));
    const damaged = new Uint8Array(await readFile(join(first.dataDir, 'bundles', stored!)));
    damaged[Buffer.from(damaged).indexOf(Buffer.from('model/weights.bin\u0000')) + 512 + 17]! ^= 0x40;
    await writeFile(join(first.dataDir, 'bundles', stored!), damaged);
    const warnings: string[] = [];
    const third = await agentOn(first.dataDir, { warn: (text) => warnings.push(text) });
    expect(warnings).toEqual([expect.stringMatching(/^Model penguins \(version 2\) was not loaded: .*did not verify: part model\/weights\.bin: SHA-256 is/)]);
    const refused = await infer(third.url, '/v2/models/penguins/infer', { inputs: tensorsOf([ADELIE]) });
    expect(refused.status).toBe(503);
    expect(refused.json().error).toMatch(/^Model "penguins" is recorded on this agent but did not load at start-up: .*did not verify/);
    expect((await send(third.url, '/admin/models', { headers: { Authorization: `Bearer ${first.token}` } })).json()).toMatchObject({ models: [], notLoaded: [{ name: 'penguins' }] });
    // Sending a good bundle again puts it right.
    expect((await upload({ url: third.url, token: first.token }, 'penguins', bundles.v2)).status).toBe(200);
    expect((await infer(third.url, '/v2/models/penguins/infer', { inputs: tensorsOf([ADELIE]) })).status).toBe(200);
  });
});
