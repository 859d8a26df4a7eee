import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { MonitoringSettings, ReferenceProfile, WindowSummary } from '../../../shared/contract/monitoring.ts';
import { failedTo, toLatheError } from '../../core/errors.ts';
import { sweepAbandonedTempFiles, writeFileAtomic } from '../../core/storage/atomic-file.ts';
import { isProcessAlive } from '../../core/storage/blob-store.ts';
import { versionedRecord } from '../../core/storage/versioned-record.ts';
import { DetectorRecord } from './concept-detectors.ts';

/**
 * What the monitoring hub keeps in the agent's --data-dir, beside the prediction store:
 *
 *   monitoring/predictions.db                  the recorded predictions and labels (prediction-store.ts)
 *   monitoring/models/{model}/settings.json    sample rate, window and minRows (retention and the store's
 *                                              cap are the store's, so they sit in store.json)
 *   monitoring/store.json                      retention and the store's cap, shared by every model
 *   monitoring/models/{model}/references/{v}.json   the training reference sent for version v
 *   monitoring/models/{model}/detectors.json   DDM and ADWIN on the error stream
 *   monitoring/models/{model}/windows/{index}.json  one closed window's summary
 *
 * Each file is written atomically (temp, fsync, rename), so a kill leaves the old file or the new
 * one. A window's summary is written when it closes; a kill before that write loses nothing, since
 * the store holds the window's rows and the hub rebuilds the summary from them at the next start.
 */
export const KEEP_WINDOWS = 1000;

const SettingsV1 = z.object({ schemaVersion: z.literal(1), settings: MonitoringSettings.pick({ sampleRate: true, window: true, minRows: true }) });
const settingsRecord = versionedRecord<z.infer<typeof SettingsV1>>({ kind: 'model monitoring settings', versions: [SettingsV1], migrations: [] });
export type ModelSettings = z.infer<typeof SettingsV1>['settings'];

const StoreSettingsV1 = z.object({ schemaVersion: z.literal(1), settings: MonitoringSettings.pick({ retentionDays: true, maxStoreBytes: true }) });
const storeSettingsRecord = versionedRecord<z.infer<typeof StoreSettingsV1>>({ kind: 'prediction store settings', versions: [StoreSettingsV1], migrations: [] });
export type StoreSettings = z.infer<typeof StoreSettingsV1>['settings'];

const ReferenceV1 = z.object({ schemaVersion: z.literal(1), receivedAt: z.string(), profile: ReferenceProfile });
const referenceRecord = versionedRecord<z.infer<typeof ReferenceV1>>({ kind: 'training reference', versions: [ReferenceV1], migrations: [] });

const WindowV1 = z.object({ schemaVersion: z.literal(1), window: WindowSummary });
const windowRecord = versionedRecord<z.infer<typeof WindowV1>>({ kind: 'monitoring window summary', versions: [WindowV1], migrations: [] });

const DetectorsV1 = z.object({ schemaVersion: z.literal(1), detectors: DetectorRecord });
const detectorsRecord = versionedRecord<z.infer<typeof DetectorsV1>>({ kind: 'concept drift detectors', versions: [DetectorsV1], migrations: [] });
export type SavedDetectors = z.infer<typeof DetectorRecord>;

/** What was on disk for one model at start-up. */
export interface SavedModel {
  settings: ModelSettings | null;
  references: Map<string, ReferenceProfile>;
  detectors: SavedDetectors | null;
  /** Oldest first, the last KEEP_WINDOWS. */
  windows: WindowSummary[];
}

export class MonitoringFiles {
  readonly root: string;
  readonly #warn: (text: string) => void;
  /** One write at a time per file: the one under way, and the next one waiting. */
  readonly #writing = new Map<string, Promise<void>>();
  readonly #waiting = new Map<string, { content: () => string; done: Promise<void>; resolve: () => void; reject: (error: unknown) => void }>();
  #problem: string | null = null;

  constructor(dataDir: string, warn: (text: string) => void) {
    this.root = join(dataDir, 'monitoring');
    this.#warn = warn;
  }

  get storeFile(): string {
    return join(this.root, 'predictions.db');
  }

  /** The last write that failed, in a sentence; null once a later write succeeded. */
  get problem(): string | null {
    return this.#problem;
  }

