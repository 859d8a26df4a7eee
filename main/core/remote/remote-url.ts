import { isAbsolute, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RemoteKind } from '../../../shared/contract/remote.ts';
import { failure } from '../errors.ts';

/** Where a remote's bytes are, once its URL is understood; `url` is as the user wrote it (what lathe.remotes.json keeps). */
export type RemoteLocation =
  | { kind: Extract<RemoteKind, 'folder'>; url: string; /** The absolute folder. */ folder: string }
  | { kind: Extract<RemoteKind, 'http'>; url: string; /** scheme://host:port, no path. */ origin: string };

const KINDS =
  'A remote is a folder — an absolute path (/mnt/share/lathe, D:\\lathe) or a file:// URL (file:///mnt/share/lathe) — such as a mounted share, a USB disk or a self-hosted runner\'s disk — or `lathe serve --remote-dir DIR` reached over HTTP (http://host:port or https://host:port, its token from LATHE_REMOTE_TOKEN or --token-file, never in the URL).';

/**
 * Read a remote URL: an absolute folder path, a file:// URL, or the http(s) address of a `lathe
 * serve` that keeps a remote. Anything else (a relative path, another scheme, a file URL naming
 * another host, credentials, a path or query after the address) is refused with a sentence naming
 * the URL and the kinds Lathe takes. `field` is the input field to blame.
 */
export function parseRemoteUrl(url: string, field = 'url'): RemoteLocation {
  const refuse = (why: string) => failure('INVALID_INPUT', `"${url}" is not a remote Lathe can use: ${why}`, { hint: KINDS, location: { field } });
  if ([...url].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw refuse('it holds control characters.');
  if (/^file:/i.test(url)) {
    let folder: string;
    try {
      folder = fileURLToPath(url);
    } catch (error) {
      throw refuse(`${(error as Error).message.replace(/\.$/, '')}.`);
    }
    return { kind: 'folder', url, folder: normalize(folder) };
  }
  if (/^https?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw refuse('it is not a valid http(s) address.');
    }
    if (parsed.username || parsed.password) throw refuse('it holds a user name or password; the URL is kept in git, so the token goes in LATHE_REMOTE_TOKEN or --token-file instead.');
    if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.hash) throw refuse('an HTTP remote is the address of a `lathe serve` (http://host:port), with no path or query after it.');
    return { kind: 'http', url, origin: parsed.origin };
  }
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(url)?.[1];
  if (scheme) throw refuse(`${scheme}:// is not a kind of remote Lathe knows.`);
  if (isAbsolute(url) || /^[A-Za-z]:[\\/]/.test(url)) return { kind: 'folder', url, folder: normalize(url) };
  throw refuse('a folder remote needs an absolute path (it is kept in git and used from other folders and machines).');
}
