import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { WebhookInfo } from '../../../shared/contract/alerts.ts';
import { TokenStorage } from '../../../shared/contract/deployments.ts';
import type { SecretStore } from '../deploy/secret-store.ts';
import { failedTo, failure } from '../errors.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import { versionedRecord } from '../storage/versioned-record.ts';
import type { WebhookTarget } from './webhook.ts';

/**
 * The user's alert webhook, per user like deploy targets (not per workspace: a workspace is
 * pushed and shared). The record, `<stateDir>/alerts-webhook.json` (0600), holds the host, a
 * masked URL and the allowed hosts; the URL itself — whose path often is the secret, as in Slack's
 * hooks — is in the secret store (the OS keychain in the desktop app, a 0600 file elsewhere),
 * under a fresh id each time, so a replaced webhook never leaves the record naming half of one.
 */
const WebhookV1 = z.object({
  schemaVersion: z.literal(1),
  host: z.string(),
  maskedUrl: z.string(),
  allowedHosts: z.array(z.string()),
  allowPrivate: z.boolean(),
  setAt: z.string(),
  secretStorage: TokenStorage,
  secretId: z.string().regex(/^alerts-webhook-[a-f0-9]+$/),
});
type WebhookRecord = z.infer<typeof WebhookV1>;
const webhookRecord = versionedRecord<WebhookRecord>({ kind: 'alert webhook', versions: [WebhookV1], migrations: [] });

export interface WebhookRequest {
  url: string;
  allowHosts: readonly string[];
  allowPrivate: boolean;
  allowPlainTextSecret: boolean;
}

export class WebhookSettings {
  readonly file: string;
  readonly #secrets: SecretStore;
  readonly #now: () => Date;

  constructor(stateDir: string, secrets: SecretStore, now: () => Date = () => new Date()) {
    this.file = join(stateDir, 'alerts-webhook.json');
    this.#secrets = secrets;
    this.#now = now;
  }

  async set(request: WebhookRequest): Promise<WebhookInfo> {
    const url = parseWebhookUrl(request.url);
    const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const allowedHosts = [...new Set(request.allowHosts.map((name) => name.toLowerCase()))];
    if (!allowedHosts.includes(host)) {
      throw failure('INVALID_INPUT', `The webhook's host ${host} is not among the hosts you allow (${allowedHosts.join(', ')}).`, {
        hint: `Add it: --allow-host ${host}. Alerts are sent only to hosts you name.`,
        location: { field: 'allowHosts' },
      });
    }
    const secretStorage = await this.#secrets.protection();
    if (secretStorage === 'plain-text' && !request.allowPlainTextSecret) {
      throw failure('FAILED_PRECONDITION', 'This machine has no keychain to keep the webhook URL in, so it would be stored as plain text.', {
        hint: 'Set up a keyring (libsecret or KWallet), or agree to plain-text storage (allowPlainTextSecret).',
        location: { field: 'allowPlainTextSecret' },
      });
    }
    const previous = await this.#record();
    const record: WebhookRecord = { schemaVersion: 1, host, maskedUrl: maskUrl(url), allowedHosts, allowPrivate: request.allowPrivate, setAt: this.#now().toISOString(), secretStorage, secretId: `alerts-webhook-${randomBytes(8).toString('hex')}` };
    try {
      await this.#secrets.put(record.secretId, url.href);
      await mkdir(join(this.file, '..'), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.file, webhookRecord.serialize(record), { mode: 0o600 });
    } catch (error) {
      await this.#secrets.remove(record.secretId).catch(() => undefined);
      throw failedTo('keep the webhook', error, previous ? 'The webhook set before is kept.' : 'No webhook is set.');
    }
    if (previous) await this.#secrets.remove(previous.secretId).catch(() => undefined);
    return infoOf(record);
  }

  async info(): Promise<WebhookInfo | null> {
    const record = await this.#record();
    return record ? infoOf(record) : null;
  }

  /** Where to send, with the URL from the secret store; null when no webhook is set. */
  async target(): Promise<(WebhookTarget & { info: WebhookInfo }) | null> {
    const record = await this.#record();
    if (!record) return null;
    const url = await this.#secrets.get(record.secretId);
    if (url === null) {
      throw failure('NOT_FOUND', `The webhook's URL is missing from the secret store (${record.secretStorage}); its record is ${this.file}.`, {
        hint: 'Set the webhook again: `lathe alerts webhook set URL --allow-host HOST`.',
        location: { file: this.file },
      });
    }
    return { url, allowedHosts: record.allowedHosts, allowPrivate: record.allowPrivate, info: infoOf(record) };
  }

  async remove(): Promise<boolean> {
    const record = await this.#record();
    if (!record) return false;
    await rm(this.file, { force: true });
    await this.#secrets.remove(record.secretId).catch(() => undefined);
    return true;
  }

  async #record(): Promise<WebhookRecord | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw failedTo('read the alert webhook', error, 'No alert was sent to it.');
    }
    return webhookRecord.parse(text, this.file);
  }
}

/** The URL, fully checked (the contract checked its shape): http(s), a host, no user or password. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw failure('INVALID_INPUT', 'The webhook URL is not a valid URL.', { hint: 'Give it as the service shows it, like https://hooks.slack.com/services/T000/B000/XXXX.', location: { field: 'url' } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw failure('INVALID_INPUT', `A webhook is POSTed over http or https, not ${url.protocol}`, { location: { field: 'url' } });
  if (url.username || url.password) {
    throw failure('INVALID_INPUT', 'A webhook URL with a user name or password in it would send that secret to every log on the way.', { hint: 'Put the secret in the path or query, as the service gives it.', location: { field: 'url' } });
  }
  if (!url.hostname) throw failure('INVALID_INPUT', 'The webhook URL has no host.', { location: { field: 'url' } });
  return url;
}

/** https://hooks.slack.com/… (path and query hidden: 44 characters). The scheme, host and port are not secret. */
export function maskUrl(url: URL): string {
  const hidden = url.pathname.length + url.search.length + url.hash.length - 1;
  return `${url.protocol}//${url.host}/${hidden > 0 ? `… (path and query hidden: ${hidden} characters)` : ''}`;
}

function infoOf(record: WebhookRecord): WebhookInfo {
  return { maskedUrl: record.maskedUrl, host: record.host, allowedHosts: record.allowedHosts, allowPrivate: record.allowPrivate, setAt: record.setAt, secretStorage: record.secretStorage };
}
