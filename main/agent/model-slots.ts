import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { reachPhase } from '../core/base/phases.ts';
import type { BundleManifest } from '../core/bundles/bundle-manifest.ts';
import { failedTo, failure, toLatheError } from '../core/errors.ts';
import type { ServedModel } from '../core/serving/serving-messages.ts';
import type { LatheError } from '../../shared/contract/result.ts';
import type { AgentDataDir, LoadedModels, ModelSlotRecord, VersionRef } from './agent-state.ts';
import { openWorkerPool, type PoolOptions, type WorkerPool } from './worker-pool.ts';

/**
 * The models an agent serves, one slot per serving name. A slot holds its stable version and has
 * room for a rollout beside it — a candidate version and the percent of traffic it gets — which
 * stays empty (100/0) until a rollout controller fills it. Installing a version verifies and loads
 * it in its own workers, checks it answers, records it on disk, and only then switches: requests
 * never see a half-loaded model, and the old version answers until the switch, then finishes what
 * it had in hand.
 */
export interface LoadedVersion {
  readonly ref: VersionRef;
  readonly pool: WorkerPool;
  readonly model: ServedModel;
  readonly manifest: BundleManifest;
}

export interface ModelSlot {
  readonly name: string;
  readonly stable: LoadedVersion;
  readonly candidate: LoadedVersion | null;
  readonly candidateWeight: number;
}

export interface SlotSummary {
  name: string;
  stable: { version: string; bundleModel: { name: string; version: number }; sha256: string; signer: string; loadedAt: string };
  candidate: { version: string } | null;
  candidateWeight: number;
}

export type PoolSettings = PoolOptions;

export class ModelSlots {
  private readonly slots = new Map<string, ModelSlot>();
  private readonly busy = new Set<string>();
  /** Slots on disk whose bundle did not load at start-up (a key no longer trusted, a damaged file). */
  readonly notRestored = new Map<string, LatheError>();

  private readonly dir: AgentDataDir;
  private readonly pools: PoolSettings;
  private readonly now: () => Date;

  constructor(dir: AgentDataDir, pools: PoolSettings, now: () => Date = () => new Date()) {
    this.dir = dir;
    this.pools = pools;
    this.now = now;
  }

  /** Load what models.json names, as the agent left it; clear away anything it does not. */
  async restore(warn: (text: string) => void): Promise<void> {
    const record = await this.dir.readModels();
    await this.dir.sweep(record);
    for (const slot of record.models) {
      try {
        const stable = await this.open(join(this.dir.bundlesDir, slot.stable.bundle), () => slot.stable);
        this.slots.set(slot.name, { name: slot.name, stable, candidate: null, candidateWeight: 0 });
      } catch (error) {
        this.notRestored.set(slot.name, toLatheError(error));
        warn(`Model ${slot.name} (version ${slot.stable.version}) was not loaded: ${toLatheError(error).message}`);
      }
    }
  }

  get(name: string): ModelSlot | undefined {
    return this.slots.get(name);
  }

  all(): ModelSlot[] {
    return [...this.slots.values()];
  }

  /** The version that answers a request: the one asked for, else the candidate for its share of traffic, else stable. */
  route(name: string, version?: string, draw: () => number = Math.random): LoadedVersion | undefined {
    const slot = this.slots.get(name);
    if (!slot) return undefined;
    if (version !== undefined) return [slot.stable, slot.candidate].find((loaded) => loaded?.ref.version === version) ?? undefined;
    return slot.candidate && draw() * 100 < slot.candidateWeight ? slot.candidate : slot.stable;
  }

  summary(slot: ModelSlot): SlotSummary {
    const { ref, manifest } = slot.stable;
    return {
      name: slot.name,
      stable: { version: ref.version, bundleModel: manifest.model, sha256: ref.sha256, signer: slot.stable.pool.runtime.signer.fingerprint, loadedAt: ref.loadedAt },
      candidate: slot.candidate ? { version: slot.candidate.ref.version } : null,
      candidateWeight: slot.candidateWeight,
    };
  }

