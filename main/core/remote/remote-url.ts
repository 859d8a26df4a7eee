import { isAbsolute, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RemoteKind } from '../../../shared/contract/remote.ts';
import { failure } from '../errors.ts';

/** Where a remote's bytes are, once its URL is understood. */
export interface RemoteLocation {
  kind: RemoteKind;
  /** The URL as the user wrote it (what lathe.remotes.json keeps). */
  url: string;
  /** For a folder remote: the absolute folder. */
  folder: string;
}

const KINDS =
  'A remote is a folder — an absolute path (/mnt/share/lathe, D:\\lathe) or a file:// URL (file:///mnt/share/lathe) — such as a mounted share, a USB disk or a self-hosted runner\'s disk. HTTP remotes are not built yet.';

/**
 * Read a remote URL: an absolute folder path or a file:// URL. Anything else (a relative path,
 * another scheme, a file URL naming another host) is refused with a sentence naming the URL
 * and the kinds Lathe takes. `field` is the input field to blame.
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
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(url)?.[1];
  if (scheme) throw refuse(`${scheme}:// is not a kind of remote Lathe knows.`);
  if (isAbsolute(url) || /^[A-Za-z]:[\\/]/.test(url)) return { kind: 'folder', url, folder: normalize(url) };
  throw refuse('a folder remote needs an absolute path (it is kept in git and used from other folders and machines).');
}
