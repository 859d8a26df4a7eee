import {
  MonitoringSettings,
  MonitoringSettingsPatch,
  ReferenceProfile,
  type MonitoringState,
  type RecorderStats,
  type ReferenceInfo,
  type WindowSummary,
} from '../../../shared/contract/monitoring.ts';
import { failure, toLatheError, type LatheFailure } from '../../core/errors.ts';
import { cbpeModelFrom, type CbpeModel } from '../../core/monitoring/stats/cbpe.ts';
import type { Prediction } from '../../core/serving/serving-messages.ts';
import { MODEL_NAME } from '../agent-state.ts';
import { checkLabel, type FeedbackLabel } from './feedback-label.ts';
import { monitoringMetricsText } from './monitoring-metrics.ts';
import { KEEP_WINDOWS, MonitoringFiles, type ModelSettings, type SavedModel, type StoreSettings } from './monitoring-files.ts';
import { OpenWindow } from './open-window.ts';
import type { StoredPrediction } from './prediction-store.ts';
import { RecordingStore } from './recording-store.ts';
import type { RecordStore } from './unopened-store.ts';
import { referenceInfo, summariseWindow, summariseWindowSteps, type WindowInput } from './summarise-window.ts';
import { WindowJudging } from './window-judging.ts';
import { restoreMonitor, type ModelMonitor, type Reference } from './model-monitor.ts';
import { isCorrect, sliceColumnsOf, taskOf, windowPerformance } from './window-performance.ts';

/**
 * The agent watching its models: every answered request is recorded (or sampled out) into the
 * prediction store and counted into its model's open window; a window closes after `rows`
 * predictions (or when its clock period ends), is judged against the training reference of the
 * version that answered most of it, and its summary is kept on disk. Labels join their predictions
 * through the store however late, update their window's accuracy the next time it is read, and
 * feed DDM and ADWIN. GET /admin/monitoring/{name} reads `state`; /metrics appends `metricsText`.
 *
 * `observed` runs after the reply is sent and never throws: a failure of monitoring is warned
 * about (once per kind) and counted, never passed on to a request.
 */
export interface HubOptions {
  dataDir: string;
  now?: () => number;
  warn: (text: string) => void;
  /** The draw (0 ≤ x < 1) that samples requests and fills time windows' reservoirs (default Math.random). */
  random?: () => number;
  /** Tests: a store other than monitoring/predictions.db (a tiny cap, a faulty disk). */
  store?: RecordStore;
}

export interface Observed {
  model: string;
  version: string;
  requestId: string;
  rows: readonly Record<string, unknown>[];
  predictions: readonly Prediction[] | null;
  latencyMs: number;
  failed: boolean;
}

/** Windows GET /admin/monitoring/{name} answers when no ?after= is given. */
export const DEFAULT_WINDOWS = 50;

const PRUNE_EVERY_MS = 10 * 60_000;

