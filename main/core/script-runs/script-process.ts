import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * A script's process tree: the command started without a shell, as the leader of a process
 * group of its own (`detached`), so everything it starts — a DataLoader's workers, a shell
 * script's children — can be stopped together by signalling the group.
 *
 * Stopping: SIGTERM to the group; the moment the leader exits, SIGKILL to whatever of the group
 * is left (a grandchild that ignored SIGTERM); if the leader has not exited after the grace
 * period, SIGKILL to the group. A leader that ends by itself also takes its group with it (SIGTERM,
 * then SIGKILL after the grace period): a finished run leaves nothing running behind it.
 */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ScriptProcess {
  readonly pid: number;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** The leader's exit. */
  readonly exited: Promise<ProcessExit>;
  /** Both pipes have closed (the group is gone, or let go of them). */
  readonly outputEnded: Promise<void>;
  /** SIGTERM to the group, SIGKILL once the leader exits or after `graceMs`; with `graceMs` 0 (or asked again so), SIGKILL at once. */
  stop(graceMs: number): void;
}

export interface StartProcess {
  /** The program's path (resolved) and the argv[0] it sees (as typed). */
  file: string;
  argv0: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** How long the rest of the group has to go after the leader ended by itself. */
  graceMs: number;
}

/** Start the process; fails (with the spawn error) when it could not be started at all. */
export async function startProcess(spec: StartProcess): Promise<ScriptProcess> {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(spec.file, spec.args, {
    argv0: spec.argv0,
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    shell: false,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const pid = child.pid!;
  let stopping = false;
  let killTimer: NodeJS.Timeout | null = null;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone already
    }
  };
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      if (stopping) {
        if (killTimer) clearTimeout(killTimer);
        signalGroup('SIGKILL');
      } else {
        signalGroup('SIGTERM');
        killTimer = setTimeout(() => signalGroup('SIGKILL'), spec.graceMs);
        killTimer.unref();
      }
      resolve({ code, signal });
    });
  });
  const ended = (stream: Readable) => new Promise<void>((resolve) => (stream.readableEnded || stream.destroyed ? resolve() : stream.once('close', resolve)));
  const outputEnded = Promise.all([ended(child.stdout), ended(child.stderr)]).then(() => {
    if (killTimer) clearTimeout(killTimer);
  });
  return {
    pid,
    stdout: child.stdout,
    stderr: child.stderr,
    exited,
    outputEnded,
    stop(graceMs) {
      if (stopping) {
        if (graceMs === 0) signalGroup('SIGKILL');
        return;
      }
      stopping = true;
      signalGroup('SIGTERM');
      if (graceMs === 0 || child.exitCode !== null || child.signalCode !== null) {
        signalGroup('SIGKILL');
        return;
      }
      killTimer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      killTimer.unref();
    },
  };
}
