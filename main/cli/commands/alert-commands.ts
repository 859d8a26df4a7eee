import type { Alert, AlertRule, WebhookAttempt, WebhookInfo } from '../../../shared/contract/alerts.ts';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand } from '../cli-command.ts';
import { integerOption, requiredArgument, stringOption } from '../option-values.ts';
import { visible } from '../terminal-text.ts';
import { textTable } from '../text-table.ts';

/**
 * `lathe alerts list|ack|rules` and `lathe alerts webhook set|show|test`: the alerts the rules in
 * lathe.alerts.json raised on deployed models, and the webhook they are sent to.
 */

/** A webhook URL read from standard input (`-`) is a line, not a file's worth. */
const MAX_URL_INPUT = 8 * 1024;

export const alertsListCommand: CliCommand = {
  path: ['alerts', 'list'],
  summary: 'List open alerts (newest first): what, where, when, and whether the webhook got them',
  usage: 'lathe alerts list [--deployment TARGET/MODEL] [--all | --resolved] [--limit N]',
  details: ['--all lists resolved alerts too; --resolved only those.', 'Example: lathe alerts list --deployment edge-1/penguins-clf --all'].join('\n'),
  options: { deployment: { type: 'string' }, all: { type: 'boolean' }, resolved: { type: 'boolean' }, limit: { type: 'string' } },
  async run(context) {
    if (context.values.all === true && context.values.resolved === true) throw failure('INVALID_INPUT', `Give --all or --resolved, not both: ${this.usage}`);
    const state = context.values.all === true ? 'all' : context.values.resolved === true ? 'resolved' : 'open';
    const deployment = stringOption(context, 'deployment');
    const limit = integerOption(context.values.limit, '--limit', 1, 5000);
    const { alerts } = await callCore(context, 'alerts:list', { workspace: await context.workspace(), state, ...(deployment === undefined ? {} : { deployment }), ...(limit === undefined ? {} : { limit }) });
    if (alerts.length === 0) {
      const none = state === 'open' ? 'No open alerts' : state === 'resolved' ? 'No resolved alerts' : 'No alerts';
      return { json: { alerts }, human: `${none}${deployment ? ` for ${visible(deployment)}` : ''}.${state === 'open' ? ' `lathe alerts list --all` shows resolved ones too.' : ''}` };
    }
    const rows = alerts.map((alert) => [alert.id, alert.deployment, alert.severity, stateWords(alert), alert.raisedAt.slice(0, 16).replace('T', ' '), deliveryWords(alert)]);
    const summaries = alerts.map((alert) => `  ${visible(alert.id)}: ${visible(alert.summary)}${alert.resolution ? ` — resolved: ${visible(alert.resolution)}` : ''}`);
    return { json: { alerts }, human: [textTable(['id', 'deployment', 'severity', 'state', 'raised (UTC)', 'webhook'], rows, 40), '', ...summaries].join('\n') };
  },
};

export const alertsAckCommand: CliCommand = {
  path: ['alerts', 'ack'],
  summary: 'Acknowledge an alert: you have seen it (it stays open until its condition clears)',
  usage: 'lathe alerts ack ID [--by NAME]',
  options: { by: { type: 'string' } },
  async run(context) {
    const id = requiredArgument(context.positionals[0], 'the alert (its id, from `lathe alerts list`)', this.usage);
    const by = stringOption(context, 'by');
    const alert = await callCore(context, 'alerts:ack', { workspace: await context.workspace(), id, ...(by === undefined ? {} : { by }) });
    return { json: alert, human: `Acknowledged ${visible(alert.id)} (${visible(alert.deployment)}) as ${visible(alert.ackedBy ?? '?')} at ${alert.ackedAt}: ${visible(alert.summary)}` };
  },
};

