import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { failure } from '../../core/errors.ts';
import type { RemoteRunEnd } from '../../core/script-runs/remote-script-run.ts';
import type { CliContext, CommandOutput } from '../cli-command.ts';
import { stringOption } from '../option-values.ts';
import { visible } from '../terminal-text.ts';

/**
 * `lathe run --server URL -- CMD`: the run is made on a `lathe serve` elsewhere (no workspace on
 * this machine; --workspace is refused). The token comes from --token-file, else
 * LATHE_SERVER_TOKEN: never from the command line, where `ps` shows it, nor from the URL.
 */
async function serverToken(context: CliContext): Promise<string> {
  const file = stringOption(context, 'token-file');
  if (file === undefined) {
    const token = process.env.LATHE_SERVER_TOKEN?.trim();
    if (token) return token;
    throw failure('INVALID_INPUT', '--server needs the token `lathe serve` printed: put it in a file and pass --token-file FILE, or set LATHE_SERVER_TOKEN.', { location: { field: 'token-file' } });
  }
  const path = resolve(context.cwd, file);
  const token = (
    await readFile(path, 'utf8').catch(() => {
      throw failure('NOT_FOUND', `--token-file ${visible(file)}: there is no readable file at ${visible(path)}.`, { location: { file: path } });
    })
  ).trim();
  if (!token) throw failure('INVALID_INPUT', `--token-file ${visible(file)} is empty; it should hold the token \`lathe serve\` printed.`, { location: { file: path } });
  return token;
}

export async function runOnServer(context: CliContext, command: string[], echo: { text(text: string): void; end(): void }, exitCodeOf: (end: RemoteRunEnd) => number): Promise<CommandOutput> {
  if (context.values.workspace !== undefined) throw failure('INVALID_INPUT', '--server and --workspace do not go together: with --server the run is kept by that server, not a workspace here.', { location: { field: 'workspace' } });
  const [{ startRemoteRun }, { defaultScriptRunLimits }, { queryNvidiaSmi }, { serverOrigin }] = await Promise.all([
    import('../../core/script-runs/remote-script-run.ts'),
    import('../../core/script-runs/script-run.ts'),
    import('../../core/script-runs/gpu-sampler.ts'),
    import('../../core/script-runs/remote-tracking.ts'),
  ]);
  const server = serverOrigin(stringOption(context, 'server')!);
  const token = await serverToken(context);
  const cwd = resolve(context.cwd, stringOption(context, 'cwd') ?? '.');
  const experiment = stringOption(context, 'experiment');
  const name = stringOption(context, 'name');
  const active = await startRemoteRun(
    { limits: defaultScriptRunLimits, queryGpus: queryNvidiaSmi, env: process.env, output: (text) => echo.text(text), ...remoteTuning() },
    { server, token, command, cwd, ...(experiment === undefined ? {} : { experiment }), ...(name === undefined ? {} : { name }) },
  );
  const { started } = active;
  context.err(`Run ${started.runId} (${visible(started.runName)}) started on ${started.trackingUri}: ${visible(started.commandLine)}  (Ctrl-C to stop it)`);
  let asked = 0;
  const cancel = () => {
    asked++;
    if (asked === 1) context.err(`Stopping run ${started.runId}: SIGTERM to the command and what it started, SIGKILL in 5 s (Ctrl-C again: at once)…`);
    if (asked === 2) context.err(`Killing run ${started.runId} now (SIGKILL)…`);
    active.cancel(asked > 1);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, cancel);
  try {
    const end = await active.ended;
    echo.end();
    if (end.warning) context.err(`lathe: warning: ${visible(end.warning)}`);
    const how = end.status === 'FINISHED' ? 'FINISHED' : `${end.status}: ${end.message ?? ''}`;
    const human = `Run ${started.runId} (${visible(started.runName)}) ${how}\n  on ${started.trackingUri} · took ${(end.durationMs / 1000).toFixed(1)} s · log ${end.logBytes.toLocaleString('en')} bytes${end.reported ? '' : ` · NOT sent: kept at ${end.keptLog}`}`;
    return { json: { ...started, ...end }, human, exitCode: exitCodeOf(end) };
  } finally {
    for (const signal of signals) process.off(signal, cancel);
  }
}

/** Tests shorten the retries (LATHE_RUN_RETRY_DELAY_MS=0): failures drive them, not the clock. */
function remoteTuning(): { retryDelayMs?: number } {
  const delay = Number(process.env.LATHE_RUN_RETRY_DELAY_MS);
  return Number.isFinite(delay) && delay >= 0 && process.env.LATHE_RUN_RETRY_DELAY_MS !== undefined ? { retryDelayMs: delay } : {};
}