  async load(): Promise<{ store: StoreSettings | null; models: Map<string, SavedModel> }> {
    try {
      await mkdir(join(this.root, 'models'), { recursive: true, mode: 0o700 });
    } catch (error) {
      // A full or read-only disk: the agent serves anyway; monitoring says why it keeps nothing.
      this.#problem = `The agent cannot make its monitoring folder ${this.root}: ${toLatheError(error).message}`;
      this.#warn(`Monitoring: ${this.#problem}`);
      return { store: null, models: new Map() };
    }
    const store = await this.#readRecord(join(this.root, 'store.json'), (text, file) => storeSettingsRecord.parse(text, file).settings);
    const models = new Map<string, SavedModel>();
    const names = await readdir(join(this.root, 'models'));
    // Temp files of writes a kill cut off (the agent holds its data folder alone, so none is in use).
    const dirs = [this.root, ...names.flatMap((model) => ['', 'references', 'windows'].map((sub) => join(this.#modelDir(model), sub)))];
    await sweepAbandonedTempFiles(dirs, isProcessAlive).catch(() => 0);
    for (const model of names) models.set(model, await this.#loadModel(model));
    return { store, models };
  }

  saveStoreSettings(settings: StoreSettings): Promise<void> {
    return this.#write(join(this.root, 'store.json'), () => storeSettingsRecord.serialize({ schemaVersion: 1, settings }));
  }

  saveSettings(model: string, settings: ModelSettings): Promise<void> {
    return this.#write(join(this.#modelDir(model), 'settings.json'), () => settingsRecord.serialize({ schemaVersion: 1, settings }));
  }

  saveReference(model: string, profile: ReferenceProfile, receivedAt: string): Promise<void> {
    return this.#write(join(this.#modelDir(model), 'references', `${profile.version}.json`), () => referenceRecord.serialize({ schemaVersion: 1, receivedAt, profile }));
  }

  saveDetectors(model: string, detectors: SavedDetectors): Promise<void> {
    return this.#write(join(this.#modelDir(model), 'detectors.json'), () => detectorsRecord.serialize({ schemaVersion: 1, detectors }));
  }

  saveWindow(model: string, window: WindowSummary): Promise<void> {
    const written = this.#write(join(this.#modelDir(model), 'windows', windowFileName(window.index)), () => windowRecord.serialize({ schemaVersion: 1, window }));
    if (window.index >= KEEP_WINDOWS) void this.#remove(join(this.#modelDir(model), 'windows', windowFileName(window.index - KEEP_WINDOWS)));
    return written;
  }

  /** Every write asked for so far has ended (written or warned about). */
  async settled(): Promise<void> {
    while (this.#writing.size > 0) await Promise.all(this.#writing.values());
  }

  #modelDir(model: string): string {
    return join(this.root, 'models', model);
  }

  async #loadModel(model: string): Promise<SavedModel> {
    const dir = this.#modelDir(model);
    const settings = await this.#readRecord(join(dir, 'settings.json'), (text, file) => settingsRecord.parse(text, file).settings);
    const detectors = await this.#readRecord(join(dir, 'detectors.json'), (text, file) => detectorsRecord.parse(text, file).detectors);
    const references = new Map<string, ReferenceProfile>();
    for (const name of await listJson(join(dir, 'references'))) {
      const saved = await this.#readRecord(join(dir, 'references', name), (text, file) => referenceRecord.parse(text, file).profile);
      if (saved) references.set(String(saved.version), saved);
    }
    const windows: WindowSummary[] = [];
    const names = (await listJson(join(dir, 'windows'))).sort().slice(-KEEP_WINDOWS);
    for (const name of names) {
      const saved = await this.#readRecord(join(dir, 'windows', name), (text, file) => windowRecord.parse(text, file).window);
      if (saved) windows.push(saved);
    }
    return { settings, references, detectors, windows };
  }

  /** A record's value; null when it is absent, or unreadable (warned: the agent starts without it rather than not at all). */
  async #readRecord<T>(file: string, parse: (text: string, file: string) => T): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      this.#warn(`Monitoring: could not read ${file}: ${toLatheError(error).message} It is left as it is and not used.`);
      return null;
    }
    try {
      return parse(text, file);
    } catch (error) {
      const aside = `${file}.unreadable-${Date.now()}`;
      await rename(file, aside).catch(() => {});
      this.#warn(`Monitoring: ${toLatheError(error).message} It was moved aside to ${aside}; the agent goes on without it.`);
      return null;
    }
  }

  /**
   * Writes `file` atomically; a write asked for while one is under way waits for it, and a newer
   * content replaces one still waiting (the latest wins, and its callers share its outcome). A
   * failure is a DISK_ERROR (or the like) naming the file, also warned about for callers that do
   * not wait.
   */
  #write(file: string, content: () => string): Promise<void> {
    if (!this.#writing.has(file)) return this.#start(file, content);
    const waiting = this.#waiting.get(file);
    if (waiting) {
      waiting.content = content;
      return waiting.done;
    }
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((resolved, rejected) => {
      resolve = resolved;
      reject = rejected;
    });
    this.#waiting.set(file, { content, done, resolve, reject });
    return done;
  }

  #start(file: string, content: () => string): Promise<void> {
    const run = (async () => {
      try {
        await mkdir(dirname(file), { recursive: true, mode: 0o700 });
        await writeFileAtomic(file, content(), { mode: 0o600 });
        this.#problem = null;
      } catch (error) {
        const failed = failedTo(`write ${file}`, error, 'It keeps what it held before.');
        this.#problem = failed.message;
        this.#warn(`Monitoring: ${failed.message}`);
        throw failed;
      } finally {
        this.#writing.delete(file);
        const next = this.#waiting.get(file);
        if (next) {
          this.#waiting.delete(file);
          this.#start(file, next.content).then(next.resolve, next.reject);
        }
      }
    })();
    this.#writing.set(file, run.catch(() => {}));
    return run;
  }

  async #remove(file: string): Promise<void> {
    await this.#writing.get(file);
    await rm(file, { force: true }).catch(() => {});
  }
}

/** Zero-padded so that names sort as numbers. */
function windowFileName(index: number): string {
  return `${String(index).padStart(10, '0')}.json`;
}

async function listJson(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.json'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