export class MonitoringHub {
  readonly #files: MonitoringFiles;
  readonly #store: RecordingStore;
  /** When the store could not be opened: when it was last tried, and what was dropped meanwhile (kept after it opens). */
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #warn: (text: string) => void;
  readonly #saved: Map<string, SavedModel>;
  readonly #models = new Map<string, ModelMonitor>();
  #storeSettings: StoreSettings;
  readonly #warned = new Set<string>();
  #closed = false;
  readonly #judging = new WindowJudging<ModelMonitor>(
    (monitor, summary) => this.#keep(monitor, summary),
    (monitor, error) => this.#warnOnce('judge', `Monitoring could not judge a window of model ${monitor.name}: ${toLatheError(error).message} It is summarised again at the next start.`),
  );
  /** Retention by age also when no window closes (no traffic). */
  readonly #pruning: NodeJS.Timeout;

  private constructor(options: HubOptions, files: MonitoringFiles, store: RecordingStore, saved: Map<string, SavedModel>, storeSettings: StoreSettings) {
    this.#files = files;
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#warn = options.warn;
    this.#saved = saved;
    this.#storeSettings = storeSettings;
    this.#pruning = setInterval(() => this.#store.prune(), PRUNE_EVERY_MS).unref();
  }

  static async open(options: HubOptions): Promise<MonitoringHub> {
    const files = new MonitoringFiles(options.dataDir, options.warn);
    const loaded = await files.load();
    const defaults = MonitoringSettings.parse({});
    const storeSettings = loaded.store ?? { retentionDays: defaults.retentionDays, maxStoreBytes: defaults.maxStoreBytes };
    const store = new RecordingStore(files.storeFile, storeSettings, { now: options.now ?? Date.now, warn: options.warn, given: options.store });
    store.prune();
    return new MonitoringHub(options, files, store, loaded.models, storeSettings);
  }

  observed(event: Observed): void {
    if (this.#closed) return;
    try {
      const now = this.#now();
      this.#store.retry(now);
      const monitor = this.#monitor(event.model);
      this.#closeIfOver(monitor, now);
      monitor.lastVersion = event.version;
      if (event.failed || event.predictions === null) {
        this.#windowAt(monitor, now).request(event.latencyMs, true);
        return;
      }
      if (monitor.settings.sampleRate < 1 && this.#random() >= monitor.settings.sampleRate) {
        monitor.sampledOut += event.rows.length;
        return;
      }
      const records: StoredPrediction[] = [];
      const full: OpenWindow[] = [];
      event.rows.forEach((inputs, row) => {
        const prediction = event.predictions![row];
        if (!prediction) return;
        const window = this.#windowAt(monitor, now);
        const probabilities = 'probabilities' in prediction ? prediction.probabilities : null;
        if (row === 0) window.request(event.latencyMs, false);
        window.add({ inputs, predicted: prediction.predicted, probabilities, version: event.version }, this.#random);
        records.push({ requestId: event.requestId, row, model: event.model, version: event.version, at: now, window: window.index, inputs, predicted: prediction.predicted, probabilities, latencyMs: event.latencyMs, label: null, labelAt: null });
        if (window.isOver(now)) {
          full.push(window);
          monitor.open = null;
        }
      });
      this.#store.append(records);
      for (const window of full) this.#close(monitor, window, now);
    } catch (error) {
      this.#warnOnce('observe', `Monitoring could not record a prediction of model ${event.model}: ${toLatheError(error).message} Serving goes on; the prediction is not in its window.`);
    }
  }

  labelled(model: string, id: string, label: FeedbackLabel | readonly FeedbackLabel[]): { version: string; correct: boolean | null; late: boolean } {
    // A made-up model name finds nothing, and leaves nothing behind (no monitor, no gauges).
    if (!MODEL_NAME.test(model) || !this.knows(model)) {
      throw failure('NOT_FOUND', `No prediction of a model named ${JSON.stringify(model.slice(0, 100))} was recorded on this agent.`, { hint: 'Send feedback to /v2/models/{name}/feedback with the name the prediction was asked of.' });
    }
    const monitor = this.#monitor(model);
    const reference = this.#latestReference(monitor);
    const task = reference?.profile.task ?? { kind: this.#guessTask(monitor) };
    const labels = Array.isArray(label) ? (label as readonly FeedbackLabel[]).map((one, i) => checkLabel(model, task, one, `labels[${i}]`)) : checkLabel(model, task, label as FeedbackLabel);
    const now = this.#now();
    const joined = this.#store.label(model, id, labels, now);
    const at = new Date(now);
    let right = 0;
    const classifier = task.kind === 'classification';
    for (const row of joined.rows) {
      if (row.label === null) continue;
      const correct = classifier ? isCorrect(row.predicted, row.label) : null;
      if (correct) right++;
      const error = classifier ? (correct ? 0 : 1) : Math.abs(Number(row.predicted) - Number(row.label));
      monitor.detectors.update(correct === null ? null : !correct, error, at);
      if (row.window !== monitor.open?.index) monitor.relabelled.add(row.window);
    }
    void this.#files.saveDetectors(model, monitor.detectors.toJSON()).catch(() => {});
    const window = joined.rows[0]?.window;
    const late = joined.late || (window !== undefined && window !== monitor.open?.index && window < monitor.nextIndex);
    return { version: joined.rows[0]?.version ?? '', correct: classifier ? right === joined.rows.length : null, late };
  }

  async setReference(model: string, profile: ReferenceProfile): Promise<ReferenceInfo> {
    checkModelName(model);
    const parsed = ReferenceProfile.safeParse(profile);
    if (!parsed.success) throw invalidBody('training reference', parsed.error.issues[0]);
    const checked = parsed.data;
    let cbpe: CbpeModel | null = null;
    if (checked.cbpe !== null) {
      try {
        cbpe = cbpeModelFrom(checked.cbpe);
      } catch (error) {
        throw failure('INVALID_INPUT', `The training reference's cbpe is not a CBPE model: ${toLatheError(error).message}`, { location: { field: 'cbpe' } });
      }
    }
    const names = new Set<string>();
    checked.features.forEach((feature, i) => {
      if (names.has(feature.name)) throw failure('INVALID_INPUT', `The training reference names the feature ${JSON.stringify(feature.name)} twice.`, { location: { field: `features.${i}.name` } });
      names.add(feature.name);
    });
    await this.#files.saveReference(model, checked, new Date(this.#now()).toISOString());
    this.#monitor(model).references.set(String(checked.version), { profile: checked, cbpe });
    return referenceInfo(checked);
  }

  async configure(model: string, patch: MonitoringSettingsPatch): Promise<MonitoringSettings> {
    checkModelName(model);
    const parsed = MonitoringSettingsPatch.safeParse(patch);
    if (!parsed.success) throw invalidBody('monitoring settings', parsed.error.issues[0]);
    const change = parsed.data;
    const monitor = this.#monitor(model);
    const settings: ModelSettings = {
      sampleRate: change.sampleRate ?? monitor.settings.sampleRate,
      window: change.window ?? monitor.settings.window,
      minRows: change.minRows ?? monitor.settings.minRows,
    };
    const store: StoreSettings = { retentionDays: change.retentionDays ?? this.#storeSettings.retentionDays, maxStoreBytes: change.maxStoreBytes ?? this.#storeSettings.maxStoreBytes };
    await this.#files.saveSettings(model, settings);
    await this.#files.saveStoreSettings(store);
    // A new window shape starts a new window: the one open now is judged with what it holds.
    if (JSON.stringify(settings.window) !== JSON.stringify(monitor.settings.window) && monitor.open) {
      const window = monitor.open;
      monitor.open = null;
      this.#close(monitor, window, this.#now());
    }
    monitor.settings = settings;
    this.#storeSettings = store;
    this.#store.configure(store);
    return this.#settingsOf(monitor);
  }

  /** Whether the hub holds anything for `model` (recorded windows, settings or a reference). */
  knows(model: string): boolean {
    return this.#models.has(model) || this.#saved.has(model) || this.#store.lastWindow(model) !== null;
  }

  state(model: string, after?: number): MonitoringState {
    checkModelName(model);
    const now = this.#now();
    this.#store.retry(now);
    const monitor = this.#monitor(model);
    this.#closeIfOver(monitor, now);
    this.#judging.finish(monitor);
    this.#refreshRelabelled(monitor);
    const closed = after === undefined ? monitor.closed.slice(-DEFAULT_WINDOWS) : monitor.closed.filter((window) => window.index > after);
    const open = monitor.open && (after === undefined || monitor.open.index > after) ? [summariseWindow({ ...this.#summaryInput(monitor, monitor.open, null), labelled: this.#store.labelledRows(model, monitor.open.index) })] : [];
    const version = monitor.lastVersion;
    const reference = version !== null ? monitor.references.get(version) : this.#latestReference(monitor);
    return {
      model,
      settings: this.#settingsOf(monitor),
      reference: reference ? referenceInfo(reference.profile) : null,
      referenceProblem: reference ? null : this.#referenceProblem(model, version),
      recorder: this.#recorder(monitor),
      concept: monitor.detectors.state(),
      windows: [...closed, ...open],
    };
  }

  metricsText(): string {
    const now = this.#now();
    // Models with windows from before a restart have gauges too, before their next request.
    for (const model of [...this.#saved.keys()]) this.#monitor(model);
    const models = [...this.#models.values()].map((monitor) => {
      this.#closeIfOver(monitor, now);
      this.#judging.finish(monitor);
      this.#refreshRelabelled(monitor);
      return { model: monitor.name, latest: monitor.closed.at(-1) ?? null, recorder: this.#recorder(monitor), sampledOut: monitor.sampledOut, concept: monitor.detectors.state() };
    });
    return monitoringMetricsText(models);
  }

  async close(): Promise<void> {
    this.#judging.finish();
    this.#judging.stop();
    this.#closed = true;
    clearInterval(this.#pruning);
    await this.#files.settled();
    this.#store.close();
  }

  /** The model's monitor, made on first use: its saved state, and the open window rebuilt from the store. */
  #monitor(model: string): ModelMonitor {
    let monitor = this.#models.get(model);
    if (monitor) return monitor;
    monitor = restoreMonitor(model, this.#saved.get(model), this.#warn);
    this.#models.set(model, monitor);
    this.#saved.delete(model);
    this.#resume(monitor);
    return monitor;
  }

  /**
   * After a restart: windows the store holds rows for but no summary was written for (a kill
   * between the window closing and its file) are summarised now; the last one, still open, is
   * rebuilt so that counting goes on where it stopped.
   */
  #resume(monitor: ModelMonitor): void {
    const last = this.#store.lastWindow(monitor.name);
    if (!last || last.window < monitor.nextIndex) return;
    for (let index = monitor.nextIndex; index <= last.window; index++) {
      const rows = this.#store.windowRows(monitor.name, index);
      if (rows.length === 0) continue;
      const window = new OpenWindow(index, monitor.settings.window, rows[0]!.at);
      for (const row of rows) {
        window.add({ inputs: row.inputs, predicted: row.predicted, probabilities: row.probabilities, version: row.version }, this.#random);
        if (row.row === 0) window.request(row.latencyMs, false);
      }
      monitor.lastVersion = rows.at(-1)!.version;
      monitor.nextIndex = index + 1;
      if (index < last.window || window.isOver(this.#now())) this.#close(monitor, window, window.endsAt ?? rows.at(-1)!.at);
      else monitor.open = window;
    }
  }

  #windowAt(monitor: ModelMonitor, now: number): OpenWindow {
    if (!monitor.open) monitor.open = new OpenWindow(monitor.nextIndex++, monitor.settings.window, now);
    return monitor.open;
  }

  /** Time windows: the open one closes once its period is over, also when no request comes to close it. */
  #closeIfOver(monitor: ModelMonitor, now: number): void {
    const open = monitor.open;
    if (open && open.endsAt !== null && open.isOver(now)) {
      monitor.open = null;
      this.#close(monitor, open, open.endsAt);
    }
  }

  /** A closed window is judged a column per turn of the event loop (window-judging.ts); reading the state finishes it. */
  #close(monitor: ModelMonitor, window: OpenWindow, endedAt: number): void {
    this.#judging.add(monitor, summariseWindowSteps(this.#summaryInput(monitor, window, endedAt), () => this.#store.labelledRows(monitor.name, window.index)));
  }

  #keep(monitor: ModelMonitor, summary: WindowSummary): void {
    monitor.closed.push(summary);
    if (monitor.closed.length > KEEP_WINDOWS) monitor.closed.splice(0, monitor.closed.length - KEEP_WINDOWS);
    void this.#files.saveWindow(monitor.name, summary).catch(() => {});
    this.#store.prune();
  }

  #recorder(monitor: ModelMonitor): RecorderStats {
    return this.#store.recorder(monitor.name, monitor.sampledOut);
  }

  #summaryInput(monitor: ModelMonitor, window: OpenWindow, endedAt: number | null): Omit<WindowInput, 'labelled'> {
    const version = window.mainVersion() ?? monitor.lastVersion;
    return {
      model: monitor.name,
      window,
      endedAt,
      reference: version === null ? null : (monitor.references.get(version) ?? null),
      referenceProblem: this.#referenceProblem(monitor.name, version),
      minRows: monitor.settings.minRows,
    };
  }

  /** Late labels: the windows they joined get their performance recomputed from the store (the rest of the summary stands). */
  #refreshRelabelled(monitor: ModelMonitor): void {
    if (monitor.relabelled.size === 0) return;
    for (const index of monitor.relabelled) {
      const at = monitor.closed.findIndex((window) => window.index === index);
      if (at < 0) continue;
      const summary = monitor.closed[at]!;
      const reference = summary.reference ? (monitor.references.get(String(summary.reference.version))?.profile ?? null) : null;
      const rows = this.#store.labelledRows(monitor.name, index);
      const performance = windowPerformance(rows, taskOf(reference, rows[0]?.predicted), sliceColumnsOf(reference, rows));
      const updated = { ...summary, performance: { ...performance, estimate: summary.performance.estimate } };
      monitor.closed[at] = updated;
      void this.#files.saveWindow(monitor.name, updated).catch(() => {});
    }
    monitor.relabelled.clear();
  }

  #latestReference(monitor: ModelMonitor): Reference | null {
    if (monitor.lastVersion !== null) return monitor.references.get(monitor.lastVersion) ?? null;
    let latest: Reference | null = null;
    for (const reference of monitor.references.values()) if (!latest || reference.profile.version > latest.profile.version) latest = reference;
    return latest;
  }

  /** Without a reference: what the model's answers look like (a class is a string). */
  #guessTask(monitor: ModelMonitor): 'classification' | 'regression' {
    const row = monitor.open?.sample[0];
    if (row) return taskOf(null, row.predicted);
    return monitor.closed.at(-1)?.prediction?.kind === 'numeric' ? 'regression' : 'classification';
  }

  #referenceProblem(model: string, version: string | null): string {
    return version === null
      ? `No training reference was sent for model ${model}; redeploy it with this Lathe to judge drift.`
      : `No training reference was sent for ${model} version ${version}; redeploy it with this Lathe to judge drift.`;
  }

  #settingsOf(monitor: ModelMonitor): MonitoringSettings {
    return { ...monitor.settings, ...this.#storeSettings };
  }

  #warnOnce(kind: string, text: string): void {
    if (this.#warned.has(kind)) return;
    this.#warned.add(kind);
    this.#warn(text);
  }
}

function checkModelName(model: string): void {
  if (!MODEL_NAME.test(model)) {
    throw failure('INVALID_INPUT', `${JSON.stringify(model.slice(0, 100))} is not a model name the agent serves: use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit).`, { location: { field: 'model' } });
  }
}

function invalidBody(what: string, issue: { path: PropertyKey[]; message: string } | undefined): LatheFailure {
  const field = issue?.path.map(String).join('.') ?? '';
  return failure('INVALID_INPUT', `The ${what} is not valid: ${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}.`, { location: { field } });
}
