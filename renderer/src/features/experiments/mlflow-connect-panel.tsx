import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { LatheError } from '../../../../shared/contract/result.ts';
import type { TrackingEndpoint } from '../../../../shared/contract/tracking-endpoint.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { copyText } from './mlflow-connect-copy.ts';
import { DEFAULT_EXPERIMENT, exportLines, pythonSnippet, runsLandElsewhere } from './mlflow-connect-snippet.ts';
import './mlflow-connect.css';

/**
 * "Log from your code": where a notebook or a script run outside Lathe points MLflow — the two
 * `export` lines (the token masked until Show) and a five-line Python example, each with a copy
 * button. Runs logged that way appear in the runs table behind it.
 */
export function MlflowConnectPanel({ onClose }: { onClose: () => void }) {
  const { api } = useServices();
  const [endpoint, setEndpoint] = useState<TrackingEndpoint | null>(null);
  const [error, setError] = useState<LatheError | null>(null);
  const [revealed, setRevealed] = useState(false);
  const workspace = useLathe((state) => state.workspace?.path ?? null);
  const experiment = useLathe((state) => state.experiments.find((known) => known.id === state.runsQuery.experimentId)?.name ?? DEFAULT_EXPERIMENT);

  useEffect(() => {
    let live = true;
    void api.call('tracking:endpoint', {}).then((answer) => {
      if (!live) return;
      if (answer.ok) setEndpoint(answer.value);
      else setError(answer.error);
    });
    return () => {
      live = false;
    };
  }, [api]);

  const elsewhere = runsLandElsewhere(endpoint?.workspace ?? null, workspace);
  return (
    <ModalDialog label="Log from your code" onClose={onClose} wide>
      <div className="dialog__form mlflow-connect">
        <div>
          <h2 className="dialog__title">Log from your code</h2>
          <p className="dialog__lead">
            Lathe answers MLflow’s tracking API. Set these two variables where your code runs (a terminal, a notebook’s kernel), and what it logs with <code>mlflow</code> appears
            as runs in this table, live.
          </p>
        </div>
        {error ? <ErrorBanner error={error} title="Lathe could not say where MLflow should log" /> : null}
        {endpoint === null && error === null ? <p className="field__note">Asking Lathe for its tracking address…</p> : null}
        {endpoint ? (
          <>
            <Snippet
              label="Environment"
              shown={exportLines(endpoint, { revealToken: revealed })}
              copied={exportLines(endpoint)}
              extra={
                <button type="button" className="button button--ghost button--small" aria-pressed={revealed} onClick={() => setRevealed((now) => !now)}>
                  {revealed ? 'Hide token' : 'Show token'}
                </button>
              }
            />
            <Snippet label="Python" shown={pythonSnippet(experiment)} copied={pythonSnippet(experiment)} />
            <p className="field__note" data-testid="mlflow-connect-hint">
              {elsewhere ? (
                <>
                  <Icon name="alert" size={14} /> These runs go to <code>{elsewhere}</code>, the workspace Lathe opened last, not this one: open this one again (or that one) to see them.
                </>
              ) : (
                'Runs logged this way appear in this table. mlflow.set_experiment makes the experiment if it is new.'
              )}{' '}
              {endpoint.tokenScope === 'tracking'
                ? 'The token lets code log runs here and nothing else; it changes when Lathe restarts.'
                : 'This is lathe serve’s own token: it also opens the whole workspace and runs commands, so keep it out of notebooks you share; it changes when lathe serve restarts.'}{' '}
              Needs <code>pip install mlflow</code>.
            </p>
          </>
        ) : null}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}

/** A block of text with a copy button; `copied` may differ from what is shown (the real token behind the mask). */
function Snippet({ label, shown, copied, extra }: { label: string; shown: string; copied: string; extra?: ReactNode }) {
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  const text = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    if (await copyText(copied)) return setState('copied');
    // Neither clipboard worked: select the text so Ctrl+C copies it.
    const range = document.createRange();
    if (text.current) range.selectNodeContents(text.current);
    window.getSelection()?.removeAllRanges();
    window.getSelection()?.addRange(range);
    setState('select');
  }

  return (
    <section className="mlflow-connect__snippet" aria-label={label}>
      <div className="mlflow-connect__bar">
        <span className="field__label">{label}</span>
        {extra}
        <button type="button" className="button button--small" onClick={() => void copy()}>
          <Icon name={state === 'copied' ? 'check' : 'copy'} size={14} />
          {state === 'copied' ? 'Copied' : `Copy ${label.toLowerCase()}`}
        </button>
      </div>
      <pre ref={text} className="mlflow-connect__text">
        {shown}
      </pre>
      {state === 'select' ? <span className="field__note">The clipboard is not available here: the text is selected, press Ctrl+C (⌘C).</span> : null}
    </section>
  );
}
