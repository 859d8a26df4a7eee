import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { DataStatus, RemoteChange, TransferReport } from '../../../shared/contract/remote.ts';
import { formatBytes } from '../../../shared/format-bytes.ts';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand, CliContext, CommandOutput } from '../cli-command.ts';
import { requiredArgument, stringOption } from '../option-values.ts';
import { visible } from '../terminal-text.ts';
import { textTable } from '../text-table.ts';

/**
 * `lathe remote add|list|remove` and `lathe data push|pull|status`: byte remotes, as DVC has them.
 * A remote named on the command line (--remote) or in LATHE_REMOTE is a configured name when it
 * looks like one, else a folder or file:// URL used as it is (CI passes one that way).
 */

/** A folder given relative to where the command runs is made absolute: the remote list lives in git, used from anywhere. */
function absoluteUrl(url: string, cwd: string): string {
  return /^[a-z][a-z0-9+.-]+:/i.test(url) || isAbsolute(url) || /^[A-Za-z]:[\\/]/.test(url) ? url : resolve(cwd, url);
}

/**
 * --remote, else LATHE_REMOTE, as a name or a URL; and an HTTP remote's token from --token-file,
 * else LATHE_REMOTE_TOKEN (a token never goes on the command line, where `ps` shows it).
 */
async function remoteChoice(context: CliContext): Promise<{ remote?: string; url?: string; token?: string }> {
  const tokenFile = stringOption(context, 'token-file');
  let token = process.env.LATHE_REMOTE_TOKEN?.trim() || undefined;
  if (tokenFile !== undefined) {
    const path = resolve(context.cwd, tokenFile);
    token = (await readFile(path, 'utf8').catch(() => {
      throw failure('NOT_FOUND', `--token-file ${visible(tokenFile)}: there is no readable file at ${visible(path)}.`, { location: { file: path } });
    })).trim();
    if (!token) throw failure('INVALID_INPUT', `--token-file ${visible(tokenFile)} is empty; it should hold the token \`lathe serve\` printed.`, { location: { file: path } });
  }
  const withToken = token === undefined ? {} : { token };
  const given = stringOption(context, 'remote') ?? (process.env.LATHE_REMOTE?.trim() || undefined);
  if (given === undefined) return withToken;
  if (given === '') throw failure('INVALID_INPUT', '--remote needs a remote name or a folder.', { location: { field: 'remote' } });
  return /^[a-z0-9][a-z0-9._-]{0,62}$/.test(given) && !given.includes('..') ? { remote: given, ...withToken } : { url: absoluteUrl(given, context.cwd), ...withToken };
}

function changeLine(change: RemoteChange, done: string): string {
  return `${change.commit ? done : 'Nothing changed'}.${change.defaultRemote ? ` Default remote: ${visible(change.defaultRemote)}.` : ' No default remote.'}`;
}

export const remoteAddCommand: CliCommand = {
  path: ['remote', 'add'],
  summary: 'Add a byte remote (a shared folder, or a lathe serve) where `lathe data push` sends stored data and models',
  usage: 'lathe remote add NAME URL [--default]',
  details: [
    'URL is a folder (absolute, or relative to here) or a file:// URL — a mounted share, a USB disk, a',
    'self-hosted runner\'s disk — or http(s)://HOST:PORT of a `lathe serve --remote-dir DIR` (its token goes',
    'in LATHE_REMOTE_TOKEN or --token-file when pushing and pulling, never in the URL). The list is committed',
    'in lathe.remotes.json, so a clone knows it. The first remote added becomes the default; --default makes',
    'this one the default.',
    '',
    'Example: lathe remote add team /mnt/share/lathe-bytes --default',
  ].join('\n'),
  options: { default: { type: 'boolean' } },
  async run(context) {
    const usage = 'lathe remote add NAME URL [--default]';
    const name = requiredArgument(context.positionals[0], 'the remote', usage);
    const url = requiredArgument(context.positionals[1], 'its folder or URL', usage);
    if (context.positionals.length > 2) throw failure('INVALID_INPUT', `Too many arguments: ${usage}`);
    const change = await callCore(context, 'remote:add', { workspace: await context.workspace(), name, url: absoluteUrl(url, context.cwd), makeDefault: context.values.default === true });
    const added = change.remotes.find((remote) => remote.name === name);
    return { json: change, human: changeLine(change, `Added remote ${visible(name)}: ${visible(added?.url ?? url)}`) };
  },
};

export const remoteListCommand: CliCommand = {
  path: ['remote', 'list'],
  summary: "List the workspace's byte remotes",
  usage: 'lathe remote list',
  options: {},
  async run(context) {
    const list = await callCore(context, 'remote:list', { workspace: await context.workspace() });
    const human = list.remotes.length
      ? textTable(['name', 'kind', 'url', 'default'], list.remotes.map((remote) => [remote.name, remote.kind, remote.url, remote.isDefault ? 'yes' : '']))
      : 'No remotes yet. Add one with: lathe remote add NAME /path/to/shared/folder';
    return { json: list, human };
  },
};

export const remoteRemoveCommand: CliCommand = {
  path: ['remote', 'remove'],
  summary: 'Remove a byte remote from the workspace (the bytes on it stay)',
  usage: 'lathe remote remove NAME',
  options: {},
  async run(context) {
    const name = requiredArgument(context.positionals[0], 'the remote to remove', 'lathe remote remove NAME');
    const change = await callCore(context, 'remote:remove', { workspace: await context.workspace(), name });
    return { json: change, human: changeLine(change, `Removed remote ${visible(name)}`) };
  },
};