export const alertsRulesCommand: CliCommand = {
  path: ['alerts', 'rules'],
  summary: "Show the workspace's alert rules (lathe.alerts.json, or the defaults) and check the file",
  usage: 'lathe alerts rules',
  details: [
    'Rules live in lathe.alerts.json at the workspace root, committed with the workspace. Edit it by hand',
    '(this command checks it and names the rule and field of any mistake) or through alerts:save-rules.',
    'Without the file the defaults apply: a feature drifting 2 windows in a row, the dataset drifting in one,',
    'any dropped prediction record, and accuracy (or its estimate) more than 0.1 below the test accuracy.',
    '',
    'Example file: {"schemaVersion": 1, "rules": [{"id": "bill-drift", "kind": "feature-drift", "feature": "bill_length_mm", "windows": 3}]}',
    'Kinds: feature-drift (feature, windows), dataset-drift (windows), accuracy-below (floor or belowTestMetric,',
    'useEstimate, windows), latency-above (p99Ms, windows), error-rate-above (rate, windows), records-dropped.',
    'Every rule also takes id, deployment (TARGET/MODEL or "*"), severity (warning|critical) and enabled.',
  ].join('\n'),
  options: {},
  async run(context) {
    const set = await callCore(context, 'alerts:rules', { workspace: await context.workspace() });
    const rows = set.rules.map((rule) => [rule.id, rule.enabled ? rule.kind : `${rule.kind} (off)`, rule.deployment, rule.severity, ruleCondition(rule)]);
    const source = set.source === 'file' ? `From ${set.file}:` : `No ${set.file} in this workspace; the defaults apply:`;
    return { json: set, human: [source, textTable(['id', 'kind', 'deployment', 'severity', 'raises when'], rows, 70)].join('\n') };
  },
};

export const alertsWebhookSetCommand: CliCommand = {
  path: ['alerts', 'webhook', 'set'],
  summary: 'Send alerts to a webhook (Slack, Mattermost, your own receiver): only to the hosts you allow',
  usage: 'lathe alerts webhook set URL|- --allow-host HOST [--allow-host HOST …] [--allow-private] [--allow-plain-text]',
  details: [
    'Each new alert is POSTed as JSON ({"text": …, "alert": …}). The URL often holds a secret in its path:',
    'give - to read it from standard input rather than leave it in your shell history. It is kept in your',
    'OS keychain (desktop app) or a file only you can read, never in a workspace, and shown only masked.',
    'Alerts go only to the hosts you name with --allow-host; the name is resolved and every address checked',
    'at send time, and loopback, private and link-local addresses are refused unless you give --allow-private',
    '(a receiver on your own network). Redirects are never followed.',
    '',
    'Example: lathe alerts webhook set - --allow-host hooks.slack.com < slack-hook.txt',
  ].join('\n'),
  options: { 'allow-host': { type: 'string', multiple: true }, 'allow-private': { type: 'boolean' }, 'allow-plain-text': { type: 'boolean' } },
  async run(context) {
    const given = requiredArgument(context.positionals[0], 'the webhook URL (or - to read it from standard input)', this.usage);
    const url = given === '-' ? await readUrlFromStdin() : given;
    const hosts = context.values['allow-host'];
    const allowHosts = Array.isArray(hosts) ? hosts.filter((host): host is string => typeof host === 'string') : [];
    if (allowHosts.length === 0) {
      throw failure('INVALID_INPUT', `Name the host alerts may go to with --allow-host HOST: ${this.usage}`, { hint: "Use the URL's host, like --allow-host hooks.slack.com.", location: { field: 'allow-host' } });
    }
    const info = await callCore(context, 'alerts:webhook-set', { url, allowHosts, allowPrivate: context.values['allow-private'] === true, allowPlainTextSecret: context.values['allow-plain-text'] === true });
    return { json: info, human: [`Alerts will be sent to ${visible(info.maskedUrl)}.`, webhookLines(info), 'Try it: lathe alerts webhook test'].join('\n') };
  },
};

export const alertsWebhookShowCommand: CliCommand = {
  path: ['alerts', 'webhook', 'show'],
  summary: 'Show where alerts are sent (host and masked URL; the whole URL is never shown)',
  usage: 'lathe alerts webhook show',
  options: {},
  async run(context) {
    const { webhook } = await callCore(context, 'alerts:webhook-get', {});
    if (!webhook) return { json: { webhook }, human: 'No alert webhook is set. Set one with: lathe alerts webhook set URL --allow-host HOST' };
    return { json: { webhook }, human: [`Alerts are sent to ${visible(webhook.maskedUrl)} (set ${webhook.setAt}).`, webhookLines(webhook)].join('\n') };
  },
};

