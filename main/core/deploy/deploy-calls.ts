import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { DeploymentLog } from './deployment-log.ts';
import type { MetricsSampler, WindowPoller } from './metrics-sampler.ts';
import { DEFAULT_RETENTION_DAYS } from './monitoring-store.ts';
import { privateFileSecrets, type SecretStore } from './secret-store.ts';
import { targetCalls, type TargetContext } from './target-calls.ts';
import { TargetRecords, tokensDir } from './target-records.ts';

export interface DeployCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
  /** The user's state folder: target records, tokens (file store), the signing key. */
  stateDir: string;
  latheVersion: string;
  /** Where tokens are kept; default a 0600 file per token in `<stateDir>/deploy-tokens` (0700). */
  secrets?: SecretStore | undefined;
  /**
   * Scrape the targets' metrics while this core runs (the desktop app, `lathe serve`); null for
   * the CLI, whose process ends with its command.
   */
  sampling?: { intervalMs: number; retentionDays?: number | undefined } | null | undefined;
}

/**
 * Deploying from the workbench: targets, deploys and rollouts, their history, the KServe export
 * and the metrics kept over time. The modules behind each call load on first use.
 */
export interface DeployCapability {
  handlers: Handlers;
  /** The deploy targets and their tokens, for capabilities that talk to agents too (monitoring). */
  targets: TargetContext;
  /** A workspace, watched by the sampler from now on when this core runs one. */
  openWatched(path: string): Promise<Workspace>;
  /** Fetch monitoring windows in each sampling round from now on (main/core/monitoring wires itself in). */
  pollWindows(poller: WindowPoller): void;
  sampleNow(): Promise<void>;
  close(): Promise<void>;
}

export function deployCalls(context: DeployCallsContext): DeployCapability {
  const targets: TargetContext = { targets: new TargetRecords(context.stateDir), secrets: context.secrets ?? privateFileSecrets(tokensDir(context.stateDir)) };
  const watched = new Set<string>();
  let sampler: MetricsSampler | null = null;
  let windows: WindowPoller | null = null;
  const retentionDays = context.sampling?.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const intervalMs = context.sampling ? samplingInterval(context.sampling.intervalMs) : 0;

  /** The workspace, watched from now on by the metrics sampler when this core runs one. */
  const open = async (path: string): Promise<Workspace> => {
    const workspace = await context.workspaces.at(path);
    if (context.sampling && !watched.has(workspace.dir)) {
      watched.add(workspace.dir);
      if (!sampler) {
        const { MetricsSampler } = await import('./metrics-sampler.ts');
        sampler = new MetricsSampler({
          targets,
          intervalMs,
          retentionDays,
          windows: () => windows,
          settled: (workspace, deployment) => context.events.emit('deployments:changed', { workspace: workspace.dir, id: deployment.id, state: deployment.state }),
          workspaces: async () => (await Promise.all([...watched].map((dir) => context.workspaces.at(dir).catch(() => null)))).filter((w) => w !== null),
        });
        sampler.start();
      }
    }
    return workspace;
  };
  const log = async (path: string) => new DeploymentLog((await open(path)).db);

  const handlers: Handlers = {
    ...targetCalls(targets),
    'deploy:start': async ({ workspace, ...request }) => {
      const { startDeploy } = await import('./start-deploy.ts');
      return startDeploy({ workspace: await open(workspace), targets, stateDir: context.stateDir, latheVersion: context.latheVersion, events: context.events }, request);
    },
    'deploy:status': async ({ workspace, target, model }) => (await import('./deploy-status.ts')).deployStatus(targets, await log(workspace), { target, model }),
    'deploy:promote': async ({ workspace, target, model }) => (await import('./deploy-status.ts')).actOnModelRollout(targets, await log(workspace), { target, model }, 'promote'),
    'deploy:abort': async ({ workspace, target, model }) => (await import('./deploy-status.ts')).actOnModelRollout(targets, await log(workspace), { target, model }, 'abort'),
    'deploy:history': async ({ workspace, target, model, limit }) => (await log(workspace)).history({ target, model, limit }),
    'deploy:rollout': async ({ workspace, id }) => (await import('./deploy-status.ts')).deploymentRollout(targets, await log(workspace), id),
    'deploy:export-kserve': async ({ workspace, ...request }) => {
      const [{ exportKserve }, { loadOrCreateSigningKey }] = await Promise.all([import('./kserve-export.ts'), import('../bundles/signing-keys.ts')]);
      return exportKserve(await open(workspace), request, { key: await loadOrCreateSigningKey(context.stateDir), latheVersion: context.latheVersion });
    },
    'monitoring:series': async ({ workspace, target, model, from, to }) => {
      const { readSeries } = await import('./monitoring-store.ts');
      const opened = await open(workspace);
      return { target, model, intervalMs, retentionDays, points: readSeries(opened.db, { target, model, from, to }) };
    },
  };
  return {
    handlers,
    targets,
    openWatched: open,
    pollWindows(poller) {
      windows = poller;
    },
    /** One round of scrapes now, when this core samples and a workspace is watched (tests; a refresh). */
    async sampleNow() {
      await (sampler as MetricsSampler | null)?.tick();
    },
    async close() {
      await (sampler as MetricsSampler | null)?.stop();
    },
  };
}

/** LATHE_METRICS_INTERVAL_MS (1000–3600000) overrides the interval: an e2e run or a busy team may want another. */
function samplingInterval(fallback: number): number {
  const given = Number(process.env.LATHE_METRICS_INTERVAL_MS);
  return Number.isInteger(given) && given >= 1000 && given <= 3_600_000 ? given : fallback;
}
