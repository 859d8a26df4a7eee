import { randomBytes, randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { Result } from '../../../shared/contract/result.ts';
import type { BuiltinTrain, Sweep, SweepSpec } from '../../../shared/contract/sweeps.ts';
import type { TrainingPlan } from '../../../shared/contract/training.ts';
import type { Handlers } from '../dispatch.ts';
import { failure, LatheFailure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import { trackingFor } from '../tracking/open-tracking.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { builtinTrainer } from './builtin-trainer.ts';
import { checkBuiltinMetric, watchedMetric } from './builtin-metrics.ts';
import { plannedTrials } from './search-space.ts';
import { scriptTrainer } from './script-trainer.ts';
import { runSweep } from './sweep-controller.ts';
import { SweepRecords } from './sweep-records.ts';
import type { TrialTrainer } from './trial-trainer.ts';

export interface SweepCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
  /** Make any call of this core through the same dispatch as the front doors (the composition root passes it). */
  dispatch: (name: string, input: unknown) => Promise<Result<unknown>>;
  /** Tests: train trials with this instead of the built-in models. */
  trainer?: (workspace: Workspace, spec: SweepSpec, version: number | null, experiment: string) => TrialTrainer;
  /** Default trials at once when the spec gives none: cores − 1, at least 1. */
  defaultParallel?: number;
  now?: () => number;
}

export interface SweepCalls {
  handlers: Handlers;
  /** Cancel every sweep of this process and wait for each to record how it ended. */
  close(): Promise<void>;
}

/** Sweeps: create one (its trials run in the background, or `wait`), list, get with its trials, cancel. */
export function sweepCalls(context: SweepCallsContext): SweepCalls {
  const now = context.now ?? Date.now;
  const live = new Set<string>();
  const active = new Map<string, { sweep: Sweep; abort: AbortController; done: Promise<Sweep> }>();
  const recordsOf = (workspace: Workspace) => new SweepRecords(workspace.latheDir, live);

  const call = async (name: string, input: unknown): Promise<unknown> => {
    const result = await context.dispatch(name, input);
    if (!result.ok) throw new LatheFailure(result.error);
    return result.value;
  };

  /** What a sweep trains, checked before anything starts: the built-in model's plan (its task says which metrics it logs), or a script. */
  const prepare = async (workspace: Workspace, spec: SweepSpec) => {
    const { train } = spec;
    if (train.kind === 'script') {
      const experiment = train.experiment ?? 'Default';
      const trainer = (sweep: Sweep) => context.trainer?.(workspace, sweep.spec, null, experiment) ?? scriptTrainer({ workspace: workspace.dir, train, experiment, call, events: context.events, tracking: trackingFor(workspace, context.events) });
      // What a script logs is its own affair: early termination judges the sweep's metric as the script logs it, step by step.
      return { spec, experiment, name: `${basename(train.command[0]!)} ${spec.method}`, watched: spec.metric, trainer };
    }
    const plan = (await call('training:plan', { workspace: workspace.dir, dataset: train.dataset, version: train.version, target: train.target, task: train.task }).catch((thrown: unknown) => {
      throw inSpec(thrown, 'train');
    })) as TrainingPlan;
    checkBuiltinMetric(spec.metric, plan.task, plan.classes?.length ?? null);
    const experiment = train.experiment ?? train.dataset;
    const pinned: BuiltinTrain = { ...train, version: plan.dataset.version };
    const trainer = (sweep: Sweep) =>
      context.trainer?.(workspace, sweep.spec, plan.dataset.version, experiment) ??
      builtinTrainer({ workspace: workspace.dir, train: pinned, version: plan.dataset.version, experiment, call, events: context.events, tracking: trackingFor(workspace, context.events) });
    return { spec: { ...spec, train: pinned }, experiment, name: `${train.dataset} ${train.model ?? 'mlp'} ${spec.method}`, watched: watchedMetric(spec.metric, plan.task), trainer };
  };

  const create = async (workspace: Workspace, given: SweepSpec): Promise<{ sweep: Sweep; done: Promise<Sweep> }> => {
    const prepared = await prepare(workspace, given);
    const { spec } = prepared;
    const seed = spec.seed ?? randomInt(0, 2 ** 31);
    const planned = plannedTrials(spec, seed);
    const started = now();
    const sweep: Sweep = {
      id: newSweepId(started),
      name: spec.name ?? prepared.name,
      status: 'running',
      method: spec.method,
      metric: spec.metric,
      planned: planned.length,
      parallel: spec.parallel ?? context.defaultParallel ?? Math.max(1, availableParallelism() - 1),
      seed,
      counts: { running: 0, finished: 0, stopped: 0, failed: 0 },
      best: null,
      experiment: prepared.experiment,
      createdAt: new Date(started).toISOString(),
      endedAt: null,
      error: null,
      spec,
      trials: [],
    };
    const records = recordsOf(workspace);
    const owner = SweepRecords.owner();
    live.add(sweep.id);
    try {
      await records.write(sweep, owner);
    } catch (thrown) {
      live.delete(sweep.id);
      throw thrown;
    }
    const abort = new AbortController();
    const trainer = prepared.trainer(sweep);
    const done = runSweep(sweep, planned, {
      trainer,
      watched: prepared.watched,
      save: (snapshot) => records.write(snapshot, owner),
      emit: (snapshot) => context.events.emit('sweeps:progress', { workspace: workspace.dir, sweep: snapshot }),
      signal: abort.signal,
      now,
    }).finally(() => {
      live.delete(sweep.id);
      active.delete(sweep.id);
    });
    active.set(sweep.id, { sweep, abort, done });
    return { sweep: structuredClone(sweep), done };
  };

  const handlers: Handlers = {
    'sweeps:create': async ({ workspace, spec, wait }) => {
      const { sweep, done } = await create(await context.workspaces.at(workspace), spec);
      return wait ? structuredClone(await done) : sweep;
    },
    'sweeps:list': async ({ workspace, limit }) => recordsOf(await context.workspaces.at(workspace)).list(limit ?? 100),
    'sweeps:get': async ({ workspace, id }) => {
      const running = active.get(id);
      if (running) return structuredClone(running.sweep);
      return recordsOf(await context.workspaces.at(workspace)).read(id);
    },
    'sweeps:cancel': async ({ workspace, id }) => {
      const running = active.get(id);
      if (running) {
        running.abort.abort();
        return structuredClone(await running.done);
      }
      const sweep = await recordsOf(await context.workspaces.at(workspace)).read(id);
      if (sweep.status === 'running') {
        throw failure('CONFLICT', `Sweep ${id} is running in another Lathe process, so this one cannot stop it.`, {
          hint: 'Cancel it where it was started (the app, or Ctrl-C on `lathe sweep create --wait`).',
          location: { field: 'id' },
        });
      }
      return sweep;
    },
  };

  return {
    handlers,
    async close() {
      const running = [...active.values()];
      for (const sweep of running) sweep.abort.abort();
      await Promise.all(running.map((sweep) => sweep.done.catch(() => undefined)));
    },
  };
}

/**
 * A failure of planning the spec's `train` part, located there (`target` → `spec.train.target`);
 * a dataset or version that is not there names its field.
 */
function inSpec(thrown: unknown, part: string): unknown {
  if (!(thrown instanceof LatheFailure)) return thrown;
  const named = thrown.error.code === 'NOT_FOUND' && !thrown.error.location?.file ? (/has no version/.test(thrown.error.message) ? 'version' : 'dataset') : undefined;
  const field = thrown.error.location?.field ?? named;
  return new LatheFailure({ ...thrown.error, location: { ...thrown.error.location, field: `spec.${part}${field ? `.${field}` : ''}` } });
}

/** `sweep-20260101T120000Z-a1b2c3`: sorts by start time, and two sweeps in one second still differ. */
function newSweepId(time: number): string {
  return `sweep-${new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}
