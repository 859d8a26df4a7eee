import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LatheError } from '../../shared/contract/result.ts';
import { failure, toLatheError } from '../core/errors.ts';
import type { LatheCore } from '../core/lathe-core.ts';
import { defaultStateDir, defaultWorkspacePath } from '../core/paths.ts';
import type { CliCommand, CliContext, OptionSpec } from './cli-command.ts';
import { dataImportCommand, dataListCommand, dataLogCommand, dataShowCommand } from './commands/data-commands.ts';
import { runsCompareCommand, runsListCommand, runsShowCommand } from './commands/runs-commands.ts';
import { mlflowForScripts, runCommand } from './commands/run-commands.ts';
import { doctorCommand, trainCommand } from './commands/train-commands.ts';
import { modelsCommands } from './commands/models-commands.ts';
import { gatesCommands } from './commands/gates-commands.ts';
import { pipelineCommands } from './commands/pipeline-commands.ts';
import { sweepCommands } from './commands/sweep-commands.ts';
import { dataGcCommand, dataVerifyCommand } from './commands/store-commands.ts';
import { remoteCommands } from './commands/remote-commands.ts';
import { initCommand } from './commands/init-command.ts';
import { keysShowCommand, modelsPackageCommand, modelsVerifyCommand } from './commands/bundle-commands.ts';
import { serveCommand } from './commands/serve-command.ts';
import { agentCommand, agentPackCommand } from './commands/agent-commands.ts';
import { targetCommands } from './commands/target-commands.ts';
import { alertCommands } from './commands/alert-commands.ts';
import { deployCommands } from './commands/deploy-commands.ts';
import { simulateCommands } from './commands/simulate-commands.ts';
import { monitorCommands } from './commands/monitor-commands.ts';
import { retrainCommands } from './commands/retrain-commands.ts';
import type { LatheFiles } from './lathe-files.ts';
import { safeJsonText, visible } from './terminal-text.ts';

// Startup time matters (scripts call the CLI in loops), so what this file and the command
// definitions import statically stays small: the core, the contract's schemas (zod) and the
// server are imported where a command first needs them. `--help` loads none of them.
export const commands: readonly CliCommand[] = [
  initCommand,
  dataImportCommand,
  dataListCommand,
  dataLogCommand,
  dataShowCommand,
  dataVerifyCommand,
  dataGcCommand,
  ...remoteCommands,
  runsListCommand,
  runsShowCommand,
  runsCompareCommand,
  runCommand,
  trainCommand,
  doctorCommand,
  ...modelsCommands,
  ...gatesCommands,
  modelsPackageCommand,
  modelsVerifyCommand,
  keysShowCommand,
  ...pipelineCommands,
  ...sweepCommands,
  serveCommand,
  agentPackCommand,
  agentCommand,
  ...targetCommands,
  ...deployCommands,
  ...simulateCommands,
  ...monitorCommands,
  ...alertCommands,
  ...retrainCommands,
];

