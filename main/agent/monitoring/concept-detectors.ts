import { z } from 'zod';
import type { ConceptDrift } from '../../../shared/contract/monitoring.ts';
import { Adwin, AdwinState } from '../../core/monitoring/stats/adwin.ts';
import { Ddm, DdmState } from '../../core/monitoring/stats/ddm.ts';

/**
 * Concept drift on a model's error stream, as labels arrive (in the order they arrive, which for
 * late labels is not the order of the predictions): DDM on right/wrong (classifiers only — it is a
 * binary detector), ADWIN on the error (0/1 for classifiers, the absolute error for regressors).
 * Both are saved after each batch of labels and restored at start-up, so a restart carries on
 * where it stopped instead of learning the error rate again.
 */
const Seen = z.object({ seen: z.number().int().nonnegative(), lastDriftAt: z.string().nullable() });
export const DetectorRecord = z.object({
  ddm: z.object({ state: DdmState }).merge(Seen),
  adwin: z.object({ state: AdwinState, drifted: z.boolean() }).merge(Seen),
});
type DetectorRecord = z.infer<typeof DetectorRecord>;

export class ConceptDetectors {
  #ddm: Ddm;
  #adwin: Adwin;
  #ddmSeen: z.infer<typeof Seen>;
  #adwinSeen: z.infer<typeof Seen>;
  #adwinDrifted: boolean;

  private constructor(saved: DetectorRecord | null) {
    this.#ddm = saved ? Ddm.from(saved.ddm.state) : new Ddm();
    this.#adwin = saved ? Adwin.from(saved.adwin.state) : new Adwin();
    this.#ddmSeen = saved ? { seen: saved.ddm.seen, lastDriftAt: saved.ddm.lastDriftAt } : { seen: 0, lastDriftAt: null };
    this.#adwinSeen = saved ? { seen: saved.adwin.seen, lastDriftAt: saved.adwin.lastDriftAt } : { seen: 0, lastDriftAt: null };
    this.#adwinDrifted = saved?.adwin.drifted ?? false;
  }

  static fresh(): ConceptDetectors {
    return new ConceptDetectors(null);
  }

  /** Restores saved detectors; a record that does not parse gives fresh ones and says why. */
  static restore(saved: DetectorRecord | null, warn: (text: string) => void): ConceptDetectors {
    try {
      return new ConceptDetectors(saved);
    } catch (error) {
      warn(`Monitoring: the saved concept-drift detectors could not be restored (${(error as Error).message}); they start afresh.`);
      return new ConceptDetectors(null);
    }
  }

  /** One labelled prediction: `wrong` for classifiers (null for regressors), `error` the loss fed to ADWIN. */
  update(wrong: boolean | null, error: number, at: Date): void {
    if (wrong !== null) {
      this.#ddmSeen.seen++;
      if (this.#ddm.update(wrong) === 'drift') this.#ddmSeen.lastDriftAt = at.toISOString();
    }
    if (Number.isFinite(error)) {
      this.#adwinSeen.seen++;
      this.#adwinDrifted = this.#adwin.update(error);
      if (this.#adwinDrifted) this.#adwinSeen.lastDriftAt = at.toISOString();
    }
  }

  state(): ConceptDrift {
    return {
      ddm: { state: this.#ddm.state, seen: this.#ddmSeen.seen, lastDriftAt: this.#ddmSeen.lastDriftAt },
      // ADWIN has no warning level: it says drift on the label that revealed a change.
      adwin: { state: this.#adwinDrifted ? 'drift' : 'stable', seen: this.#adwinSeen.seen, lastDriftAt: this.#adwinSeen.lastDriftAt },
    };
  }

  toJSON(): DetectorRecord {
    return {
      ddm: { state: this.#ddm.toJSON(), ...this.#ddmSeen },
      adwin: { state: this.#adwin.toJSON(), drifted: this.#adwinDrifted, ...this.#adwinSeen },
    };
  }
}
