import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../agent/start-agent.ts';
import { json, send, tensorsOf } from '../../agent/test-support/agent-client.ts';
import { ADELIE } from '../../agent/test-support/trained-bundles.ts';
import { loadOrCreateSigningKey } from '../bundles/signing-keys.ts';
import { parseYamlWithPython, pythonYamlAvailable } from '../pipelines/testing/python-yaml.ts';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { useTrainedWorkspace } from '../testing/trained-workspace.ts';
import { serviceName } from './kserve-export.ts';

/**
 * `deploy:export-kserve`: the manifest has KServe's published InferenceService shape (the field
 * names of serving.kserve.io/v1beta1: spec.predictor.containers[].name kserve-container, ports,
 * probes, canaryTrafficPercent), and the agent data it writes makes a real agent serve the
 * version from its first start, trusting only the signer's key.
 */
const trained = useTrainedWorkspace(1, 'lathe-kserve-');
const tempDir = useTempDirs();
const agents: RunningAgent[] = [];

beforeAll(async () => {
  const { call, workspace, runIds } = trained();
  await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
}, 60_000);
afterEach(async () => Promise.all(agents.splice(0).map((agent) => agent.close())));

interface InferenceService {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  spec: { predictor: { canaryTrafficPercent?: number; containers: { name: string; image: string; ports: { containerPort: number; protocol: string }[]; readinessProbe: { httpGet: { path: string; port: number } }; livenessProbe: { httpGet: { path: string; port: number } } }[] } };
}

describe('lathe deploy export --kserve', () => {
  it.skipIf(!pythonYamlAvailable)('writes a KServe InferenceService with a custom predictor on 8080, OIP health probes and canaryTrafficPercent (needs python3-yaml)', async () => {
    const { call, workspace } = trained();
    const dir = join(await tempDir(), 'k8s', 'penguins');
    const exported = await call('deploy:export-kserve', { workspace, ref: 'penguins@1', dir, canaryPercent: 10, image: 'ghcr.io/acme/penguins:1' });
    expect(exported).toMatchObject({ dir, model: 'penguins', version: 1, image: 'ghcr.io/acme/penguins:1' });
    expect(exported.files.map((f) => f.path)).toEqual(['Dockerfile', 'README.md', 'agent-data/models.json', 'inferenceservice.yaml', 'penguins-1.lathe', 'trusted-key.pub']);

    const service = parseYamlWithPython(await readFile(join(dir, 'inferenceservice.yaml'), 'utf8')) as InferenceService;
    expect(service.apiVersion).toBe('serving.kserve.io/v1beta1');
    expect(service.kind).toBe('InferenceService');
    expect(service.metadata.name).toBe('penguins');
    expect(service.spec.predictor.canaryTrafficPercent).toBe(10);
    const [container] = service.spec.predictor.containers;
    expect(container).toMatchObject({ name: 'kserve-container', image: 'ghcr.io/acme/penguins:1', ports: [{ containerPort: 8080, protocol: 'TCP' }] });
    expect(container!.readinessProbe.httpGet).toEqual({ path: '/v2/health/ready', port: 8080 });
    expect(container!.livenessProbe.httpGet).toEqual({ path: '/v2/health/live', port: 8080 });

    const dockerfile = await readFile(join(dir, 'Dockerfile'), 'utf8');
    const key = await loadOrCreateSigningKey(join(dirname(workspace), 'state'));
    expect(dockerfile).toMatch(/^FROM node:22-slim$/m);
    expect(dockerfile).toContain(`"--trust", "${key.publicKey.text}"`);
    expect(dockerfile).toContain('"--port", "8080"');
    expect(dockerfile).toMatch(/COPY --chown=node:node penguins-1\.lathe \/var\/lib\/lathe-agent\/bundles\/penguins-[0-9a-f]{16}\.lathe/);

    const plain = await call('deploy:export-kserve', { workspace, ref: 'penguins@1', dir: join(dirname(dir), 'plain') });
    const noCanary = parseYamlWithPython(await readFile(join(plain.dir, 'inferenceservice.yaml'), 'utf8')) as InferenceService;
    expect(noCanary.spec.predictor).not.toHaveProperty('canaryTrafficPercent');
    expect(plain.image).toBe('penguins:1');
  });

  it('writes agent data a real agent serves from its first start, trusting the signer', async () => {
    const { call, workspace } = trained();
    const dir = join(await tempDir(), 'export');
    await call('deploy:export-kserve', { workspace, ref: 'penguins@1', dir });
    // What the Dockerfile's COPY lines do, into an agent's --data-dir.
    const dockerfile = await readFile(join(dir, 'Dockerfile'), 'utf8');
    const placed = /bundles\/(penguins-[0-9a-f]{16}\.lathe)/.exec(dockerfile)![1]!;
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'bundles'), { recursive: true });
    await copyFile(join(dir, 'penguins-1.lathe'), join(dataDir, 'bundles', placed));
    await copyFile(join(dir, 'agent-data', 'models.json'), join(dataDir, 'models.json'));
    const { parsePublicKey } = await import('../bundles/signing-keys.ts');
    const trust = parsePublicKey((await readFile(join(dir, 'trusted-key.pub'), 'utf8')).trim())!;
    const agent = await startAgent({ dataDir, trust: [trust], port: 0, workers: 1, latheVersion: 'test', warn: () => {} });
    agents.push(agent);
    expect((await send(agent.url, '/v2/models/penguins/ready')).json()).toEqual({ name: 'penguins', ready: true });
    const answer = await send(agent.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf([ADELIE]) }));
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json().model_version).toBe('1');
  });

  it('refuses a folder that holds something (unless --force) and leaves it as it was', async () => {
    const { call, workspace } = trained();
    const dir = await tempDir();
    await writeFile(join(dir, 'keep.txt'), 'mine');
    const error = await refusal(call('deploy:export-kserve', { workspace, ref: 'penguins@1', dir }));
    expect(error).toMatchObject({ code: 'CONFLICT', message: `${dir} is not empty.` });
    expect(await readdir(dir)).toEqual(['keep.txt']);
    expect(await readdir(dirname(dir))).not.toContainEqual(expect.stringMatching(/\.export-/));
    await call('deploy:export-kserve', { workspace, ref: 'penguins@1', dir, force: true });
    expect(await readdir(dir)).not.toContain('keep.txt');
    expect((await refusal(call('deploy:export-kserve', { workspace, ref: 'penguins@9', dir: join(dir, 'x') }))).code).toBe('NOT_FOUND');
  });

  it('names the service as Kubernetes allows (a DNS label)', () => {
    expect(serviceName('Penguins_v2.final')).toBe('penguins-v2-final');
    expect(serviceName('3d-model')).toBe('m-3d-model');
    expect(serviceName('a'.repeat(100))).toHaveLength(45);
  });
});
