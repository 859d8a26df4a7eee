import { z } from 'zod';
import { RemoteName, RemoteUrl, type RemoteChange, type RemoteList } from '../../../shared/contract/remote.ts';
import { failedTo, failure } from '../errors.ts';
import { versionedRecord } from '../storage/versioned-record.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { parseRemoteUrl } from './remote-url.ts';

/**
 * `lathe.remotes.json` at the workspace's root: the byte remotes, committed so that a clone (a
 * teammate's, a CI job's) knows where the bytes went. URLs only — a token never goes in git.
 */
export const REMOTES_FILE = 'lathe.remotes.json';

const RemotesV1 = z
  .object({
    schemaVersion: z.literal(1),
    default: RemoteName.nullable(),
    remotes: z.array(z.object({ name: RemoteName, url: RemoteUrl })),
  })
  .superRefine((value, context) => {
    const names = value.remotes.map((remote) => remote.name);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice) context.addIssue({ code: 'custom', path: ['remotes'], message: `the remote "${twice}" is listed twice` });
    if (value.default !== null && !names.includes(value.default)) context.addIssue({ code: 'custom', path: ['default'], message: `the default remote "${value.default}" is not in the list` });
  });
type RemotesRecord = z.infer<typeof RemotesV1>;
const remotesRecord = versionedRecord<RemotesRecord>({ kind: 'remotes file', versions: [RemotesV1], migrations: [] });

const EMPTY: RemotesRecord = { schemaVersion: 1, default: null, remotes: [] };

/** The remotes at HEAD (a hand edit that does not parse is refused, naming the file and field). */
export async function readRemotes(workspace: Workspace): Promise<RemotesRecord> {
  const text = await workspace.git.readFile(REMOTES_FILE);
  return text === null ? EMPTY : remotesRecord.parse(text, REMOTES_FILE);
}

export function remoteList(record: RemotesRecord): RemoteList {
  return {
    remotes: record.remotes.map((remote) => ({ ...remote, kind: parseRemoteUrl(remote.url, `${REMOTES_FILE}: ${remote.name}`).kind, isDefault: remote.name === record.default })),
    defaultRemote: record.default,
  };
}

/**
 * Add a remote (the first one becomes the default, as does one added with `makeDefault`). Adding
 * the same name with the same URL again changes nothing; another URL under a taken name is refused.
 */
export async function addRemote(workspace: Workspace, request: { name: string; url: string; makeDefault?: boolean | undefined }): Promise<RemoteChange> {
  parseRemoteUrl(request.url);
  return changeRemotes(workspace, `adding the remote "${request.name}"`, (record) => {
    const existing = record.remotes.find((remote) => remote.name === request.name);
    if (existing && existing.url !== request.url) {
      throw failure('CONFLICT', `The remote "${request.name}" already points at ${existing.url}.`, {
        hint: `Remove it first (\`lathe remote remove ${request.name}\`), or choose another name.`,
        location: { file: REMOTES_FILE, field: 'name' },
      });
    }
    const remotes = existing ? record.remotes : [...record.remotes, { name: request.name, url: request.url }];
    const makeDefault = request.makeDefault === true || record.default === null;
    const next = { ...record, remotes, default: makeDefault ? request.name : record.default };
    return { next, message: `Add byte remote "${request.name}" (${request.url})${makeDefault ? ' as the default' : ''}` };
  });
}

export async function removeRemote(workspace: Workspace, name: string): Promise<RemoteChange> {
  return changeRemotes(workspace, `removing the remote "${name}"`, (record) => {
    if (!record.remotes.some((remote) => remote.name === name)) {
      const known = record.remotes.map((remote) => remote.name);
      throw failure('NOT_FOUND', `This workspace has no remote named "${name}".`, {
        hint: known.length ? `Its remotes: ${known.join(', ')}.` : 'It has no remotes; add one with `lathe remote add NAME URL`.',
        location: { file: REMOTES_FILE, field: 'name' },
      });
    }
    const next = { ...record, remotes: record.remotes.filter((remote) => remote.name !== name), default: record.default === name ? null : record.default };
    return { next, message: `Remove byte remote "${name}" (the bytes on it stay there)` };
  });
}

/** Read, change and commit lathe.remotes.json under the workspace's write lock: one commit, or none. */
async function changeRemotes(workspace: Workspace, doing: string, change: (record: RemotesRecord) => { next: RemotesRecord; message: string }): Promise<RemoteChange> {
  try {
    return await workspace.lock.run(
      async () => {
        const current = await readRemotes(workspace);
        const { next, message } = change(current);
        const text = remotesRecord.serialize(next);
        const commit = text === remotesRecord.serialize(current) && (await workspace.git.readFile(REMOTES_FILE)) !== null ? null : await workspace.git.commit([{ path: REMOTES_FILE, content: text }], message);
        return { ...remoteList(next), commit };
      },
      { purpose: doing },
    );
  } catch (error) {
    throw failedTo(doing.replace(/^adding/, 'add').replace(/^removing/, 'remove'), error, `${REMOTES_FILE} is as it was.`);
  }
}
