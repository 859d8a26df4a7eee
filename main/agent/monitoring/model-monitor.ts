import { MonitoringSettings, type ReferenceProfile, type WindowSummary } from '../../../shared/contract/monitoring.ts';
import { toLatheError } from '../../core/errors.ts';
import { cbpeModelFrom, type CbpeModel } from '../../core/monitoring/stats/cbpe.ts';
import { ConceptDetectors } from './concept-detectors.ts';
import type { ModelSettings, SavedModel } from './monitoring-files.ts';
import type { OpenWindow } from './open-window.ts';

/** What the hub holds for one model it watches: settings, references per version, detectors, windows. */
export interface Reference {
  profile: ReferenceProfile;
  cbpe: CbpeModel | null;
}

export interface ModelMonitor {
  name: string;
  settings: ModelSettings;
  /** By registry version ("3"), as the agent names the versions it serves. */
  references: Map<string, Reference>;
  detectors: ConceptDetectors;
  /** Closed windows, oldest first (the last KEEP_WINDOWS). */
  closed: WindowSummary[];
  open: OpenWindow | null;
  nextIndex: number;
  /** Closed windows that got labels since their summary was made. */
  relabelled: Set<number>;
  sampledOut: number;
  /** The version that answered last: the one `state` names the reference of. */
  lastVersion: string | null;
}

/** A model's monitor from what was on disk (or fresh): a CBPE model that no longer reads is left out, and said. */
export function restoreMonitor(name: string, saved: SavedModel | undefined, warn: (text: string) => void): ModelMonitor {
  const defaults = MonitoringSettings.parse({});
  const references = new Map<string, Reference>();
  for (const [version, profile] of saved?.references ?? []) {
    let cbpe: CbpeModel | null = null;
    try {
      cbpe = profile.cbpe === null ? null : cbpeModelFrom(profile.cbpe);
    } catch (error) {
      warn(`Monitoring: the CBPE model in the reference of ${name} version ${version} is not usable (${toLatheError(error).message}); accuracy is not estimated for it.`);
    }
    references.set(version, { profile, cbpe });
  }
  const closed = saved?.windows ?? [];
  return {
    name,
    settings: saved?.settings ?? { sampleRate: defaults.sampleRate, window: defaults.window, minRows: defaults.minRows },
    references,
    detectors: ConceptDetectors.restore(saved?.detectors ?? null, warn),
    closed,
    open: null,
    nextIndex: (closed.at(-1)?.index ?? -1) + 1,
    relabelled: new Set(),
    sampledOut: 0,
    lastVersion: null,
  };
}
