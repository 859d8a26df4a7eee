import { userInfo } from 'node:os';
import type { MonitoringReport } from '../../../shared/contract/monitoring.ts';
import type { Result } from '../../../shared/contract/result.ts';
import { privateFileSecrets, type SecretStore } from '../deploy/secret-store.ts';
import { tokensDir } from '../deploy/target-records.ts';
import type { Handlers } from '../dispatch.ts';
import { failure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { WindowListener } from '../monitoring/window-listeners.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { AlertStore } from './alert-store.ts';
import { AlertWatcher } from './alert-watcher.ts';
import { readAlertRules, saveAlertRules } from './rules-file.ts';
import { postWebhook, type PostOptions } from './webhook.ts';
import { WebhookSettings } from './webhook-settings.ts';

export interface AlertCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
  /** The user's state folder: the webhook's record. */
  stateDir: string;
  /** Where the webhook URL is kept; default the store deploy targets' tokens use (a 0600 file each). */
  secrets?: SecretStore | undefined;
  /** Monitoring, to be told of every deployment's new windows. */
  monitoring: { onWindows(listener: WindowListener): () => void };
  /** The core's own calls (the registry's model version, for its test accuracy). */
  dispatch: (name: string, input: unknown) => Promise<Result<unknown>>;
  /** Tests resolve names and shorten deadlines here. */
  webhookOptions?: PostOptions;
  now?: () => Date;
}

export interface AlertCapability {
  handlers: Handlers;
  /** Judges the rules on every deployment's new windows (registered with monitoring.onWindows). */
  watcher: AlertWatcher;
  /** Wait for webhook deliveries under way, and stop listening. */
  close(): Promise<void>;
}

/** Alerts: the rules (lathe.alerts.json), the alerts they raised, acknowledging one, and the user's webhook. */
export function alertCalls(context: AlertCallsContext): AlertCapability {
  const webhook = new WebhookSettings(context.stateDir, context.secrets ?? privateFileSecrets(tokensDir(context.stateDir)), context.now);
  const post = (target: Parameters<typeof postWebhook>[0], body: unknown) => postWebhook(target, body, { ...context.webhookOptions, ...(context.now ? { now: context.now } : {}) });
  const testAccuracy = async (workspace: Workspace, report: MonitoringReport) => registeredTestAccuracy(context.dispatch, workspace.dir, report);
  const watcher = new AlertWatcher({ events: context.events, webhook, testAccuracy, post, ...(context.now ? { now: context.now } : {}) });
  const stopListening = context.monitoring.onWindows(watcher.onWindows);
  const store = (workspace: Workspace) => new AlertStore(workspace.db, context.now);

  const handlers: Handlers = {
    'alerts:rules': async ({ workspace }) => readAlertRules(await context.workspaces.at(workspace)),
    'alerts:save-rules': async ({ workspace, rules, message }) => saveAlertRules(await context.workspaces.at(workspace), rules, message),
    'alerts:list': async ({ workspace, deployment, state, limit }) => ({ alerts: store(await context.workspaces.at(workspace)).list({ deployment, state, limit }) }),
    'alerts:ack': async ({ workspace: path, id, by }) => {
      const workspace = await context.workspaces.at(path);
      const alert = store(workspace).ack(id, by?.trim() || currentUser());
      context.events.emit('alerts:changed', { workspace: workspace.dir, id: alert.id, state: alert.state });
      return alert;
    },
    'alerts:webhook-set': async (request) => webhook.set(request),
    'alerts:webhook-get': async () => ({ webhook: await webhook.info() }),
    'alerts:webhook-remove': async () => ({ removed: await webhook.remove() }),
    'alerts:webhook-test': async () => {
      const target = await webhook.target();
      if (!target) {
        throw failure('NOT_FOUND', 'No alert webhook is set.', { hint: 'Set one: `lathe alerts webhook set URL --allow-host HOST`.' });
      }
      return post(target, {
        text: '[Lathe] Test alert: this webhook receives Lathe alerts.',
        test: true,
        alert: null,
      });
    },
  };
  return {
    handlers,
    watcher,
    async close() {
      stopListening();
      await watcher.idle();
    },
  };
}

/**
 * The test accuracy of the model version the windows were judged against (the registry keeps
 * the run's test metrics); null for a regressor, without a reference, or when the registry has
 * no such version (a workspace that did not deploy it).
 */
export async function registeredTestAccuracy(dispatch: AlertCallsContext['dispatch'], workspace: string, report: MonitoringReport): Promise<number | null> {
  const reference = report.reference;
  if (!reference) return null;
  const result = await dispatch('models:get-version', { workspace, ref: `${reference.model}@${reference.version}` });
  if (!result.ok) return null;
  // The registry keeps the run's test metrics under their run names (register-model.ts): test_accuracy.
  const accuracy = (result.value as { metrics?: Record<string, number> }).metrics?.test_accuracy;
  return typeof accuracy === 'number' && Number.isFinite(accuracy) ? accuracy : null;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
