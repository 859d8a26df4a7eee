#!/usr/bin/env node
// The `lathe` command. Runs on Node 24 straight from TypeScript (type stripping).
import { readFileSync } from 'node:fs';
import { runCli } from './cli-app.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
  version,
});
if (code !== 'keep-running') process.exitCode = code;
