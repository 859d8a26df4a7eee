import { resolve } from 'node:path';
import type { CliCommand } from '../cli-command.ts';
import { callCore } from '../call-core.ts';
import { visible } from '../terminal-text.ts';

export const initCommand: CliCommand = {
  path: ['init'],
  summary: 'Make a folder a Lathe workspace (a git repository with lathe.json)',
  usage: 'lathe init [DIR]',
  details: 'Creates DIR if needed (default: the current folder). Running it on a workspace again is harmless.',
  options: {},
  async run(context) {
    const path = resolve(context.cwd, context.positionals[0] ?? '.');
    const info = await callCore(context, 'workspace:create', { path });
    return { json: info, human: `Lathe workspace "${visible(info.name)}" is ready at ${visible(info.path)}` };
  },
};
