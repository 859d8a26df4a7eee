import { resolve } from 'node:path';
import type { CliCommand } from '../cli-command.ts';
import { callCore } from '../call-core.ts';
import { visible } from '../terminal-text.ts';

export const initCommand: CliCommand = {
  path: ['init'],
  summary: 'Make a folder a Lathe workspace (a git repository with lathe.json)',
  usage: 'lathe init [DIR] [--use-git-repo]',
  details: [
    'Creates DIR if needed (default: the current folder). Running it on a workspace again is harmless.',
    'A folder that is already a git repository with history is refused unless you pass --use-git-repo:',
    "Lathe then adds its commits (lathe.json, one per dataset version) to that repository's branch.",
  ].join('\n'),
  options: { 'use-git-repo': { type: 'boolean' } },
  async run(context) {
    const path = resolve(context.cwd, context.positionals[0] ?? '.');
    const useExistingGitRepository = context.values['use-git-repo'] === true;
    const info = await callCore(context, 'workspace:create', { path, ...(useExistingGitRepository ? { useExistingGitRepository } : {}) });
    return { json: info, human: `Lathe workspace "${visible(info.name)}" is ready at ${visible(info.path)}` };
  },
};
