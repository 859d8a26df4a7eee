import type { LatheError, Result } from '../../../../shared/contract/result.ts';
import type { ScriptLogPage } from '../../../../shared/contract/script-runs.ts';
import { tailFromPage, tailWithOutput, type LogTail } from './script-run-log-tail.ts';

type Output = { from: number; text: string };

export interface LogSources {
  /** The end of the log (scripts:log). */
  readLog: () => Promise<Result<ScriptLogPage>>;
  /** Output as it comes (scripts:output); returns the unsubscribe function. */
  followOutput: (listener: (output: Output) => void) => () => void;
}

/**
 * Follow a script run's log: read its end, then add output as it comes. Output that arrives
 * while a page is on its way waits and is added after it (what the page already holds is
 * skipped by offset), so nothing printed between the read and the page's arrival is lost; a
 * gap (output skipped while the script flooded) reads the end again. A few tries catch up with
 * output not yet on disk; after that (a log whose file stopped on a full disk) what is on disk is
 * shown. Returns the function that stops following.
 */
export function followLog(sources: LogSources, live: boolean, show: (tail: LogTail) => void, fail: (error: LatheError) => void): () => void {
  let current: LogTail | null = null;
  let waiting: Output[] = [];
  let stopped = false;
  let reading = false;
  let again = false;
  const add = (output: Output): boolean => {
    const next = current && tailWithOutput(current, output);
    if (!next) return false;
    current = next;
    return true;
  };
  const read = async () => {
    if (reading) return void (again = true);
    reading = true;
    let tries = 0;
    do {
      again = false;
      const page = await sources.readLog();
      if (stopped) return;
      if (page.ok) {
        current = tailFromPage(page.value);
        waiting = waiting.filter((output) => !add(output));
        again ||= waiting.length > 0;
        show(current);
      } else fail(page.error);
    } while (again && ++tries < 3);
    waiting = [];
    reading = false;
  };
  const unsubscribe = live
    ? sources.followOutput((output) => {
        if (reading) return void waiting.push(output);
        if (add(output)) show(current!);
        else {
          waiting = [output];
          void read();
        }
      })
    : () => {};
  void read();
  return () => {
    stopped = true;
    unsubscribe();
  };
}
