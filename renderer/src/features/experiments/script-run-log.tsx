import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LatheError } from '../../../../shared/contract/result.ts';
import type { RunDetail } from '../../../../shared/contract/runs.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { useServices } from '../../app/services-context.tsx';
import { createScriptRunCommands, isScriptRun } from './script-run-commands.ts';
import { followLog } from './script-run-log-follower.ts';
import type { LogTail } from './script-run-log-tail.ts';
import './script-run.css';

/** A script run's page: what ran (command, folder, exit, GPUs) and the end of its output, live while it runs. */
export function ScriptRunLog({ run }: { run: RunDetail }) {
  return isScriptRun(run) ? <ScriptRunOutput run={run} /> : null;
}

function ScriptRunOutput({ run }: { run: RunDetail }) {
  const services = useServices();
  const scripts = useMemo(() => createScriptRunCommands(services), [services]);
  const [tail, setTail] = useState<LogTail | null>(null);
  const [error, setError] = useState<LatheError | null>(null);
  const running = run.status === 'RUNNING';
  const tags = run.systemTags;

  // The end of the log, then its output as it comes; once the run has ended, the whole log again (from its artifact).
  useEffect(
    () =>
      followLog(
        { readLog: () => scripts.readLog(run.id), followOutput: (listener) => scripts.followOutput(run.id, listener) },
        running,
        (shown) => {
          setTail(shown);
          setError(null);
        },
        setError,
      ),
    [scripts, run.id, running],
  );

  // Follow the end while the reader is there; leave the scroll alone once they scroll up.
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useLayoutEffect(() => {
    if (pinned.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [tail]);

  const exit = tags['lathe.exit_code'] ?? (tags['lathe.signal'] ? tags['lathe.signal'] : null);
  const dropped = Number(tags['lathe.log.dropped'] ?? 0);
  return (
    <section className="run-section script-run-log" aria-labelledby="script-run-log-title">
      <h2 id="script-run-log-title" className="run-section__title">
        Output
        {running ? <span className="live-dot" title="Updating live as the script prints" aria-label="live" /> : null}
      </h2>
      <dl className="script-run-log__facts">
        <div>
          <dt>Command</dt>
          <dd className="mono">{tags['lathe.command']}</dd>
        </div>
        <div>
          <dt>Folder</dt>
          <dd className="mono">{tags['lathe.cwd']}</dd>
        </div>
        {exit !== null ? (
          <div>
            <dt>Exit</dt>
            <dd className="mono">{tags['lathe.exit_code'] !== undefined ? `code ${tags['lathe.exit_code']}` : `ended by ${exit}`}</dd>
          </div>
        ) : null}
        {tags['lathe.gpus'] ? (
          <div>
            <dt>GPUs</dt>
            <dd>{tags['lathe.gpus']}</dd>
          </div>
        ) : null}
      </dl>
      {error ? <ErrorBanner error={error} title="Could not read the output" /> : null}
      {tail && tail.hidden > 0 ? (
        <p className="script-run-log__note">
          Showing the last {Math.round((tail.next - tail.hidden) / 1024)} KB of {Math.round(tail.next / 1024)} KB{running ? ' so far' : ''}
          {!running ? '; the whole log is the artifact logs/output.txt' : ''}.
        </p>
      ) : null}
      {dropped > 0 ? <p className="script-run-log__note">{dropped.toLocaleString('en')} bytes of output were dropped past the log’s cap (its first 9 MB and last 1 MB are kept).</p> : null}
      <pre
        ref={box}
        className="script-run-log__text"
        tabIndex={0}
        aria-label="Script output"
        aria-busy={tail === null}
        onScroll={(event) => {
          const element = event.currentTarget;
          pinned.current = element.scrollTop + element.clientHeight >= element.scrollHeight - 24;
        }}
      >
        {tail === null ? '' : tail.text || (running ? 'No output yet.' : 'The script printed nothing.')}
      </pre>
    </section>
  );
}
