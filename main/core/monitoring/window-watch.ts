import { z } from 'zod';
import { deploymentName } from '../../../shared/contract/monitoring.ts';
import { agentJson, type AgentAddress } from '../deploy/agent-http.ts';
import { servedVersion } from '../deploy/agent-rollouts.ts';
import { failure, toLatheError } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { keptReport } from './kept-report.ts';
import { fetchMonitoring } from './monitoring-fetch.ts';
import type { WindowListeners } from './window-listeners.ts';
import { keepWindows, keptWindows, latestClosedIndex } from './window-store.ts';

/**
 * Fetching a deployment's windows from its agent into the workspace: the metrics sampler polls
 * each deployed model every round, and `monitoring:report` refreshes before it answers. Each
 * fetch asks only for windows after the last closed one kept, less REFRESHED_WINDOWS (late labels
 * still raise their accuracy), keeps what changed, and when anything did emits
 * `monitoring:windows` and tells the listeners (alerts, retraining triggers).
 */
export const REFRESHED_WINDOWS = 10;
/** Windows a listener's report carries. */
export const LISTENER_WINDOWS = 50;

export interface WindowWatchOptions {
  listeners: WindowListeners;
  events?: EventHub | undefined;
  retentionDays: number;
  now?: () => Date;
  /** Told of a deployment whose windows could not be fetched, once until it answers again. */
  warn?: (text: string) => void;
}

export class WindowWatch {
  readonly #options: WindowWatchOptions;
  readonly #failing = new Set<string>();

  constructor(options: WindowWatchOptions) {
    this.#options = options;
  }

  /**
   * Fetch and keep the windows of `model` on `target`, down to window `from` when given. Throws
   * what went wrong (the agent unreachable: UNAVAILABLE; the model not served there: NOT_FOUND).
   */
  async refresh(workspace: Workspace, target: AgentAddress, model: string, from?: number): Promise<{ changed: number[] }> {
    const name = deploymentName(target.name, model);
    const version = await servedVersion(target, model);
    if (version === null) throw await notServed(target, model);
    const key = { target: target.name, model };
    const closed = latestClosedIndex(workspace.db, key);
    const after = closed === null ? undefined : closed - REFRESHED_WINDOWS;
    const keep = async (since: number | undefined) => {
      const { settings, reference, referenceProblem, recorder, concept, windows } = await fetchMonitoring(target, model, since);
      const now = (this.#options.now ?? (() => new Date()))();
      try {
        return keepWindows(workspace.db, key, { version, settings, reference, referenceProblem, recorder, concept }, windows, now, this.#options.retentionDays);
      } catch (error) {
        // One transaction: nothing of this fetch was kept, what was kept before stands.
        const said = toLatheError(error);
        throw failure(said.code, `The windows of ${name} were fetched but could not be kept in the workspace: ${said.message}`, { ...(said.hint ? { hint: said.hint } : {}), ...(said.location ? { location: said.location } : {}) });
      }
    };
    const changed = await keep(after);
    // An older window asked for by name, not among those kept nor just fetched: fetched from it on.
    if (from !== undefined && from - 1 < (after ?? Number.MAX_SAFE_INTEGER) && !keptWindows(workspace.db, { ...key, upTo: from, limit: 1 }).some((w) => w.index === from)) {
      changed.push(...(await keep(from - 1)).filter((index) => !changed.includes(index)));
    }
    if (changed.length > 0) {
      const report = keptReport(workspace.db, key, { stale: false, problem: null, limit: LISTENER_WINDOWS })!;
      this.#options.events?.emit('monitoring:windows', { workspace: workspace.dir, deployment: name, latest: Math.max(...changed) });
      await this.#options.listeners.tell(workspace, name, report);
    }
    return { changed };
  }

  /** The sampler's round: never throws; a failure is said once per deployment until it is fetched again. */
  async poll(workspace: Workspace, target: AgentAddress, model: string): Promise<void> {
    const name = `${workspace.dir}\n${deploymentName(target.name, model)}`;
    try {
      await this.refresh(workspace, target, model);
      this.#failing.delete(name);
    } catch (error) {
      // A model no longer served there has nothing to fetch: not a failure worth a warning.
      const latheError = toLatheError(error);
      if (latheError.code === 'NOT_FOUND' && /serves no model/.test(latheError.message)) return;
      if (!this.#failing.has(name)) this.#options.warn?.(`The monitoring windows of ${deploymentName(target.name, model)} could not be fetched: ${latheError.message}`);
      this.#failing.add(name);
    }
  }
}

const ServedList = z.object({ models: z.array(z.object({ name: z.string() })) });

/** NOT_FOUND naming what the target does serve. */
export async function notServed(target: AgentAddress, model: string) {
  const served = await agentJson(target, '/admin/models', ServedList).then((list) => list.models.map((m) => m.name).sort(), () => null);
  const what = served === null ? '' : served.length === 0 ? '; it serves nothing yet' : `; it serves ${served.join(', ')}`;
  return failure('NOT_FOUND', `${deploymentName(target.name, model)}: ${target.name} serves no model named ${model}${what}.`, {
    hint: served && served.length > 0 ? `Name a deployment TARGET/MODEL, like ${deploymentName(target.name, served[0]!)}; \`lathe deploy status\` lists what runs where.` : `Deploy it first: \`lathe deploy ${model}@VERSION --target ${target.name}\`.`,
    location: { field: 'deployment' },
  });
}