export const alertsWebhookRemoveCommand: CliCommand = {
  path: ['alerts', 'webhook', 'remove'],
  summary: 'Stop sending alerts to the webhook (its URL is forgotten; alerts are still kept and shown)',
  usage: 'lathe alerts webhook remove',
  options: {},
  async run(context) {
    const { removed } = await callCore(context, 'alerts:webhook-remove', {});
    return { json: { removed }, human: removed ? 'Removed the alert webhook; alerts are kept and shown, and sent nowhere.' : 'No alert webhook was set.' };
  },
};

export const alertsWebhookTestCommand: CliCommand = {
  path: ['alerts', 'webhook', 'test'],
  summary: 'POST a test alert to the webhook, with every check a real one gets, and say how it went',
  usage: 'lathe alerts webhook test',
  options: {},
  async run(context) {
    const attempt = await callCore(context, 'alerts:webhook-test', {});
    return { json: attempt, human: attemptWords(attempt), ...(attempt.ok ? {} : { exitCode: 1 }) };
  },
};

export const alertCommands: readonly CliCommand[] = [alertsListCommand, alertsAckCommand, alertsRulesCommand, alertsWebhookSetCommand, alertsWebhookShowCommand, alertsWebhookRemoveCommand, alertsWebhookTestCommand];

/** What a rule watches, in words: "bill_length_mm drifts 3 windows in a row". */
export function ruleCondition(rule: AlertRule): string {
  const inRow = (windows: number) => (windows === 1 ? 'in a window' : `${windows} windows in a row`);
  switch (rule.kind) {
    case 'feature-drift':
      return `${rule.feature === '*' ? 'any feature' : rule.feature} drifts ${inRow(rule.windows)}`;
    case 'dataset-drift':
      return `the dataset drifts ${inRow(rule.windows)}`;
    case 'accuracy-below':
      return `accuracy${rule.useEstimate ? ' (or its estimate)' : ''} < ${rule.floor ?? `test accuracy − ${rule.belowTestMetric}`} ${inRow(rule.windows)}`;
    case 'latency-above':
      return `p99 latency > ${rule.p99Ms} ms ${inRow(rule.windows)}`;
    case 'error-rate-above':
      return `error rate > ${rule.rate * 100} % ${inRow(rule.windows)}`;
    case 'records-dropped':
      return 'the agent drops prediction records';
  }
}

function stateWords(alert: Alert): string {
  if (alert.state === 'resolved') return 'resolved';
  return alert.ackedBy ? `open, acked by ${alert.ackedBy}` : 'open';
}

function deliveryWords(alert: Alert): string {
  switch (alert.delivery.state) {
    case 'delivered':
      return `sent (${alert.delivery.status})`;
    case 'failed':
      return 'failed';
    case 'pending':
      return 'sending';
    case 'not-configured':
      return '—';
  }
}

function webhookLines(info: WebhookInfo): string {
  const kept = info.secretStorage === 'os-keychain' ? 'your OS keychain' : info.secretStorage === 'private-file' ? 'a file only you can read' : 'plain text (you agreed)';
  return [`Allowed hosts: ${info.allowedHosts.map((host) => visible(host)).join(', ')}${info.allowPrivate ? '; private addresses allowed' : ''}.`, `The URL is kept in ${kept}.`].join('\n');
}

function attemptWords(attempt: WebhookAttempt): string {
  if (attempt.ok) return `Delivered: ${visible(attempt.host ?? '?')} (${visible(attempt.address ?? '?')}) answered HTTP ${attempt.status}.`;
  return `Not delivered: ${visible(attempt.reason ?? 'unknown')}.`;
}

async function readUrlFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_URL_INPUT) throw failure('INVALID_INPUT', 'Standard input holds more than 8 KiB; give the webhook URL alone, on one line.', { location: { field: 'url' } });
    chunks.push(chunk);
  }
  const url = Buffer.concat(chunks).toString('utf8').trim();
  if (!url) throw failure('INVALID_INPUT', 'Standard input was empty; give the webhook URL on it.', { location: { field: 'url' } });
  return url;
}