const globalOptions: OptionSpec = {
  workspace: { type: 'string', short: 'w' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  version: string;
  files: LatheFiles;
}

/** Exit codes: 0 done, 1 the operation failed, 2 the command line was wrong. */
export async function runCli(argv: readonly string[], rawIo: CliIo): Promise<number | 'keep-running'> {
  // Lathe's own words and flags end at `--`; what follows is a command's (`lathe run -- python x.py --json`).
  const own = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const json = own.includes('--json');
  const io = safeIo(rawIo, json);
  const words = own.filter((arg) => !arg.startsWith('-'));
  const command = commands.find((c) => c.path.every((word, i) => words[i] === word));

  if (argv.length === 0 || (!command && (own.includes('--help') || own.includes('-h') || words[0] === 'help'))) {
    const topic = commands.find((c) => c.path.length > 1 && (c.path[0] === words[0] || c.path[0] === words[1]))?.path[0];
    io.out(overview(topic));
    return 0;
  }
  if (own.includes('--version') || own.includes('-v')) {
    io.out(json ? JSON.stringify({ version: io.version }) : `lathe ${io.version}`);
    return 0;
  }
  if (!command) {
    // The commands of the group the user named (`lathe pipeline …`), else every first word.
    const group = commands.filter((c) => c.path.length > 1 && c.path[0] === words[0]).map((c) => c.path[1]);
    const known = group.length ? `lathe ${words[0]} ${group.join('|')}` : `lathe ${[...new Set(commands.map((c) => c.path[0]))].join('|')}`;
    return usageError(io, json, `Unknown command "${visible(words.join(' ') || argv.join(' '))}". Try ${known}, or lathe --help.`);
  }

  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(argv.indexOf(command.path.at(-1)!) + 1), options: { ...globalOptions, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(io, json, `${(error as Error).message}\nUsage: ${command.usage}`);
  }
  if (parsed.values.help) {
    io.out(commandHelp(command));
    return 0;
  }

  let core: Promise<LatheCore> | undefined;
  const context: CliContext = {
    values: parsed.values,
    positionals: parsed.positionals,
    json,
    cwd: io.cwd,
    files: io.files,
    out: io.out,
    err: io.err,
    core: (frontDoor = 'cli') =>
      (core ??= import('../core/lathe-core.ts').then(({ createLatheCore }) =>
        createLatheCore({
          frontDoor,
          version: io.version,
          stateDir: defaultStateDir(),
          defaultWorkspace: defaultWorkspacePath(),
          resourcesDir: io.files.resourcesDir,
          scanWorker: io.files.scanWorker,
          // The bundle's workers sit side by side (npm run build makes both); from source, the core's own.
          trainingWorker: io.files.scanWorker && new URL('./training-worker.cjs', io.files.scanWorker),
          servingWorker: io.files.scanWorker && new URL('./serving-worker.cjs', io.files.scanWorker),
          mlflowHandler: mlflowForScripts,
        }),
      )),
    workspace: () => findWorkspace(io.cwd, parsed.values.workspace as string | undefined),
  };
  try {
    const result = await command.run(context);
    if (result === 'keep-running') {
      core = undefined; // the server owns it now
      return 'keep-running';
    }
    io.out(json ? JSON.stringify(result.json, null, 2) : result.human);
    return result.exitCode ?? 0;
  } catch (thrown) {
    const error = toLatheError(thrown);
    await report(io, json, error);
    return error.code === 'INVALID_INPUT' ? 2 : 1;
  } finally {
    if (core) await core.then((made) => made.close(), () => undefined);
  }
}

/**
 * What the CLI prints goes through here: text from data or a person (cells, messages, file names,
 * errors quoting them) must not drive the terminal. Human text keeps its line breaks, every other
 * control or bidi character is shown as an escape; JSON is the same value with them as \uXXXX.
 */
function safeIo(io: CliIo, json: boolean): CliIo {
  const human = (text: string) => visible(text, { lines: true });
  return { ...io, out: (text) => io.out(json ? safeJsonText(text) : human(text)), err: (text) => io.err(human(text)) };
}

async function report(io: CliIo, json: boolean, error: LatheError): Promise<void> {
  if (json) {
    io.out(JSON.stringify({ error }, null, 2));
    return;
  }
  // A file name or field in the location stays on its line: a line break in it is shown as \n.
  const { describeError } = await import('../../shared/contract/describe-error.ts');
  const location = error.location && {
    ...error.location,
    ...(error.location.file === undefined ? {} : { file: visible(error.location.file) }),
    ...(error.location.field === undefined ? {} : { field: visible(error.location.field) }),
  };
  io.err(`lathe: ${describeError({ ...error, location })}`);
}

async function usageError(io: CliIo, json: boolean, message: string): Promise<number> {
  await report(io, json, { code: 'INVALID_INPUT', message });
  return 2;
}

/** --workspace DIR, else the nearest folder upwards holding lathe.json. */
async function findWorkspace(cwd: string, flag: string | undefined): Promise<string> {
  if (flag) return resolve(cwd, flag);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    try {
      await access(join(dir, 'lathe.json'));
      return dir;
    } catch {
      if (dirname(dir) === dir) break;
    }
  }
  throw failure('NOT_A_WORKSPACE', `${cwd} is not inside a Lathe workspace.`, {
    hint: 'Pass --workspace DIR, cd into a workspace, or make one with `lathe init DIR`.',
  });
}

function overview(topic?: string): string {
  const shown = commands.filter((c) => !topic || c.path[0] === topic);
  // Commands grouped by their first word, each usage with its summary on the line below (usages run long).
  const groups = [...new Set(shown.map((c) => c.path[0]))];
  return [
    'lathe — the command line of Lathe, a local-first workbench for ML teams',
    '',
    'Usage:',
    ...groups.flatMap((group, index) => [
      ...(index > 0 ? [''] : []),
      ...shown.filter((c) => c.path[0] === group).flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    ]),
    '',
    'Every command takes:',
    '  --workspace, -w DIR   the workspace (default: the one enclosing the current folder)',
    '  --json                machine-readable output on stdout ({"error": …} on failure)',
    '  --help, -h            help for the command',
    '',
    'Exit codes: 0 done, 1 the operation failed, 2 the command line was wrong.',
  ].join('\n');
}

function commandHelp(command: CliCommand): string {
  const flags = Object.entries(command.options).map(([name, spec]) => `  --${name}${spec.short ? `, -${spec.short}` : ''}${spec.type === 'string' ? ' VALUE' : ''}`);
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    ...(command.details ? ['', command.details] : []),
    '',
    'Options:',
    ...flags,
    '  --workspace, -w DIR   the workspace (default: the one enclosing the current folder)',
    '  --json                machine-readable output',
    '  --help, -h            this help',
  ].join('\n');
}
