import type { LatheEvent } from '../../../shared/contract/calls.ts';
import type { Result } from '../../../shared/contract/result.ts';
import type { Handlers } from '../dispatch.ts';
import { LatheFailure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { readPolicy, savePolicy } from './policy-file.ts';
import { RetrainLoop } from './retrain-loop.ts';
import { resolvePlan } from './retrain-plan.ts';
import { publicRun } from './retrain-records.ts';
import type { RetrainServices } from './retrain-services.ts';
import { modelTimeline } from './retrain-timeline.ts';
import { newDataArrived, schedulesDue } from './retrain-triggers.ts';
import { currentUser } from '../deploy/deployment-log.ts';

export interface RetrainCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
  /** Make any call of this core, through the same dispatch as the front doors. */
  dispatch: (name: string, input: unknown) => Promise<Result<unknown>>;
  /**
   * Listen for triggers (alerts, new data) and look at schedules and rollouts every `intervalMs`
   * while this core runs (the desktop app, `lathe serve`); null for the CLI, whose process ends
   * with its command (a retrain started there would die with it).
   */
  watching: { intervalMs: number } | null;
  now?: () => number;
}

export interface RetrainCalls {
  handlers: Handlers;
  /** One round now: rollouts under way, schedules due (what the timer does; tests call it). */
  tick(): Promise<void>;
  /** Wait until no run is being driven by this process (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Retraining that closes the loop: policies, runs, approvals, the timeline, and the triggers. */
export function retrainCalls(context: RetrainCallsContext): RetrainCalls {
  const now = context.now ?? Date.now;
  const call = async (name: string, input: unknown): Promise<unknown> => {
    const result = await context.dispatch(name, input);
    if (!result.ok) throw new LatheFailure(result.error);
    return result.value;
  };
  const services = (workspace: Workspace): RetrainServices => ({
    workspace: workspace.dir,
    call: call as RetrainServices['call'],
    now,
  });
  const loop = new RetrainLoop({ events: context.events, services });
  const watched = new Set<string>();
  const open = async (path: string) => {
    const workspace = await context.workspaces.at(path);
    watched.add(workspace.dir);
    return workspace;
  };

  const handlers: Handlers = {
    'retrain:policy': async ({ workspace, model }) => {
      const opened = await open(workspace);
      const read = await readPolicy(opened, model);
      return { ...read, plan: await resolvePlan(read.policy, services(opened)) };
    },
    'retrain:save-policy': async ({ workspace, policy }) => {
      const opened = await open(workspace);
      const saved = await savePolicy(opened, policy);
      const read = await readPolicy(opened, policy.model);
      return { ...saved, view: { ...read, plan: await resolvePlan(read.policy, services(opened)) } };
    },
    'retrain:start': async ({ workspace, model, wait }) => {
      const started = await loop.start(await open(workspace), model, { kind: 'manual', detail: currentUser() });
      if (started.outcome === 'skipped') return { outcome: 'skipped', run: null, reason: started.reason };
      return { outcome: 'started', run: publicRun(wait ? await started.done : started.run), reason: null };
    },
    'retrain:approve': async ({ workspace, run, step }) => {
      const approved = loop.approve(await open(workspace), run, step);
      // The CLI waits to say how it went on; the app follows retrain:changed.
      return publicRun(context.watching ? approved.run : await approved.done);
    },
    'retrain:reject': async ({ workspace, run, step, reason }) => publicRun(loop.reject(await open(workspace), run, step, reason)),
    'retrain:runs': async ({ workspace, model, limit }) => {
      const opened = await open(workspace);
      await loop.checkRollouts(opened);
      return loop.records(opened).list(model, limit).map(publicRun);
    },
    'retrain:timeline': async ({ workspace, model, limit }) => {
      const opened = await open(workspace);
      await loop.checkRollouts(opened);
      return { model, entries: await modelTimeline(model, loop.records(opened).events(model, limit), limit, services(opened)) };
    },
  };

  let timer: NodeJS.Timeout | null = null;
  let round: Promise<void> | null = null;
  let stopListening = () => {};
  const tick = async () => {
    round ??= (async () => {
      for (const dir of [...watched]) {
        const workspace = await context.workspaces.at(dir).catch(() => null);
        if (!workspace) continue;
        await loop.checkRollouts(workspace).catch(() => undefined);
        await schedulesDue(loop, workspace, services(workspace)).catch(() => undefined);
      }
    })().finally(() => (round = null));
    return round;
  };
  if (context.watching) {
    stopListening = context.events.on((event) => {
      const path = (event.payload as { workspace?: unknown }).workspace;
      if (typeof path === 'string') watched.add(path);
      void reactTo(event).catch(() => undefined);
    });
    timer = setInterval(() => void tick(), watchInterval(context.watching.intervalMs));
    timer.unref();
  }

  /**
   * The triggers heard as events: an alert raised, a dataset changed, a deployment that ended.
   * A trigger's failure (a disk error) must not stop the core; a policy file that cannot be read
   * is noted on the model's timeline by the alert it turned away, and `lathe retrain policy` says why.
   */
  async function reactTo(event: LatheEvent): Promise<void> {
    if (event.name === 'alerts:raised') {
      await loop.alertRaised(await context.workspaces.at(event.payload.workspace), event.payload.alert);
    } else if (event.name === 'datasets:changed') {
      const workspace = await context.workspaces.at(event.payload.workspace);
      await newDataArrived(loop, workspace, event.payload.name, services(workspace));
    } else if (event.name === 'deployments:changed' && event.payload.state !== 'rolling-out' && event.payload.state !== 'deploying') {
      await loop.checkRollouts(await context.workspaces.at(event.payload.workspace), event.payload.id);
    }
  }

  return {
    handlers,
    tick,
    idle: () => loop.idle(),
    async close() {
      if (timer) clearInterval(timer);
      stopListening();
      await round;
      await loop.idle();
    },
  };
}

/** LATHE_METRICS_INTERVAL_MS (1000–3600000) sets this round too, as it sets the metrics sampler's: an e2e run wants both short. */
function watchInterval(fallback: number): number {
  const given = Number(process.env.LATHE_METRICS_INTERVAL_MS);
  return Number.isInteger(given) && given >= 1000 && given <= 3_600_000 ? given : fallback;
}
