import { resolve } from 'node:path';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand } from '../cli-command.ts';
import { requiredArgument } from '../option-values.ts';
import { textTable } from '../text-table.ts';
import { visible } from '../terminal-text.ts';

/** `lathe targets add|list|remove`: deploy targets (machines running `lathe agent`). */

/** The largest token file read: a token is a line, not a file's worth. */
const MAX_TOKEN_FILE = 64 * 1024;

export const targetsAddCommand: CliCommand = {
  path: ['targets', 'add'],
  summary: 'Add a deploy target: a machine running `lathe agent`, its URL and admin token (probed before it is kept)',
  usage: 'lathe targets add NAME URL --token-file FILE [--replace]',
  details: [
    'NAME is how deploys name it (lowercase letters, digits, "-", "_"); URL is what the agent printed,',
    'like http://10.0.0.5:8080. The admin token (printed once at the agent\'s first start) is read from FILE,',
    'or from standard input with --token-file - ; never give it on the command line, where other users and',
    'your shell history can read it. Lathe checks the agent answers and takes the token before keeping',
    'anything, then keeps the token in a file only you can read (0600, in a 0700 folder of your state folder),',
    'never in a workspace. --replace changes the URL and token of a target that exists.',
    'Example: lathe targets add edge-1 http://10.0.0.5:8080 --token-file ~/edge-1.token',
  ].join('\n'),
  options: { 'token-file': { type: 'string' }, replace: { type: 'boolean' } },
  async run(context) {
    const usage = this.usage;
    const name = requiredArgument(context.positionals[0], 'the target', usage);
    const url = requiredArgument(context.positionals[1], "the agent's URL", usage);
    const file = context.values['token-file'];
    if (typeof file !== 'string' || file === '') {
      throw failure('INVALID_INPUT', `Give the admin token in a file with --token-file FILE (or --token-file - to read it from standard input): ${usage}`, {
        hint: 'A token on the command line would be seen by other users (ps) and kept in your shell history.',
        location: { field: 'token-file' },
      });
    }
    const token = await readToken(file === '-' ? null : resolve(context.cwd, file));
    const added = await callCore(context, 'targets:add', { name, url, token, replace: context.values.replace === true });
    const { target, health } = added;
    const models = health?.models.map((m) => `${m.name}@${m.stableVersion}`).join(', ') || 'none yet';
    return {
      json: added,
      human: [`Added target ${visible(target.name)} (${visible(target.url)}): agent ${visible(health?.agentVersion ?? '?')}, ${health?.ready ? 'ready' : 'not ready'}, token accepted; serving ${visible(models)}.`, `The token is kept in ${target.tokenStorage === 'os-keychain' ? 'your OS keychain' : 'a file only you can read'}.`, `Deploy to it with: lathe deploy NAME@VERSION --target ${visible(target.name)}`].join('\n'),
    };
  },
};

async function readToken(file: string | null): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    if (file === null) {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > MAX_TOKEN_FILE) break;
        chunks.push(chunk);
      }
      text = Buffer.concat(chunks).toString('utf8');
    } else {
      const { stat } = await import('node:fs/promises');
      if ((await stat(file)).size > MAX_TOKEN_FILE) throw failure('INVALID_INPUT', `${file} is too large to be a token file (more than 64 KiB).`, { location: { file, field: 'token-file' } });
      text = await readFile(file, 'utf8');
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw failure('NOT_FOUND', `There is no token file ${file}.`, { location: { file: file ?? '-', field: 'token-file' } });
    throw error;
  }
  const token = text.trim();
  if (token === '') throw failure('INVALID_INPUT', `The token file ${file ?? '(standard input)'} is empty.`, { hint: 'Put the admin token the agent printed in it, on one line.', location: { field: 'token-file' } });
  if (/\s/.test(token)) throw failure('INVALID_INPUT', `The token file ${file ?? '(standard input)'} holds more than one word; it should hold only the admin token.`, { location: { field: 'token-file' } });
  return token;
}

export const targetsListCommand: CliCommand = {
  path: ['targets', 'list'],
  summary: 'List deploy targets with a live probe: reachable, ready, token accepted, agent version, models served',
  usage: 'lathe targets list [--no-probe]',
  options: { 'no-probe': { type: 'boolean' } },
  async run(context) {
    const listed = await callCore(context, 'targets:list', { probe: context.values['no-probe'] !== true });
    if (listed.length === 0) return { json: listed, human: 'No deploy targets yet. Add one with: lathe targets add NAME URL --token-file FILE' };
    const rows = listed.map(({ target, health }) => [
      target.name,
      target.url,
      health === null ? '·' : !health.reachable ? 'unreachable' : health.authorized === false ? 'token refused' : health.ready ? 'ready' : 'not ready',
      health?.agentVersion ?? null,
      health ? health.models.map((m) => `${m.name}@${m.stableVersion}${m.candidateVersion ? ` (+${m.candidateVersion} ${m.candidateWeight}%)` : ''}`).join(', ') || '—' : null,
    ]);
    const problems = listed.filter(({ health }) => health?.problem).map(({ target, health }) => `  ${visible(target.name)}: ${visible(health!.problem!)}`);
    return { json: listed, human: [textTable(['target', 'url', 'state', 'agent', 'serving'], rows, 60), ...(problems.length ? ['', ...problems] : [])].join('\n') };
  },
};

export const targetsRemoveCommand: CliCommand = {
  path: ['targets', 'remove'],
  summary: 'Forget a deploy target and its token (the agent itself is not touched)',
  usage: 'lathe targets remove NAME',
  options: {},
  async run(context) {
    const name = requiredArgument(context.positionals[0], 'the target', this.usage);
    const removed = await callCore(context, 'targets:remove', { name });
    return { json: removed, human: `Removed target ${visible(removed.removed)} and its token. What it serves goes on serving.` };
  },
};

export const targetCommands: readonly CliCommand[] = [targetsAddCommand, targetsListCommand, targetsRemoveCommand];
