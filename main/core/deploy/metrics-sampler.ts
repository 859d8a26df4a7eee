import type { Deployment } from '../../../shared/contract/deployments.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { agentFetch, agentRefusal, type AgentAddress } from './agent-http.ts';
import { readRollout, settleDeployment } from './agent-rollouts.ts';
import { DeploymentLog } from './deployment-log.ts';
import { intervalPoints, versionCounters, type VersionCounters } from './metric-snapshot.ts';
import { recordPoints } from './monitoring-store.ts';
import { parsePrometheusText } from './prometheus-text.ts';
import type { TargetContext } from './target-calls.ts';

/**
 * While the desktop app or `lathe serve` runs, every `intervalMs` this scrapes `/metrics` of each
 * target that a watched workspace has deployed to, and records per served model and version what
 * happened since the last scrape (requests/s, error rate, p50/p95/p99) in that workspace's
 * database. It also settles rollouts that the agent has ended, so the history says how they ended
 * without anyone opening the page. A target that does not answer is skipped until it does (its
 * next scrape starts a new baseline); nothing it fails to say is made up. When monitoring is
 * wired in (`windows`), each round also fetches every deployed model's window summaries into the
 * workspace (main/core/monitoring/window-watch.ts), which tells the alert and retraining listeners.
 */
export interface WindowPoller {
  /** Fetch and keep a model's monitoring windows; never throws (failures are its to report). */
  poll(workspace: Workspace, target: AgentAddress, model: string): Promise<void>;
}

export interface SamplerOptions {
  targets: TargetContext;
  /** The workspaces to keep series for (those the deploy calls have been used on). */
  workspaces: () => Promise<Workspace[]>;
  intervalMs: number;
  retentionDays: number;
  now?: () => Date;
  /** Told of a scrape that failed, once per target until it answers again. */
  warn?: (text: string) => void;
  /** Told of a deployment whose rollout the agent ended (promoted, rolled back, aborted, failed), once. */
  settled?: (workspace: Workspace, deployment: Deployment) => void;
  /** Who fetches the monitoring windows, if anyone (asked each round: monitoring is wired in after the core is built). */
  windows?: () => WindowPoller | null;
}

export class MetricsSampler {
  readonly #options: SamplerOptions;
  readonly #last = new Map<string, { at: number; counters: Map<string, VersionCounters> }>();
  readonly #failing = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(options: SamplerOptions) {
    this.#options = options;
  }

  get intervalMs(): number {
    return this.#options.intervalMs;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.tick(), this.#options.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One round of scrapes (what the timer runs; tests call it directly). Rounds never overlap. */
  tick(): Promise<void> {
    this.#running ??= this.#round().finally(() => (this.#running = null));
    return this.#running;
  }

  async #round(): Promise<void> {
    const now = this.#options.now ?? (() => new Date());
    const workspaces = await this.#options.workspaces();
    const wanted = new Map<string, { workspace: Workspace; models: Set<string> }[]>();
    for (const workspace of workspaces) {
      const rows = workspace.db.use((db) => db.prepare('SELECT DISTINCT target, model FROM deployments').all()) as { target: string; model: string }[];
      for (const row of rows) {
        const list = wanted.get(row.target) ?? [];
        let entry = list.find((item) => item.workspace === workspace);
        if (!entry) list.push((entry = { workspace, models: new Set() }));
        entry.models.add(row.model);
        wanted.set(row.target, list);
      }
    }
    await Promise.all(
      [...wanted].map(async ([name, users]) => {
        try {
          const stored = await this.#options.targets.targets.get(name);
          if (!stored) return;
          const token = await this.#options.targets.secrets.get(stored.secretId);
          const address = { name, url: stored.url, token };
          const reply = await agentFetch(address, '/metrics', { admin: false, timeoutMs: Math.min(10_000, this.#options.intervalMs) });
          if (reply.status !== 200) throw agentRefusal(address, '/metrics', reply);
          const at = now();
          const counters = versionCounters(parsePrometheusText(reply.text, `${stored.url}/metrics`));
          const before = this.#last.get(name);
          this.#last.set(name, { at: at.getTime(), counters });
          this.#failing.delete(name);
          for (const { workspace, models } of users) {
            if (before) {
              const points = intervalPoints(before.counters, counters, (at.getTime() - before.at) / 1000).filter((point) => models.has(point.model));
              if (points.length > 0) recordPoints(workspace.db, name, at, points, this.#options.retentionDays);
            }
            // A rollout that cannot be read now is settled at a later round; the metrics above are kept.
            await this.#settleRollouts(workspace, address).catch(() => undefined);
            const poller = this.#options.windows?.();
            if (poller) for (const model of models) await poller.poll(workspace, address, model);
          }
        } catch (error) {
          this.#last.delete(name);
          if (!this.#failing.has(name)) this.#options.warn?.(`Metrics of target ${name} could not be read: ${(error as Error).message}`);
          this.#failing.add(name);
        }
      }),
    );
  }

  async #settleRollouts(workspace: Workspace, address: { name: string; url: string; token: string | null }): Promise<void> {
    const log = new DeploymentLog(workspace.db);
    const open = workspace.db.use((db) => db.prepare("SELECT id FROM deployments WHERE target = ? AND state = 'rolling-out' AND rollout_id IS NOT NULL").all(address.name)) as { id: string }[];
    for (const { id } of open) {
      const deployment = log.require(id);
      const settled = settleDeployment(log, deployment, await readRollout(address, deployment.rolloutId!));
      if (settled.state !== deployment.state) this.#options.settled?.(workspace, settled);
    }
  }
}
