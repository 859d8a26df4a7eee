import { z } from 'zod';
import { defineCall, defineEvent } from './define.ts';
import { TokenStorage } from './deployments.ts';
import { DeploymentName } from './monitoring.ts';
import { oneLineText } from './text-fields.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Alerts on live models (issue 10, item 5): rules over the monitoring windows a deployment's agent
 * reports (main/core/monitoring) raise alert records — what, when and why — kept in the workspace
 * database, shown in the app, sent as a desktop notification by the desktop app and POSTed to the
 * user's webhook (only to hosts the user allowed, the address checked after resolution, no
 * redirects followed).
 *
 * The rules are the workspace's: `lathe.alerts.json` at its root, committed, so a clone and a
 * reviewer see them. The webhook is the user's (its URL may hold a secret, as a Slack hook's path
 * does): kept in the secret store as deploy targets' tokens are, and never returned whole.
 */

export const ALERT_RULES_FILE = 'lathe.alerts.json';

/** A rule's id: what alerts name it by. */
export const AlertRuleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a rule id is 1–64 lower-case letters, digits, "-" or "_", starting with a letter or digit (like "drift-2-windows")');
export type AlertRuleId = z.infer<typeof AlertRuleId>;

/** Which deployments a rule watches: one (TARGET/MODEL) or all ("*"). */
export const DeploymentPattern = z.union([z.literal('*'), DeploymentName]);
export type DeploymentPattern = z.infer<typeof DeploymentPattern>;

export const AlertSeverity = z.enum(['warning', 'critical']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

/** Consecutive windows a condition must hold in before it raises (and fail to hold in before it resolves). */
const Windows = z.number().int().min(1, 'a rule needs at least 1 window').max(50, 'a rule looks at most 50 windows back (what a monitoring report carries)');

const RuleBase = {
  id: AlertRuleId,
  deployment: DeploymentPattern.default('*'),
  severity: AlertSeverity.default('warning'),
  enabled: z.boolean().default(true),
};

export const FeatureDriftRule = z.strictObject({
  ...RuleBase,
  kind: z.literal('feature-drift'),
  /** An input column's name, or "*" for each one (an alert per drifted feature). */
  feature: z.string().min(1, 'name a feature, or "*" for every feature').max(256),
  /** The feature's verdict is "drift" in this many windows in a row. */
  windows: Windows.default(2),
});

export const DatasetDriftRule = z.strictObject({
  ...RuleBase,
  kind: z.literal('dataset-drift'),
  /** The window's dataset-level verdict (share of drifted features) is "drift" this many windows in a row. */
  windows: Windows.default(1),
});

export const AccuracyBelowRule = z
  .strictObject({
    ...RuleBase,
    kind: z.literal('accuracy-below'),
    /** A fixed floor (0–1). */
    floor: z.number().min(0, 'an accuracy floor is between 0 and 1').max(1, 'an accuracy floor is between 0 and 1').optional(),
    /** Or: this far below the model's test accuracy (its reference's testMetric), where known. */
    belowTestMetric: z.number().gt(0, 'belowTestMetric is a margin above 0, like 0.1').max(1, 'belowTestMetric is at most 1').optional(),
    /** Judge the accuracy estimate (CBPE) in windows whose labels have not arrived. */
    useEstimate: z.boolean().default(true),
    windows: Windows.default(1),
  })
  .refine((rule) => (rule.floor === undefined) !== (rule.belowTestMetric === undefined), {
    message: 'give an accuracy-below rule either "floor" (like 0.8) or "belowTestMetric" (like 0.1), not both or neither',
    path: ['floor'],
  });

export const LatencyAboveRule = z.strictObject({
  ...RuleBase,
  kind: z.literal('latency-above'),
  /** A window's p99 latency above this, in milliseconds. */
  p99Ms: z.number().positive('p99Ms is a latency in milliseconds, above 0').max(3_600_000),
  windows: Windows.default(1),
});

export const ErrorRateAboveRule = z.strictObject({
  ...RuleBase,
  kind: z.literal('error-rate-above'),
  /** A window's share of failed requests (errors / (recorded + errors)) above this (0–1). */
  rate: z.number().min(0, 'an error rate is between 0 and 1').max(1, 'an error rate is between 0 and 1'),
  windows: Windows.default(1),
});

export const RecordsDroppedRule = z.strictObject({
  ...RuleBase,
  kind: z.literal('records-dropped'),
});

export const ALERT_RULE_KINDS = ['feature-drift', 'dataset-drift', 'accuracy-below', 'latency-above', 'error-rate-above', 'records-dropped'] as const;
export const AlertRuleKind = z.enum(ALERT_RULE_KINDS);
export type AlertRuleKind = z.infer<typeof AlertRuleKind>;

export const AlertRule = z.discriminatedUnion('kind', [FeatureDriftRule, DatasetDriftRule, AccuracyBelowRule, LatencyAboveRule, ErrorRateAboveRule, RecordsDroppedRule]);
export type AlertRule = z.infer<typeof AlertRule>;
export type AlertRuleInput = z.input<typeof AlertRule>;

export const MAX_ALERT_RULES = 200;

export const AlertRules = z
  .array(AlertRule)
  .max(MAX_ALERT_RULES, `at most ${MAX_ALERT_RULES} rules`)
  .superRefine((rules, context) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      if (seen.has(rule.id)) context.addIssue({ code: 'custom', message: `two rules have the id "${rule.id}"; each rule needs its own`, path: [index, 'id'] });
      seen.add(rule.id);
    });
  });

