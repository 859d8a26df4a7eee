#!/usr/bin/env node
// `lathe agent` on its own: the entry point of the agent `lathe agent pack` writes (bundled by
// `npm run build` into main/dist/lathe-agent.mjs, one file, with the serving worker and the WASM
// binaries beside it). Same flags as `lathe agent`; no workspace, no UI, no clone needed.
import { parseArgs } from 'node:util';
import { describeError } from '../../shared/contract/describe-error.ts';
import { toLatheError } from '../core/errors.ts';
import type { CliContext } from './cli-command.ts';
import { agentCommand } from './commands/agent-commands.ts';
import { safeJsonText, visible } from './terminal-text.ts';

const here = new URL(import.meta.url);
const bundled = !here.pathname.endsWith('.ts');
const json = process.argv.includes('--json');
const out = (text: string) => process.stdout.write(`${json ? safeJsonText(text) : visible(text, { lines: true })}\n`);
const err = (text: string) => process.stderr.write(`${visible(text, { lines: true })}\n`);

async function main(): Promise<number | 'keep-running'> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options: { ...agentCommand.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true });
  } catch (error) {
    err(`${(error as Error).message}\nUsage: ${agentCommand.usage.replace(/^lathe agent/, 'node lathe-agent.mjs')}`);
    return 2;
  }
  if (parsed.values.help) {
    out(`${agentCommand.usage.replace(/^lathe agent/, 'node lathe-agent.mjs')}\n\n${agentCommand.details ?? ''}`);
    return 0;
  }
  const unavailable = () => Promise.reject(new Error('The packed agent has no workspace.'));
  const context: CliContext = {
    values: parsed.values,
    positionals: [],
    json,
    cwd: process.cwd(),
    // The serving worker sits beside the bundle; from source, the core's own.
    files: { root: '', uiDir: '', resourcesDir: '', scanWorker: bundled ? here : undefined },
    core: unavailable,
    workspace: unavailable,
    out,
    err,
  };
  try {
    const result = await agentCommand.run(context);
    return result === 'keep-running' ? result : 0;
  } catch (thrown) {
    const error = toLatheError(thrown);
    if (json) out(JSON.stringify({ error }, null, 2));
    else err(`lathe-agent: ${describeError(error)}`);
    return error.code === 'INVALID_INPUT' ? 2 : 1;
  }
}

const code = await main();
if (code !== 'keep-running') process.exitCode = code;
