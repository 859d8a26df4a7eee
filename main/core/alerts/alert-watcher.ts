import { basename } from 'node:path';
import type { Alert, AlertDelivery, WebhookAttempt } from '../../../shared/contract/alerts.ts';
import type { DeploymentName, MonitoringReport } from '../../../shared/contract/monitoring.ts';
import type { EventHub } from '../events.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { AlertStore } from './alert-store.ts';
import { evaluateRules } from './evaluate-rules.ts';
import { readAlertRules } from './rules-file.ts';
import type { WebhookTarget } from './webhook.ts';
import type { WebhookSettings } from './webhook-settings.ts';

/**
 * The alert rules at work: told of every deployment's new windows (monitoring's `onWindows`),
 * it judges the workspace's rules against them, keeps what was raised, resolved or updated,
 * says so (`alerts:raised`, `alerts:changed`) and sends each new alert to the webhook.
 *
 * A rules file that does not parse is thrown, so the sampler warns with its sentence (file, rule
 * and field); no rule is judged until it is fixed — half a rule set would watch less than the
 * user thinks. Webhook deliveries run after the listener returns (a slow receiver must not hold
 * up sampling); `idle()` waits for them.
 */
export interface AlertWatcherContext {
  events: EventHub;
  webhook: Pick<WebhookSettings, 'target'>;
  /** The test accuracy of the model version a report's reference names, when it is known. */
  testAccuracy(workspace: Workspace, report: MonitoringReport): Promise<number | null>;
  post(target: WebhookTarget, body: unknown): Promise<WebhookAttempt>;
  now?: () => Date;
}

export class AlertWatcher {
  readonly #context: AlertWatcherContext;
  readonly #deliveries = new Set<Promise<void>>();

  constructor(context: AlertWatcherContext) {
    this.#context = context;
  }

  /** monitoring.onWindows's listener. */
  readonly onWindows = async (workspace: Workspace, deployment: DeploymentName, report: MonitoringReport): Promise<void> => {
    const { rules } = await readAlertRules(workspace);
    const store = new AlertStore(workspace.db, this.#context.now);
    const needsTestAccuracy = rules.some((rule) => rule.enabled && rule.kind === 'accuracy-below' && rule.floor === undefined);
    const evaluation = evaluateRules({
      deployment,
      rules,
      windows: report.windows,
      recorder: report.recorder,
      testAccuracy: needsTestAccuracy ? await this.#context.testAccuracy(workspace, report).catch(() => null) : null,
      latest: store.latestPerSubject(deployment),
    });
    if (evaluation.raise.length === 0 && evaluation.resolve.length === 0 && evaluation.update.length === 0) return;
    const webhook = evaluation.raise.length ? await this.#context.webhook.target().catch((error: unknown) => ({ problem: (error as Error).message })) : null;
    const delivery: AlertDelivery = webhook === null ? { state: 'not-configured' } : 'problem' in webhook ? { state: 'failed', at: (this.#context.now?.() ?? new Date()).toISOString(), reason: webhook.problem, host: null } : { state: 'pending' };
    const { raised, changed } = store.apply(evaluation, delivery);
    for (const alert of raised) this.#context.events.emit('alerts:raised', { workspace: workspace.dir, alert });
    for (const alert of changed) this.#context.events.emit('alerts:changed', { workspace: workspace.dir, id: alert.id, state: alert.state });
    if (webhook && !('problem' in webhook)) for (const alert of raised) this.#deliver(workspace, store, webhook, alert);
  };

  /** Resolves when every webhook delivery started so far has been recorded. */
  async idle(): Promise<void> {
    while (this.#deliveries.size) await Promise.all([...this.#deliveries]);
  }

  #deliver(workspace: Workspace, store: AlertStore, target: WebhookTarget, alert: Alert): void {
    const delivery = (async () => {
      const attempt = await this.#context.post(target, webhookBody(workspace, alert));
      const recorded: AlertDelivery = attempt.ok
        ? { state: 'delivered', at: attempt.at, status: attempt.status ?? 0, host: attempt.host ?? '' }
        : { state: 'failed', at: attempt.at, reason: attempt.reason ?? 'unknown', host: attempt.host };
      store.setDelivery(alert.id, recorded);
      this.#context.events.emit('alerts:changed', { workspace: workspace.dir, id: alert.id, state: alert.state });
    })()
      .catch(() => {
        // The workspace database went away (closed, disk gone): the alert keeps "pending"; nothing else to tell.
      })
      .finally(() => this.#deliveries.delete(delivery));
    this.#deliveries.add(delivery);
  }
}

/** What a webhook receives: `text` for chat hooks (Slack, Mattermost, Teams' workflows), the alert for the rest. */
export function webhookBody(workspace: Workspace | { dir: string }, alert: Alert): unknown {
  return {
    text: `[Lathe] ${alert.severity === 'critical' ? 'Critical' : 'Warning'} on ${alert.deployment}: ${alert.summary}`,
    workspace: basename(workspace.dir),
    alert,
  };
}
