import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { KserveExport } from '../../../shared/contract/deployments.ts';
import { packageModelVersion } from '../bundles/package-model-version.ts';
import type { SigningKey } from '../bundles/signing-keys.ts';
import { failedTo, failure } from '../errors.ts';
import { fsyncDirectory } from '../storage/atomic-file.ts';
import { resolveModelVersion } from '../registry/resolve-model-version.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { AGENT_PORT, inferenceServiceYaml } from './kserve-manifest.ts';

/**
 * `lathe deploy export NAME@V --kserve DIR`: what a Kubernetes cluster needs to serve a version
 * with the same agent, bundle and checks as a Lathe target:
 *
 *   NAME-V.lathe            the signed bundle
 *   agent-data/models.json  the agent's record of what it serves, naming that bundle, so the agent
 *                           loads it at start-up (verified against --trust, as every start does)
 *   Dockerfile              node:22-slim running the packed agent (`agent/`, which `lathe deploy
 *                           export` packs beside, or `lathe agent pack --out DIR/agent`) on :8080
 *                           with the bundle preloaded and --trust set to the signer's key
 *   inferenceservice.yaml   the KServe InferenceService (custom predictor; canaryTrafficPercent)
 *   README.md               how to build, push and apply
 *
 * Everything is written into a folder beside DIR and renamed into place at the end: DIR holds
 * the whole export or nothing. DIR must be new or empty unless `force`.
 */
export interface ExportRequest {
  ref: string;
  dir: string;
  canaryPercent?: number | undefined;
  image?: string | undefined;
  force: boolean;
}

