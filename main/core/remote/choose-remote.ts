import { failure } from '../errors.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { ByteRemote } from './byte-remote.ts';
import { FolderRemote } from './folder-remote.ts';
import { readRemotes, REMOTES_FILE } from './remotes-file.ts';
import { HttpRemote } from './http-remote.ts';
import { parseRemoteUrl, type RemoteLocation } from './remote-url.ts';

export interface RemoteChoice {
  /** A configured remote, by name. */
  remote?: string | undefined;
  /** A URL used as it is (front doors that may name folders on this machine only). */
  url?: string | undefined;
  /** An HTTP remote's bearer token, for this call only. */
  token?: string | undefined;
}

export interface ChosenRemote {
  name: string | null;
  url: string;
  /** "the remote "shared" (/mnt/share/lathe)", for sentences. */
  label: string;
  store: ByteRemote;
}

/**
 * The remote a push, pull or status uses: the one named, else the URL given, else the
 * workspace's default. With none of them, `required` decides: an error saying how to add one,
 * or null (status still says what is here).
 */
export async function chooseRemote(workspace: Workspace, choice: RemoteChoice, options: { allowUrls: boolean; required: boolean }): Promise<ChosenRemote | null> {
  if (choice.remote !== undefined && choice.url !== undefined) {
    throw failure('INVALID_INPUT', 'Name a configured remote or give a URL, not both.', { location: { field: 'url' } });
  }
  if (choice.url !== undefined) {
    if (!options.allowUrls) {
      throw failure('UNAVAILABLE', 'A remote URL cannot be given from here (it names a folder on the machine that runs Lathe).', {
        hint: 'Add the remote from the command line or the desktop app (`lathe remote add NAME URL`), then name it.',
        location: { field: 'url' },
      });
    }
    const location = parseRemoteUrl(choice.url);
    return { name: null, url: location.url, label: `the remote ${location.url}`, store: storeAt(location, choice.token) };
  }
  const record = await readRemotes(workspace);
  const name = choice.remote ?? record.default;
  if (name === null) {
    if (!options.required) return null;
    throw failure('FAILED_PRECONDITION', record.remotes.length ? 'This workspace has no default remote, and none was named.' : 'This workspace has no remotes yet.', {
      hint: record.remotes.length
        ? `Name one with --remote (${record.remotes.map((remote) => remote.name).join(', ')}), or make one the default: \`lathe remote add NAME URL --default\`.`
        : 'Add one: `lathe remote add NAME /path/to/shared/folder` (the first one added becomes the default), or pass --remote URL.',
      location: { file: REMOTES_FILE },
    });
  }
  const configured = record.remotes.find((remote) => remote.name === name);
  if (!configured) {
    throw failure('NOT_FOUND', `This workspace has no remote named "${name}".`, {
      hint: record.remotes.length ? `Its remotes: ${record.remotes.map((remote) => remote.name).join(', ')}.` : 'It has no remotes; add one with `lathe remote add NAME URL`.',
      location: { file: REMOTES_FILE, field: 'remote' },
    });
  }
  const location = parseRemoteUrl(configured.url, `${REMOTES_FILE}: ${configured.name}`);
  return { name, url: configured.url, label: `the remote "${name}" (${configured.url})`, store: storeAt(location, choice.token) };
}

function storeAt(location: RemoteLocation, token: string | undefined): ByteRemote {
  return location.kind === 'folder' ? new FolderRemote(location.folder) : new HttpRemote(location.origin, token);
}
