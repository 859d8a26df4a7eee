import type { Result } from '../../../../shared/contract/result.ts';
import type { ScriptLogPage, ScriptStarted } from '../../../../shared/contract/script-runs.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';
import { TAIL_BYTES } from './script-run-log-tail.ts';

/** What "Run a script" and a script run's page ask of main: start one, read its log, follow its output, stop it. */
export function createScriptRunCommands({ api, store }: { api: Pick<LatheApi, 'call' | 'on'>; store: LatheStore }) {
  const workspacePath = () => store.getState().workspace?.path ?? null;
  const noWorkspace = { ok: false, error: { code: 'NOT_A_WORKSPACE', message: 'Open a workspace first: a script runs in one.' } } as const;

  async function start(request: { command: string[]; experiment: string; name: string; cwd: string }): Promise<Result<ScriptStarted>> {
    const workspace = workspacePath();
    if (!workspace) return noWorkspace;
    return api.call('scripts:start', {
      workspace,
      command: request.command,
      ...(request.experiment.trim() ? { experiment: request.experiment.trim() } : {}),
      ...(request.name.trim() ? { name: request.name.trim() } : {}),
      ...(request.cwd.trim() ? { cwd: request.cwd.trim() } : {}),
    });
  }

  /** The end of the log (or from a byte offset). */
  async function readLog(runId: string, from = -TAIL_BYTES): Promise<Result<ScriptLogPage>> {
    const workspace = workspacePath();
    if (!workspace) return noWorkspace;
    return api.call('scripts:log', { workspace, runId, from });
  }

  /** Output of one run as it comes; returns the unsubscribe function. */
  function followOutput(runId: string, listener: (output: { from: number; text: string }) => void): () => void {
    return api.on('scripts:output', (output) => {
      // Output past the log's cap is not in its file: the page stops following there (it says so).
      if (output.runId === runId && output.workspace === workspacePath() && !output.pastCap) listener(output);
    });
  }

  async function cancel(runId: string): Promise<{ ok: boolean; message?: string }> {
    const workspace = workspacePath();
    if (!workspace) return { ok: false };
    const result = await api.call('scripts:cancel', { workspace, runId });
    return result.ok ? { ok: true } : { ok: false, message: result.error.message };
  }

  return { start, readLog, followOutput, cancel };
}

export type ScriptRunCommands = ReturnType<typeof createScriptRunCommands>;

/** Whether a run is a script run (lathe run, "Run a script"). */
export function isScriptRun(run: { systemTags: Record<string, string> }): boolean {
  return run.systemTags['lathe.source'] === 'script';
}
