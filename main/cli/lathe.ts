#!/usr/bin/env node
// The `lathe` command. Runs on Node 24 straight from TypeScript (type stripping), and is bundled
// by `npm run build` into main/dist/lathe.mjs, which the installed command runs (see
// lathe-launcher.cjs). Both files sit two folders below the project folder.
import { readFileSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { runCli } from './cli-app.ts';
import { latheFiles } from './lathe-files.ts';

// V8 keeps the code it compiles on disk (in the OS temp folder), so the next start skips most of
// the parsing of the core's chunks, which load after this line.
enableCompileCache();

const files = latheFiles(new URL(import.meta.url));
const { version } = JSON.parse(readFileSync(join(files.root, 'package.json'), 'utf8')) as { version: string };

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
  version,
  files,
});
if (code !== 'keep-running') process.exitCode = code;
