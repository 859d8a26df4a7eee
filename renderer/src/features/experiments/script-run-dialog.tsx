import { useMemo, useState, type FormEvent } from 'react';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { goTo } from './experiments-route.ts';
import { createScriptRunCommands } from './script-run-commands.ts';
import { splitCommandLine } from './script-run-words.ts';
import './script-run.css';

/**
 * "Run a script…": a command line (split into words here and shown as such: it runs without a
 * shell), the experiment and the run's name. Start makes the run and opens its page, where its
 * output and metrics stream in.
 */
export function ScriptRunDialog({ onClose }: { onClose: () => void }) {
  const services = useServices();
  const scripts = useMemo(() => createScriptRunCommands(services), [services]);
  const experiments = useLathe((state) => state.experiments);
  // The experiment the runs table shows, if one is chosen there.
  const shown = useLathe((state) => state.experiments.find((known) => known.id === state.runsQuery.experimentId)?.name ?? '');
  const [line, setLine] = useState('');
  const [experiment, setExperiment] = useState(shown);
  const [name, setName] = useState('');
  const [cwd, setCwd] = useState('');
  const [showProblem, setShowProblem] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<LatheError | null>(null);
  const split = splitCommandLine(line);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!split.ok) {
      setShowProblem(true);
      return;
    }
    setStarting(true);
    setError(null);
    const started = await scripts.start({ command: split.words, experiment, name, cwd });
    setStarting(false);
    if (!started.ok) {
      setError(started.error);
      return;
    }
    onClose();
    goTo({ view: 'run', runId: started.value.runId });
  }

  return (
    <ModalDialog label="Run a script" onClose={onClose} wide>
      <form className="dialog__form script-run-dialog" onSubmit={(event) => void submit(event)}>
        <div>
          <h2 className="dialog__title">Run a script</h2>
          <p className="dialog__lead">
            Any command, tracked as a run: it starts in the workspace with <code>MLFLOW_TRACKING_URI</code> and <code>MLFLOW_RUN_ID</code> set, so what it logs with MLflow lands
            in this run, and its output becomes the run’s log.
          </p>
        </div>
        <label className="field">
          <span className="field__label">Command</span>
          <input
            className="input input--mono"
            value={line}
            autoFocus
            spellCheck={false}
            autoComplete="off"
            placeholder="python3 train.py --lr 0.01"
            aria-invalid={showProblem && !split.ok}
            aria-describedby="script-run-words"
            onChange={(event) => {
              setLine(event.target.value);
              setShowProblem(false);
              setError(null);
            }}
          />
          <span id="script-run-words" className={showProblem && !split.ok ? 'field__problem' : 'field__note'}>
            {split.ok ? (
              <span className="script-run-words" aria-label="The words the program gets">
                {split.words.map((word, i) => (
                  <code key={i} className="script-run-words__word">
                    {word === '' ? '""' : word}
                  </code>
                ))}
              </span>
            ) : showProblem || line.trim() !== '' ? (
              split.problem
            ) : (
              'Runs without a shell: quote words with spaces; no pipes, redirections or $VARS.'
            )}
          </span>
        </label>
        <div className="script-run-dialog__row">
          <label className="field">
            <span className="field__label">Experiment</span>
            <input className="input" list="script-run-experiments" value={experiment} placeholder="Default" autoComplete="off" onChange={(event) => setExperiment(event.target.value)} />
            <datalist id="script-run-experiments">
              {experiments.map((known) => (
                <option key={known.id} value={known.name} />
              ))}
            </datalist>
          </label>
          <label className="field">
            <span className="field__label">Run name (optional)</span>
            <input className="input" value={name} placeholder={split.ok ? defaultName(split.words) : 'the script’s file name'} autoComplete="off" onChange={(event) => setName(event.target.value)} />
          </label>
        </div>
        <label className="field">
          <span className="field__label">Folder (optional)</span>
          <input className="input input--mono" value={cwd} placeholder="the workspace" spellCheck={false} autoComplete="off" onChange={(event) => setCwd(event.target.value)} />
          <span className="field__note">Where it runs, relative to the workspace.</span>
        </label>
        {error ? <ErrorBanner error={error} title="Could not start the script" /> : null}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={starting}>
            {starting ? 'Starting…' : 'Start'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

/** The name the run gets when none is given (main's rule: the script's file name, else the program's). */
function defaultName(words: readonly string[]): string {
  const script = words.slice(1).find((word) => !word.startsWith('-') && /^[\w@%+=:,./-]+$/.test(word) && /[./]/.test(word));
  return (script ?? words[0] ?? '').split(/[\\/]/).filter(Boolean).at(-1) ?? '';
}