  /**
   * Replace `name`'s stable version with the bundle at `upload` (a file in uploads/, which this
   * moves into bundles/ or removes). One change per model at a time: another gets CONFLICT.
   */
  async install(name: string, upload: string, sha256: string): Promise<SlotSummary> {
    return this.exclusively(name, async () => {
      let loaded: LoadedVersion | null = null;
      let old: ModelSlot | undefined;
      let next: ModelSlot;
      // In its place before it is opened: a worker replaced later restarts from this same file.
      const bundle = `${name}-${sha256.slice(0, 16)}.lathe`;
      const placed = join(this.dir.bundlesDir, bundle);
      try {
        await rename(upload, placed);
        loaded = await this.open(placed, (manifest) => ({ version: String(manifest.model.version), bundle, sha256, loadedAt: this.now().toISOString() }));
        old = this.slots.get(name);
        next = { name, stable: loaded, candidate: null, candidateWeight: 0 };
        await this.persist(new Map(this.slots).set(name, next));
      } catch (error) {
        await loaded?.pool.close();
        await rm(upload, { force: true });
        if (this.slots.get(name)?.stable.ref.bundle !== bundle) await rm(placed, { force: true });
        throw failedTo(`load the bundle for model ${name}`, error, 'The model that was serving goes on serving.');
      }
      // Recorded on disk: switch. The old version finishes what it has in hand, then stops.
      this.slots.set(name, next);
      this.notRestored.delete(name);
      await reachPhase('agent:switched');
      if (old) await this.retire(old, bundle);
      return this.summary(next);
    });
  }

  /** Unload `name`; null when it was on disk only (it had not loaded at start-up). */
  async remove(name: string): Promise<SlotSummary | null> {
    return this.exclusively(name, async () => {
      const slot = this.slots.get(name);
      if (!slot && this.notRestored.has(name)) {
        const onDisk = await this.dir.readModels();
        this.notRestored.delete(name);
        await this.dir.writeModels({ ...onDisk, models: onDisk.models.filter((model) => model.name !== name) });
        return null;
      }
      if (!slot) throw failure('NOT_FOUND', `No model named ${name} is loaded.`, { hint: 'GET /admin/models lists the loaded models.' });
      const rest = new Map(this.slots);
      rest.delete(name);
      await this.persist(rest);
      this.slots.delete(name);
      await this.retire(slot, null);
      return this.summary(slot);
    });
  }

  /** Let every model finish what it has in hand, then stop its workers. */
  async drainAll(): Promise<void> {
    await Promise.all(this.all().flatMap((slot) => [slot.stable, ...(slot.candidate ? [slot.candidate] : [])]).map((loaded) => loaded.pool.drainAndClose()));
  }

  /** Verify and load `file` in its workers and check it answers; `ref` says how it is recorded. */
  private async open(file: string, ref: (manifest: BundleManifest) => VersionRef): Promise<LoadedVersion> {
    const pool = await openWorkerPool(file, this.pools);
    try {
      await pool.predict([{}]); // ready: it answers a row of missing values from its training fills
    } catch (error) {
      await pool.close();
      throw failure('FAILED_PRECONDITION', `The model in ${file} loaded but does not answer: ${toLatheError(error).message}`);
    }
    const runtime = pool.runtime;
    return { ref: ref(runtime.manifest), pool, model: runtime.model, manifest: runtime.manifest };
  }

  private async retire(slot: ModelSlot, keepBundle: string | null): Promise<void> {
    for (const loaded of [slot.stable, ...(slot.candidate ? [slot.candidate] : [])]) {
      await loaded.pool.drainAndClose();
      if (loaded.ref.bundle !== keepBundle) await rm(join(this.dir.bundlesDir, loaded.ref.bundle), { force: true });
    }
  }

  private async persist(slots: Map<string, ModelSlot>): Promise<void> {
    const record: LoadedModels = { schemaVersion: 1, models: [...slots.values()].map((slot): ModelSlotRecord => ({ name: slot.name, stable: slot.stable.ref, candidate: slot.candidate?.ref ?? null, candidateWeight: slot.candidateWeight })) };
    // Slots that did not load at start-up stay on disk for the next start.
    for (const [name] of this.notRestored) if (!slots.has(name)) {
      const onDisk = (await this.dir.readModels()).models.find((slot) => slot.name === name);
      if (onDisk) record.models.push(onDisk);
    }
    await this.dir.writeModels(record);
  }

  private async exclusively<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (this.busy.has(name)) throw failure('CONFLICT', `Model ${name} is already being changed by another admin request.`, { hint: 'Wait for it to finish, then try again.' });
    this.busy.add(name);
    try {
      return await work();
    } finally {
      this.busy.delete(name);
    }
  }
}