export async function exportKserve(workspace: Workspace, request: ExportRequest, options: { key: SigningKey; latheVersion: string; now?: Date }): Promise<KserveExport> {
  if (!isAbsolute(request.dir)) throw failure('INVALID_INPUT', `dir: a folder path must be absolute here; got ${JSON.stringify(request.dir)}.`, { location: { field: 'dir' } });
  const version = await resolveModelVersion(workspace, request.ref);
  const name = serviceName(version.name);
  const image = request.image ?? `${name}:${version.version}`;
  const existing = await readdir(request.dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
  if (existing && existing.length > 0 && !request.force) {
    throw failure('CONFLICT', `${request.dir} is not empty.`, { hint: 'Export into a new or empty folder, or pass --force to replace what is there. Nothing was written.', location: { file: request.dir } });
  }
  const staging = join(dirname(request.dir), `.${basename(request.dir)}.export-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(join(staging, 'agent-data'), { recursive: true });
    const bundleName = `${version.name}-${version.version}.lathe`;
    const packaged = await packageModelVersion(workspace, `${version.name}@${version.version}`, join(staging, bundleName), { key: options.key, latheVersion: options.latheVersion });
    const sha256 = createHash('sha256').update(await readFile(join(staging, bundleName))).digest('hex');
    const placed = `${version.name}-${sha256.slice(0, 16)}.lathe`;
    const models = { schemaVersion: 1, models: [{ name: version.name, stable: { version: String(version.version), bundle: placed, sha256, loadedAt: (options.now ?? new Date()).toISOString() }, candidate: null, candidateWeight: 0 }] };
    await writeFile(join(staging, 'agent-data', 'models.json'), `${JSON.stringify(models, null, 2)}\n`);
    await writeFile(join(staging, 'trusted-key.pub'), `${packaged.signer.publicKey}\n`);
    await writeFile(join(staging, 'Dockerfile'), dockerfile({ bundleName, placed, publicKey: packaged.signer.publicKey, label: `${version.name}@${version.version}`, name }));
    await writeFile(join(staging, 'inferenceservice.yaml'), inferenceServiceYaml({ name, image, model: version.name, version: version.version, canaryPercent: request.canaryPercent }));
    await writeFile(join(staging, 'README.md'), readme({ label: `${version.name}@${version.version}`, image, name, model: version.name, fingerprint: packaged.signer.fingerprint, canaryPercent: request.canaryPercent }));
    await fsyncDirectory(staging);
    await swapInto(staging, request.dir, existing !== null);
    const files = await listFiles(request.dir);
    return { dir: request.dir, files, image, signer: packaged.signer.fingerprint, model: version.name, version: version.version };
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw failedTo(`export ${version.name}@${version.version} for KServe into ${request.dir}`, error, 'Nothing was written there.');
  }
}

/** A Kubernetes name (DNS-1035 label) from a model name: lowercase, '-' for '.' and '_', starting with a letter. */
export function serviceName(model: string): string {
  const name = model.toLowerCase().replace(/[._]+/g, '-').replace(/^-+|-+$/g, '');
  return (/^[a-z]/.test(name) ? name : `m-${name}`).slice(0, 45).replace(/-+$/, '');
}

function dockerfile(settings: { bundleName: string; placed: string; publicKey: string; label: string; name: string }): string {
  return [
    `# ${settings.label} served by the Lathe agent, written by \`lathe deploy export --kserve\`.`,
    '# The agent loads the bundle at start-up only if it verifies against the --trust key below.',
    'FROM node:22-slim',
    'ENV NODE_ENV=production',
    'WORKDIR /opt/lathe-agent',
    'COPY --chown=node:node agent/ /opt/lathe-agent/',
    'COPY --chown=node:node agent-data/models.json /var/lib/lathe-agent/models.json',
    `COPY --chown=node:node ${settings.bundleName} /var/lib/lathe-agent/bundles/${settings.placed}`,
    // The agent writes beside its bundles (uploads/, its lock, its admin token's hash): the folder is the node user's alone.
    'RUN mkdir -p /var/lib/lathe-agent/uploads && chown -R node:node /var/lib/lathe-agent && chmod -R go= /var/lib/lathe-agent',
    'USER node',
    `EXPOSE ${AGENT_PORT}`,
    // The Host names the cluster uses to reach the predictor; add your ingress domain with another --allow-host.
    `ENTRYPOINT ["node", "/opt/lathe-agent/lathe-agent.mjs", "--host", "0.0.0.0", "--port", "${AGENT_PORT}", "--data-dir", "/var/lib/lathe-agent", "--trust", "${settings.publicKey}", "--allow-host", "${settings.name}-predictor", "--allow-host", "${settings.name}-predictor.default.svc.cluster.local"]`,
    '',
  ].join('\n');
}

function readme(settings: { label: string; image: string; name: string; model: string; fingerprint: string; canaryPercent?: number | undefined }): string {
  return [
    `# ${settings.label} for KServe`,
    '',
    `Written by \`lathe deploy export\`. The bundle is signed by key ${settings.fingerprint}; the image's agent trusts only that key.`,
    '',
    '```sh',
    'test -d agent || lathe agent pack --out agent   # the self-contained agent the image runs',
    `docker build -t ${settings.image} .`,
    `docker push ${settings.image}`,
    'kubectl apply -f inferenceservice.yaml',
    `kubectl get inferenceservice ${settings.name}`,
    '```',
    '',
    `Predictions: \`POST /v2/models/${settings.model}/infer\` (Open Inference Protocol) or \`POST /v1/models/${settings.model}:predict\`.`,
    settings.canaryPercent === undefined
      ? 'To roll a later version out as a canary, export it with `--canary N` into the same InferenceService name.'
      : `This revision takes ${settings.canaryPercent}% of traffic (canaryTrafficPercent). Promote by removing that field; roll back by setting it to 0.`,
    '',
    'Host names: the agent answers only the names it is told (the predictor names for the `default` namespace are in the',
    'ENTRYPOINT), with any port or none, as a Service or ingress forwards them; add `--allow-host NAME` for another namespace',
    'or your ingress domain. Any other name gets 403.',
    '',
  ].join('\n');
}

async function swapInto(staging: string, dir: string, exists: boolean): Promise<void> {
  if (!exists) {
    await mkdir(dirname(dir), { recursive: true });
    await rename(staging, dir);
    return;
  }
  const aside = join(dirname(dir), `.${basename(dir)}.old-${randomBytes(4).toString('hex')}`);
  await rename(dir, aside);
  try {
    await rename(staging, dir);
  } catch (error) {
    await rename(aside, dir);
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}

async function listFiles(dir: string, prefix = ''): Promise<{ path: string; bytes: number }[]> {
  const found: { path: string; bytes: number }[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await listFiles(join(dir, entry.name), path)));
    else found.push({ path, bytes: (await stat(join(dir, entry.name))).size });
  }
  return found;
}