const transferOptions = { remote: { type: 'string', short: 'r' }, 'all-versions': { type: 'boolean' }, 'token-file': { type: 'string' } } as const;
const transferDetails = (verb: string) =>
  [
    `--remote NAME picks a configured remote, --remote /path/or/file://URL uses a folder without adding it;`,
    `without it, LATHE_REMOTE (a name or a folder), else the default remote. Versions: those at HEAD, or with`,
    `--all-versions every version any branch, tag or reflog entry names. Exits 1 when a blob could not be ${verb}.`,
    `An HTTP remote (lathe serve --remote-dir) takes its token from --token-file FILE, else LATHE_REMOTE_TOKEN.`,
  ].join('\n');

/** Print progress to stderr (people only; --json keeps stderr quiet): at most one line per tenth. */
async function showProgress(context: CliContext, direction: 'push' | 'pull'): Promise<() => void> {
  if (context.json) return () => undefined;
  const core = await context.core();
  let shownTenth = -1;
  return core.events.on((event) => {
    if (event.name !== 'data:transfer-progress' || event.payload.direction !== direction || event.payload.total === 0) return;
    const { done, total, bytesDone, bytesTotal } = event.payload;
    const tenth = Math.floor((10 * done) / total);
    if (tenth === shownTenth) return;
    shownTenth = tenth;
    context.err(`${direction === 'push' ? 'Pushing' : 'Pulling'}: ${done}/${total} blobs, ${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}`);
  });
}

function transferOutput(report: TransferReport): CommandOutput {
  const where = report.remote.name ? `${visible(report.remote.name)} (${visible(report.remote.url)})` : visible(report.remote.url);
  const moved = report.direction === 'push' ? `Pushed ${report.copied} blob${report.copied === 1 ? '' : 's'} (${formatBytes(report.copiedBytes)}) to ${where}` : `Pulled ${report.copied} blob${report.copied === 1 ? '' : 's'} (${formatBytes(report.copiedBytes)}, each verified) from ${where}`;
  const lines = [`${moved}; ${report.alreadyThere} of ${report.needed} needed ${report.alreadyThere === 1 ? 'was' : 'were'} there already.`];
  if (report.problems.length) {
    lines.push('', `${report.problems.length} blob${report.problems.length === 1 ? '' : 's'} could not be ${report.direction === 'push' ? 'pushed' : 'pulled'}:`, '');
    lines.push(textTable(['problem', 'needed by', 'blob'], report.problems.map((p) => [p.problem, p.usedBy.join(', '), p.contentHash.slice(0, 19) + '…']), 120));
    lines.push('', ...report.problems.map((p) => visible(p.detail)));
  }
  return { json: report, human: lines.join('\n'), exitCode: report.problems.length ? 1 : 0 };
}

export const dataPushCommand: CliCommand = {
  path: ['data', 'push'],
  summary: 'Copy the stored data and model bytes the versions need to a remote (only what it lacks)',
  usage: 'lathe data push [--remote R] [--all-versions]',
  details: `What the remote already lists is not read or hashed again; each blob sent is verified as it is read.\n${transferDetails('pushed')}`,
  options: transferOptions,
  async run(context) {
    const stop = await showProgress(context, 'push');
    try {
      return transferOutput(await callCore(context, 'data:push', { workspace: await context.workspace(), ...(await remoteChoice(context)), allVersions: context.values['all-versions'] === true }));
    } finally {
      stop();
    }
  },
};

export const dataPullCommand: CliCommand = {
  path: ['data', 'pull'],
  summary: 'Fetch the stored data and model bytes the versions need from a remote, each verified before it is kept',
  usage: 'lathe data pull [--remote R] [--all-versions]',
  details: `A blob whose SHA-256 or size is not what its version records is refused and named; the others are kept.\n${transferDetails('pulled')}`,
  options: transferOptions,
  async run(context) {
    const stop = await showProgress(context, 'pull');
    try {
      return transferOutput(await callCore(context, 'data:pull', { workspace: await context.workspace(), ...(await remoteChoice(context)), allVersions: context.values['all-versions'] === true }));
    } finally {
      stop();
    }
  },
};

export const dataStatusCommand: CliCommand = {
  path: ['data', 'status'],
  summary: 'Say which versions\' bytes are here, on the remote, not pushed, or missing everywhere',
  usage: 'lathe data status [--remote R] [--all-versions]',
  options: transferOptions,
  async run(context) {
    const status: DataStatus = await callCore(context, 'data:status', { workspace: await context.workspace(), ...(await remoteChoice(context)), allVersions: context.values['all-versions'] === true });
    const where = status.remote ? (status.remote.name ? `${visible(status.remote.name)} (${visible(status.remote.url)})` : visible(status.remote.url)) : null;
    const lines = [
      where ? `Remote ${where}: ${status.synced} blob${status.synced === 1 ? '' : 's'} on both sides, ${status.notPushed} not pushed, ${status.remoteOnly} to pull, ${status.missing} missing everywhere.` : `No remote: ${status.blobs.length - status.missing} blob${status.blobs.length - status.missing === 1 ? '' : 's'} here, ${status.missing} missing.`,
      ...(status.versionsNotPushed.length ? [`Not pushed: ${status.versionsNotPushed.map((v) => visible(v)).join(', ')}`] : []),
      ...(status.missing ? [`Missing everywhere: ${[...new Set(status.blobs.filter((b) => !b.local && b.remote !== true).flatMap((b) => b.usedBy))].map((v) => visible(v)).join(', ')}`] : []),
    ];
    return { json: status, human: lines.join('\n'), exitCode: status.missing ? 1 : 0 };
  },
};

export const remoteCommands: readonly CliCommand[] = [remoteAddCommand, remoteListCommand, remoteRemoveCommand, dataPushCommand, dataPullCommand, dataStatusCommand];
