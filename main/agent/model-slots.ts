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
 * The models an agent serves, one slot per serving name. A slot holds its stable version and
 * room for a rollout beside it — a candidate version and the percent of traffic it gets, which the
 * rollout controller (rollouts/) sets. Installing a version (stable or candidate) verifies and
 * loads it in its own workers, checks it answers, records it on disk, and only then switches:
 * requests never see a half-loaded model, and a version switched away from finishes what it had
 * in hand. A candidate always starts at weight 0; after a restart it is loaded again at weight 0
 * and only the controller gives it traffic back.
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

export interface VersionSummary {
  version: string;
  bundleModel: { name: string; version: number };
  sha256: string;
  signer: string;
  loadedAt: string;
}

export interface SlotSummary {
  name: string;
  stable: VersionSummary;
  candidate: VersionSummary | null;
  candidateWeight: number;
}

export type PoolSettings = PoolOptions;

export class ModelSlots {
  private readonly slots = new Map<string, ModelSlot>();
  private readonly busy = new Map<string, Promise<void>>();
  /** Slots on disk whose bundle did not load at start-up (a key no longer trusted, a damaged file). */
  readonly notRestored = new Map<string, LatheError>();
  /** Candidates on disk that did not load at start-up: never given traffic, and dropped from models.json. */
  readonly candidatesLost = new Map<string, { version: string; error: LatheError }>();

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
        continue;
      }
      if (!slot.candidate) continue;
      const ref = slot.candidate;
      try {
        const candidate = await this.open(join(this.dir.bundlesDir, ref.bundle), () => ref);
        this.slots.set(slot.name, { ...this.slots.get(slot.name)!, candidate });
      } catch (error) {
        this.candidatesLost.set(slot.name, { version: ref.version, error: toLatheError(error) });
        warn(`Candidate version ${ref.version} of model ${slot.name} was not loaded, and gets no traffic: ${toLatheError(error).message}`);
      }
    }
    if (this.candidatesLost.size > 0) {
      await this.persist(this.slots);
      for (const slot of record.models) if (slot.candidate && this.candidatesLost.has(slot.name)) await rm(join(this.dir.bundlesDir, slot.candidate.bundle), { force: true });
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
    const describe = ({ ref, manifest, pool }: LoadedVersion): VersionSummary => ({ version: ref.version, bundleModel: manifest.model, sha256: ref.sha256, signer: pool.runtime.signer.fingerprint, loadedAt: ref.loadedAt });
    return { name: slot.name, stable: describe(slot.stable), candidate: slot.candidate ? describe(slot.candidate) : null, candidateWeight: slot.candidateWeight };
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

  /**
   * Load the bundle at `upload` beside `name`'s stable version as its candidate, at weight 0. The
   * slot must have a stable version and no candidate; the candidate's version must differ from
   * stable's (and be `expectVersion`, when given).
   */
  async installCandidate(name: string, upload: string, sha256: string, expectVersion?: string): Promise<SlotSummary> {
    return this.exclusively(name, async () => {
      const slot = this.slots.get(name);
      const bundle = `${name}-${sha256.slice(0, 16)}.lathe`;
      const placed = join(this.dir.bundlesDir, bundle);
      let loaded: LoadedVersion | null = null;
      try {
        if (!slot) throw failure('NOT_FOUND', `Model ${name} has no stable version to roll a candidate out beside.`, { hint: `Load its first version with PUT /admin/models/${name}, then send candidates.` });
        if (slot.candidate) throw failure('CONFLICT', `Model ${name} already has candidate version ${slot.candidate.ref.version} loaded.`, { hint: `Finish or abort its rollout, or unload it with DELETE /admin/models/${name}/candidate, first.` });
        if (slot.stable.ref.sha256 === sha256) throw failure('CONFLICT', `This bundle is the one model ${name} already serves as stable (version ${slot.stable.ref.version}).`);
        await rename(upload, placed);
        loaded = await this.open(placed, (manifest) => ({ version: String(manifest.model.version), bundle, sha256, loadedAt: this.now().toISOString() }));
        const version = loaded.ref.version;
        if (version === slot.stable.ref.version) throw failure('CONFLICT', `The candidate's version ${version} is the version model ${name} already serves as stable; requests by version could not tell them apart.`, { hint: 'Package the candidate as a new model version.' });
        if (expectVersion !== undefined && version !== expectVersion) throw failure('INVALID_INPUT', `The bundle holds version ${version} of the model, not version ${expectVersion} as ?version= said.`, { location: { field: 'version' } });
        const next = { ...slot, candidate: loaded, candidateWeight: 0 };
        await this.persist(new Map(this.slots).set(name, next));
        this.slots.set(name, next);
        return this.summary(next);
      } catch (error) {
        await loaded?.pool.close();
        await rm(upload, { force: true });
        if (this.slots.get(name)?.stable.ref.bundle !== bundle) await rm(placed, { force: true });
        throw failedTo(`load the candidate bundle for model ${name}`, error, 'Nothing of it was kept; the stable version goes on serving.');
      }
    });
  }

  /** Give the candidate `weight` percent of the traffic (recorded on disk first). */
  async setCandidateWeight(name: string, weight: number): Promise<void> {
    await this.inTurn(name, async () => {
      const slot = this.slots.get(name);
      if (!slot?.candidate || slot.candidateWeight === weight) return;
      const next = { ...slot, candidateWeight: weight };
      await this.persist(new Map(this.slots).set(name, next));
      this.slots.set(name, next);
    });
  }

  /** No traffic to the candidate, in memory only: a restart loads every candidate at weight 0 anyway. */
  silenceCandidate(name: string): void {
    const slot = this.slots.get(name);
    if (slot?.candidate) this.slots.set(name, { ...slot, candidateWeight: 0 });
  }

  /** The candidate becomes stable in one step on disk and in memory; the old stable finishes what it has, then unloads. */
  async promoteCandidate(name: string): Promise<void> {
    await this.inTurn(name, async () => {
      const slot = this.slots.get(name);
      if (!slot?.candidate) throw failure('NOT_FOUND', `Model ${name} has no candidate to promote.`);
      const next: ModelSlot = { name, stable: slot.candidate, candidate: null, candidateWeight: 0 };
      await this.persist(new Map(this.slots).set(name, next));
      this.slots.set(name, next);
      await reachPhase('agent:promoted');
      await this.retire({ ...slot, candidate: null }, next.stable.ref.bundle);
    });
  }

  /**
   * Take the candidate out of traffic at once (in memory first: safety before bookkeeping), record
   * that on disk, and unload it once it finishes what it has in hand. Null when there was none.
   * When the disk refuses the record, the candidate stays out of traffic and unloaded in this
   * run (its bundle is kept, as models.json still names it) and the disk error is thrown.
   */
  async dropCandidate(name: string): Promise<string | null> {
    const slot = this.slots.get(name);
    const candidate = slot?.candidate;
    if (!slot || !candidate) return null;
    this.slots.set(name, { ...slot, candidate: null, candidateWeight: 0 });
    return this.inTurn(name, async () => {
      try {
        await this.persist(this.slots);
      } finally {
        await candidate.pool.drainAndClose();
      }
      await rm(join(this.dir.bundlesDir, candidate.ref.bundle), { force: true });
      return candidate.ref.version;
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

  /** An admin request's change: refused at once while another change of the model runs. */
  private async exclusively<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (this.busy.has(name)) throw failure('CONFLICT', `Model ${name} is already being changed by another admin request.`, { hint: 'Wait for it to finish, then try again.' });
    return this.inTurn(name, work);
  }

  /** The rollout controller's change: waits for the one running, then runs. */
  private async inTurn<T>(name: string, work: () => Promise<T>): Promise<T> {
    while (this.busy.has(name)) await this.busy.get(name);
    let done = () => {};
    this.busy.set(name, new Promise<void>((resolve) => (done = resolve)));
    try {
      return await work();
    } finally {
      this.busy.delete(name);
      done();
    }
  }
}
