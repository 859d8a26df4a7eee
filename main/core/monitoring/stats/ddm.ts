import { z } from 'zod';
import { failure } from '../../errors.ts';
import { describeValue, parseOptions, parseSavedState } from './saved-state.ts';

/**
 * DDM, the Drift Detection Method (Gama et al., 2004), as river's `drift.binary.DDM` runs it:
 * feed one bit per labelled prediction (true = the model was wrong). With p the running error
 * rate and s = √(p(1−p)/n), DDM remembers p_min and s_min where p + s was lowest; after the warm
 * start it warns when p + s > p_min + 2·s_min and signals drift when p + s > p_min + 3·s_min.
 * The update after a drift starts afresh, as river's does. O(1) time and space per update; the
 * whole state is a few numbers (`toJSON`, `Ddm.from`) so a restarted agent carries on where it
 * stopped.
 */
export type DdmVerdict = 'stable' | 'warning' | 'drift';

const DdmSettings = z.strictObject({
  /** Rows before DDM may warn or signal drift (river: warm_start = 30). */
  warmStart: z.number().int().nonnegative(),
  /** Standard deviations above the best error rate for a warning (river: warning_threshold = 2). */
  warningThreshold: z.number().positive().finite(),
  /** Standard deviations above the best error rate for a drift (river: drift_threshold = 3). */
  driftThreshold: z.number().positive().finite(),
});
type DdmSettings = z.infer<typeof DdmSettings>;
export type DdmOptions = Partial<DdmSettings>;
const RIVER_DEFAULTS: DdmSettings = { warmStart: 30, warningThreshold: 2, driftThreshold: 3 };

export const DdmState = z.strictObject({
  kind: z.literal('ddm'),
  schemaVersion: z.literal(1),
  options: DdmSettings,
  /** Rows since the start or since the last drift, and their error rate. */
  seen: z.number().int().nonnegative(),
  errorRate: z.number().min(0).max(1),
  /** p_min and s_min; null until the warm start is over. */
  best: z.strictObject({ p: z.number().min(0).max(1), s: z.number().min(0).max(1) }).nullable(),
  state: z.enum(['stable', 'warning', 'drift']),
});
export type DdmState = z.infer<typeof DdmState>;

export class Ddm {
  readonly #options: DdmSettings;
  #seen = 0;
  #errorRate = 0;
  #pMin = Number.NaN;
  #sMin = Number.NaN;
  #psMin = Number.POSITIVE_INFINITY;
  #state: DdmVerdict = 'stable';

  constructor(options: DdmOptions = {}) {
    this.#options = settingsOf(options);
  }

  get state(): DdmVerdict {
    return this.#state;
  }

  /** Rows counted since the start or since the last drift. */
  get seen(): number {
    return this.#seen;
  }

  /** The error rate over those rows. */
  get errorRate(): number {
    return this.#errorRate;
  }

  update(error: boolean): DdmVerdict {
    if (typeof error !== 'boolean') {
      throw failure('INVALID_INPUT', `DDM takes one boolean per labelled prediction (true = the prediction was wrong); it got ${describeValue(error)}.`, {
        hint: 'Pass prediction !== label for each row whose label has arrived.',
      });
    }
    if (this.#state === 'drift') this.#reset();
    // river's stats.Mean, step for step, so that ties in p + s fall the same way.
    this.#seen += 1;
    this.#errorRate += ((error ? 1 : 0) - this.#errorRate) / this.#seen;
    const p = this.#errorRate;
    const s = Math.sqrt((p * (1 - p)) / this.#seen);
    if (this.#seen > this.#options.warmStart) {
      if (p + s <= this.#psMin) {
        this.#pMin = p;
        this.#sMin = s;
        this.#psMin = p + s;
      }
      if (p + s > this.#pMin + this.#options.driftThreshold * this.#sMin) this.#state = 'drift';
      else if (p + s > this.#pMin + this.#options.warningThreshold * this.#sMin) this.#state = 'warning';
      else this.#state = 'stable';
    }
    return this.#state;
  }

  toJSON(): DdmState {
    return {
      kind: 'ddm',
      schemaVersion: 1,
      options: { ...this.#options },
      seen: this.#seen,
      errorRate: this.#errorRate,
      best: Number.isFinite(this.#psMin) ? { p: this.#pMin, s: this.#sMin } : null,
      state: this.#state,
    };
  }

  /** A detector that continues exactly where `state` (from `toJSON`) left off. */
  static from(state: unknown): Ddm {
    const { options, seen, errorRate, best, state: verdict } = parseSavedState(DdmState, state, 'DDM state', RESTART_HINT);
    const ddm = new Ddm(options);
    ddm.#seen = seen;
    ddm.#errorRate = errorRate;
    if (best) {
      ddm.#pMin = best.p;
      ddm.#sMin = best.s;
      ddm.#psMin = best.p + best.s;
    }
    ddm.#state = verdict;
    return ddm;
  }

  #reset(): void {
    this.#seen = 0;
    this.#errorRate = 0;
    this.#pMin = Number.NaN;
    this.#sMin = Number.NaN;
    this.#psMin = Number.POSITIVE_INFINITY;
    this.#state = 'stable';
  }
}

const RESTART_HINT = 'Start a fresh DDM detector: it learns the error rate again from the next labelled predictions.';

function settingsOf(options: DdmOptions): DdmSettings {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const settings = parseOptions(DdmSettings, { ...RIVER_DEFAULTS, ...given }, 'DDM', 'warmStart is a whole number of rows (river: 30); the thresholds are positive numbers of standard deviations (river: 2 and 3).');
  if (settings.warningThreshold > settings.driftThreshold) {
    throw failure('INVALID_INPUT', `DDM options: warningThreshold (${settings.warningThreshold}) is above driftThreshold (${settings.driftThreshold}), so DDM would never warn before a drift.`, {
      hint: 'Keep the warning threshold at or below the drift threshold (river: 2 and 3).',
      location: { field: 'warningThreshold' },
    });
  }
  return settings;
}
