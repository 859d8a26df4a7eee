import type { ScriptLog, ScriptLogEnd } from './script-log.ts';
import type { ProcessExit, ScriptProcess } from './script-process.ts';

/**
 * A started script watched to its end, the same for a run in this workspace (script-run.ts) and
 * one tracked on a `lathe serve` elsewhere (remote-script-run.ts): both pipes captured into the
 * capped log (the child's pipes pause while the log's file is behind), the leader's exit awaited,
 * the output still in the pipes read (a process that escaped the group holding them open is not
 * waited for past twice the grace period), and the log finished.
 */
export interface SupervisedEnd {
  exit: ProcessExit;
  durationMs: number;
  log: ScriptLogEnd;
}

export async function superviseScript(child: ScriptProcess, log: ScriptLog, graceMs: number, onExit: () => void = () => undefined): Promise<SupervisedEnd> {
  const startedAt = Date.now();
  const pipes = [child.stdout, child.stderr];
  const capture = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    if (log.write(stream, chunk)) return;
    for (const pipe of pipes) pipe.pause();
    void log.drained().then(() => pipes.forEach((pipe) => pipe.resume()));
  };
  child.stdout.on('data', capture('stdout'));
  child.stderr.on('data', capture('stderr'));
  const exit = await child.exited;
  const durationMs = Date.now() - startedAt;
  await Promise.race([child.outputEnded, new Promise((resolve) => setTimeout(resolve, graceMs * 2).unref())]);
  for (const pipe of pipes) pipe.destroy();
  onExit();
  return { exit, durationMs, log: await log.finish() };
}
