import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { failure, LatheFailure } from '../core/errors.ts';
import { writeFileAtomic } from '../core/storage/atomic-file.ts';
import { versionedRecord } from '../core/storage/versioned-record.ts';
import { WorkspaceLock } from '../core/workspace/workspace-lock.ts';

/**
 * What an agent keeps in its --data-dir, so that a restart (or a kill) comes back to what it
 * served:
 *
 *   admin-token.json   the SHA-256 of the admin token (the token itself is printed once, never stored)
 *   models.json        each model slot: its stable version's bundle, and room for a rollout
 *                      (a candidate version and the share of traffic it gets)
 *   bundles/           the bundles models.json names, verified when uploaded and again when loaded
 *   uploads/           bundles being received; anything here at start-up was cut off, and is removed
 *   agent.lock         held by the running agent (the OS drops it when the process dies), so two
 *                      agents never share one folder
 *
 * models.json is written atomically after the bundle it names is in place, so a kill at any
 * point leaves the old state or the new one; bundles it does not name are removed at start-up.
 */
const VersionRef = z.object({
  version: z.string().min(1),
  /** A file name inside bundles/. */
  bundle: z.string().regex(/^[A-Za-z0-9._-]+\.lathe$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  loadedAt: z.string(),
});
export type VersionRef = z.infer<typeof VersionRef>;

const ModelSlotV1 = z.object({
  name: z.string(),
  stable: VersionRef,
  /** A version being rolled out beside the stable one (canary, A/B, shadow): later work; null for now. */
  candidate: VersionRef.nullable(),
  /** Percent of traffic the candidate gets (0 when there is none). */
  candidateWeight: z.number().int().min(0).max(100),
});
export type ModelSlotRecord = z.infer<typeof ModelSlotV1>;

const LoadedModelsV1 = z.object({ schemaVersion: z.literal(1), models: z.array(ModelSlotV1) });
export type LoadedModels = z.infer<typeof LoadedModelsV1>;
const loadedModelsRecord = versionedRecord<LoadedModels>({ kind: 'agent model list', versions: [LoadedModelsV1], migrations: [] });

const AdminTokenV1 = z.object({ schemaVersion: z.literal(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), createdAt: z.string() });
const adminTokenRecord = versionedRecord<z.infer<typeof AdminTokenV1>>({ kind: 'agent admin token', versions: [AdminTokenV1], migrations: [] });

/** Serving names: what goes in /v2/models/{name}. */
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface AgentDataDir {
  readonly root: string;
  readonly bundlesDir: string;
  readonly uploadsDir: string;
  readModels(): Promise<LoadedModels>;
  writeModels(models: LoadedModels): Promise<void>;
  /** Remove bundles models.json does not name, and every upload left behind by a cut-off transfer or a kill. */
  sweep(models: LoadedModels): Promise<void>;
}

export async function openAgentDataDir(root: string): Promise<AgentDataDir> {
  const bundlesDir = join(root, 'bundles');
  const uploadsDir = join(root, 'uploads');
  try {
    await mkdir(bundlesDir, { recursive: true, mode: 0o700 });
    await mkdir(uploadsDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw failure('DISK_ERROR', `The agent cannot make its data folder ${root}: ${(error as Error).message}`, { hint: 'Pass a --data-dir the agent may write to.', location: { file: root } });
  }
  const modelsFile = join(root, 'models.json');
  return {
    root,
    bundlesDir,
    uploadsDir,
    async readModels() {
      let text: string;
      try {
        text = await readFile(modelsFile, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 1, models: [] };
        throw error;
      }
      return loadedModelsRecord.parse(text, modelsFile);
    },
    async writeModels(models) {
      await writeFileAtomic(modelsFile, loadedModelsRecord.serialize(models), { mode: 0o600 });
    },
    async sweep(models) {
      const named = new Set(models.models.flatMap((slot) => [slot.stable.bundle, ...(slot.candidate ? [slot.candidate.bundle] : [])]));
      for (const file of await readdir(bundlesDir)) if (!named.has(file)) await rm(join(bundlesDir, file), { force: true });
      for (const file of await readdir(uploadsDir)) await rm(join(uploadsDir, file), { force: true });
    },
  };
}

/**
 * The admin token: made at first start (32 random bytes), returned once so the agent can print
 * it, and kept only as its SHA-256. Later starts return null: the token was printed then.
 */
export async function loadOrCreateAdminToken(root: string): Promise<{ check: (given: string | undefined) => boolean; newToken: string | null; file: string }> {
  const file = join(root, 'admin-token.json');
  let hash: Buffer;
  let newToken: string | null = null;
  try {
    hash = Buffer.from(adminTokenRecord.parse(await readFile(file, 'utf8'), file).sha256, 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    newToken = `lathe_agent_${randomBytes(32).toString('base64url')}`;
    hash = sha256(newToken);
    await writeFileAtomic(file, adminTokenRecord.serialize({ schemaVersion: 1, sha256: hash.toString('hex'), createdAt: new Date().toISOString() }), { mode: 0o600 });
  }
  return {
    file,
    newToken,
    check: (given) => typeof given === 'string' && given.length > 0 && timingSafeEqual(sha256(given), hash),
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Hold the data folder for this agent's lifetime: a second agent on the same folder is refused
 * (two writers of models.json would lose each other's changes). Returns the release.
 */
export async function holdDataDir(root: string, purpose: string): Promise<() => Promise<void>> {
  const lock = new WorkspaceLock(join(root, 'agent.lock'));
  let release = () => {};
  try {
    await new Promise<void>((acquired, refused) => {
      lock.run(() => {
        acquired();
        return new Promise<void>((resolve) => (release = resolve));
      }, { timeoutMs: 0, purpose }).catch(refused);
    });
  } catch (error) {
    await lock.close();
    if (!(error instanceof LatheFailure) || error.error.code !== 'CONFLICT') throw error;
    const owner = await lock.owner();
    throw failure('CONFLICT', `Another agent${owner ? ` (process ${owner.pid} on ${owner.host}, ${owner.purpose}, since ${owner.since})` : ''} is using the data folder ${root}.`, {
      hint: 'Give each agent its own --data-dir, or stop the other one first.',
      location: { file: root },
    });
  }
  return async () => {
    release();
    await lock.close();
  };
}