export const AlertRuleSet = z.object({
  /** "file": lathe.alerts.json; "defaults": there is none yet, so the defaults apply. */
  source: z.enum(['file', 'defaults']),
  file: z.literal(ALERT_RULES_FILE),
  rules: z.array(AlertRule),
});
export type AlertRuleSet = z.infer<typeof AlertRuleSet>;

// ---------------------------------------------------------------------------------------------
// Alerts

export const AlertState = z.enum(['open', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

/** One number behind an alert: a window's drift score, accuracy, latency, error rate or a drop count. */
export const AlertMeasurement = z.object({
  /** The window it was measured in; null for the recorder's counts. */
  window: z.number().int().nonnegative().nullable(),
  /** What was measured: "wasserstein", "ks p-value", "accuracy", "accuracy estimate", "p99 ms", "error rate", "dropped". */
  measure: z.string(),
  value: z.number(),
  /** The rule's (or drift method's) threshold it was judged against. */
  threshold: z.number().nullable(),
});
export type AlertMeasurement = z.infer<typeof AlertMeasurement>;

export const AlertDetail = z.object({
  /** The window indexes the condition held in. */
  windows: z.array(z.number().int().nonnegative()),
  measurements: z.array(AlertMeasurement),
  /** records-dropped: the recorder's dropped count when this alert was raised or last updated. */
  dropped: z.number().int().nonnegative().nullable(),
});
export type AlertDetail = z.infer<typeof AlertDetail>;

/** How the alert's webhook POST went. */
export const AlertDelivery = z.discriminatedUnion('state', [
  z.object({ state: z.literal('not-configured') }),
  z.object({ state: z.literal('pending') }),
  z.object({ state: z.literal('delivered'), at: z.string(), status: z.number().int(), host: z.string() }),
  /** Why, in a sentence: host not allowed, private address, refused, timed out, redirected, HTTP 500 … */
  z.object({ state: z.literal('failed'), at: z.string(), reason: z.string(), host: z.string().nullable() }),
]);
export type AlertDelivery = z.infer<typeof AlertDelivery>;

export const Alert = z.object({
  id: z.string(),
  deployment: DeploymentName,
  ruleId: AlertRuleId,
  ruleKind: AlertRuleKind,
  severity: AlertSeverity,
  /** The feature (feature-drift) or metric ("dataset", "accuracy", "p99", "error-rate", "recorder") it is about. */
  subject: z.string(),
  state: AlertState,
  raisedAt: z.string(),
  resolvedAt: z.string().nullable(),
  /** Why it was resolved: "no longer met in window 14 (Wasserstein 0.04 ≥ 0.1)", "its rule was removed". */
  resolution: z.string().nullable(),
  ackedAt: z.string().nullable(),
  ackedBy: z.string().nullable(),
  /** One sentence: "bill_length_mm drifted in 2 windows in a row (Wasserstein 0.31 ≥ 0.1)". */
  summary: z.string(),
  detail: AlertDetail,
  delivery: AlertDelivery,
});
export type Alert = z.infer<typeof Alert>;

// ---------------------------------------------------------------------------------------------
// The webhook (per user)

/**
 * The webhook's URL as typed: http(s) only, no user or password in it (a secret in plain text
 * that servers log). Its path and query may hold a secret (Slack's hooks do); it is kept in the
 * secret store. The core parses it fully.
 */
export const WebhookUrl = z
  .string()
  .max(2048, 'a webhook URL is at most 2048 characters')
  .superRefine((text, context) => {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
    let message: string | null = null;
    if (!scheme) message = 'give the webhook as a full URL, like https://hooks.example.com/services/T000/B000/XXXX';
    else if (scheme !== 'http' && scheme !== 'https') message = `a webhook is POSTed over http or https, not ${scheme}:`;
    else if (/^https?:\/\/[^/?#]*@/i.test(text)) message = 'a webhook URL with a user name or password in it would send that secret to every log on the way; put the secret in the path or query, as the service gives it';
    else if (!/^https?:\/\/[^/?#\s]+/i.test(text) || /\s/.test(text)) message = 'give the webhook as a full URL without spaces, like https://hooks.example.com/services/T000/B000/XXXX';
    if (message) context.addIssue({ code: 'custom', message });
  });

/** A host name or IP address the webhook may be sent to (no port, no scheme). */
export const WebhookHost = z
  .string()
  .min(1, 'an allowed host cannot be empty')
  .max(253)
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/, 'an allowed host is a name or an IP address, like hooks.slack.com or 10.0.0.7 (no scheme, port or path)')
  .transform((host) => host.toLowerCase().replace(/^\[|\]$/g, ''));

export const WebhookInfo = z.object({
  /** The URL with its path and query masked: https://hooks.slack.com/se…(52 characters hidden). */
  maskedUrl: z.string(),
  host: z.string(),
  allowedHosts: z.array(z.string()),
  /** Private, loopback and link-local addresses are allowed (the user said so). */
  allowPrivate: z.boolean(),
  setAt: z.string(),
  secretStorage: TokenStorage,
});
export type WebhookInfo = z.infer<typeof WebhookInfo>;

/** One attempt to POST to the webhook. */
export const WebhookAttempt = z.object({
  ok: z.boolean(),
  host: z.string().nullable(),
  /** The address connected to (after the checks); null when none was. */
  address: z.string().nullable(),
  status: z.number().int().nullable(),
  /** Why it failed, in a sentence; null when delivered. */
  reason: z.string().nullable(),
  at: z.string(),
});
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

// ---------------------------------------------------------------------------------------------
// Calls and events

export const alertsRules = defineCall(
  'alerts:rules',
  "The workspace's alert rules (lathe.alerts.json), or the defaults when there is no such file",
  z.object({ workspace: WorkspacePath }),
  AlertRuleSet,
);

export const alertsSaveRules = defineCall(
  'alerts:save-rules',
  'Check alert rules and, when every one is valid, write lathe.alerts.json and commit it',
  z.object({ workspace: WorkspacePath, rules: AlertRules, message: oneLineText(500, 'a commit message').optional() }),
  z.object({ status: z.enum(['committed', 'unchanged']), commit: z.string().nullable(), rules: AlertRuleSet }),
);

export const alertsList = defineCall(
  'alerts:list',
  "The workspace's alerts, newest first: open ones by default, resolved ones or all on request",
  z.object({
    workspace: WorkspacePath,
    deployment: DeploymentName.optional(),
    state: z.enum(['open', 'resolved', 'all']).default('open'),
    limit: z.number().int().min(1).max(5000).default(200),
  }),
  z.object({ alerts: z.array(Alert) }),
);

export const alertsAck = defineCall(
  'alerts:ack',
  'Acknowledge an alert: someone has seen it (it stays open until its condition clears)',
  z.object({ workspace: WorkspacePath, id: z.string().min(1).max(100), by: oneLineText(200, 'who acknowledged it').optional() }),
  Alert,
);

export const alertsWebhookSet = defineCall(
  'alerts:webhook-set',
  'Send alerts to a webhook: its URL (kept in the secret store) and the hosts it may be sent to',
  z.object({
    url: WebhookUrl,
    allowHosts: z.array(WebhookHost).min(1, "name the webhook's host in allowHosts: alerts are sent only to hosts you allow").max(50),
    /** Allow loopback, private (RFC 1918, fc00::/7) and link-local addresses: only for a receiver on your own network. */
    allowPrivate: z.boolean().default(false),
    /** Where the only secret store is plain text, keep the URL only when the user agreed. */
    allowPlainTextSecret: z.boolean().default(false),
  }),
  WebhookInfo,
);

export const alertsWebhookGet = defineCall(
  'alerts:webhook-get',
  'The webhook alerts are sent to (host and masked URL, never the whole URL), or null',
  z.object({}),
  z.object({ webhook: WebhookInfo.nullable() }),
);

export const alertsWebhookRemove = defineCall(
  'alerts:webhook-remove',
  'Stop sending alerts to a webhook: forget its URL (from the secret store too)',
  z.object({}),
  z.object({ removed: z.boolean() }),
);

export const alertsWebhookTest = defineCall(
  'alerts:webhook-test',
  'POST a test alert to the webhook, with every check a real one gets, and say how it went',
  z.object({}),
  WebhookAttempt,
);

/** A rule raised a new alert (the desktop app shows a notification). */
export const alertsRaised = defineEvent('alerts:raised', z.object({ workspace: WorkspacePath, alert: Alert }));

/** An alert was resolved, acknowledged, or its delivery recorded. */
export const alertsChanged = defineEvent('alerts:changed', z.object({ workspace: WorkspacePath, id: z.string(), state: AlertState }));
