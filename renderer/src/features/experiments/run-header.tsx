import { useState } from 'react';
import type { JobInfo } from '../../../../shared/contract/jobs.ts';
import type { RunDetail } from '../../../../shared/contract/runs.ts';
import { Icon } from '../../components/icon.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { canReproduce } from './reproduce-commands.ts';
import { canRegister } from '../models/register-model.ts';
import { RegisterModelDialog } from '../models/register-model-dialog.tsx';
import { hashOf } from './experiments-route.ts';
import { isScriptRun } from './script-run-commands.ts';
import { StatusBadge } from './status-badge.tsx';

/** Why a run failed, as Lathe recorded it (a run left RUNNING by a process that died, a training error), with what to do. */
export function failureOf(run: RunDetail): string | null {
  const why = run.systemTags['lathe.failure'] ?? run.tags['error'] ?? null;
  const hint = run.systemTags['lathe.failure.hint'];
  return why && hint ? `${why} ${hint}` : why;
}

/** A run's name and status, and what can be done to it: cancel its training, delete or restore it. */
export function RunHeader({ run, job }: { run: RunDetail; job: JobInfo | null }) {
  const { experimentCommands } = useServices();
  const [busy, setBusy] = useState<'cancel' | 'delete' | 'restore' | 'reproduce' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const deleted = run.lifecycle === 'deleted';
  const failure = run.status === 'FAILED' ? failureOf(run) : null;

  const reproducing = useLathe((state) => state.reproductions[run.id] ?? null);

  async function act(what: 'cancel' | 'delete' | 'restore' | 'reproduce') {
    setBusy(what);
    setProblem(null);
    const outcome =
      what === 'cancel'
        ? await experimentCommands.runPage.cancelRun(run.id)
        : what === 'delete'
          ? await experimentCommands.deleteRun(run.id)
          : what === 'restore'
            ? await experimentCommands.restoreRun(run.id)
            : await experimentCommands.reproduction.reproduce(run.id);
    setBusy(null);
    if (!outcome.ok && outcome.message) setProblem(outcome.message);
  }

  return (
    <header className="page-header run-header">
      <a className="page-header__back" href={hashOf({ view: 'runs' })}>
        <Icon name="arrowLeft" size={14} />
        Runs
      </a>
      <div className="page-header__title-row">
        <h1 className="page-header__title">{run.name}</h1>
        <StatusBadge status={run.status} deleted={deleted} />
        <span className="run-header__experiment">in {run.experimentName}</span>
        {run.status === 'RUNNING' && job?.progress?.message ? <span className="run-header__progress num">{job.progress.message}</span> : null}
        <div className="page-header__actions">
          {run.status === 'RUNNING' && !deleted ? (
            <button
              type="button"
              className="button button--small"
              disabled={busy !== null || (job === null && !isScriptRun(run))}
              title={isScriptRun(run) ? 'Stop the script and everything it started; the run ends as KILLED' : job === null ? 'This run is not trained by a job of this Lathe (another process or an MLflow client drives it).' : 'Stop training; the run ends as KILLED'}
              onClick={() => void act('cancel')}
            >
              <Icon name="stop" size={14} />
              {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : null}
          {canReproduce(run) ? (
            <button
              type="button"
              className="button button--small"
              disabled={busy !== null || (reproducing !== null && reproducing.report === null && reproducing.error === null)}
              title="Train again with the same dataset version, knobs and seed, and check the test metrics match"
              onClick={() => void act('reproduce')}
            >
              <Icon name="repeat" size={14} />
              {busy === 'reproduce' ? 'Starting…' : 'Reproduce'}
            </button>
          ) : null}
          {canRegister(run) ? (
            <button type="button" className="button button--small" title="Make this run's model a version of a named model" onClick={() => setRegistering(true)}>
              <Icon name="models" size={14} />
              Register model…
            </button>
          ) : null}
          {deleted ? (
            <button type="button" className="button button--small" disabled={busy !== null} onClick={() => void act('restore')}>
              <Icon name="restore" size={14} />
              Restore
            </button>
          ) : (
            <button type="button" className="button button--small button--ghost" disabled={busy !== null} title="Delete the run (it can be restored)" onClick={() => void act('delete')}>
              <Icon name="trash" size={14} />
              Delete
            </button>
          )}
        </div>
      </div>
      {deleted ? <p className="run-header__note">This run is deleted: it is kept, but no longer listed. Restore it to list it again.</p> : null}
      {run.status === 'KILLED' && run.systemTags['lathe.killed'] ? <p className="run-header__note">Stopped: {run.systemTags['lathe.killed']}</p> : null}
      {failure || run.status === 'FAILED' ? (
        <div className="run-header__failure" role="note">
          <Icon name="alert" size={15} />
          <span>
            <strong>The run failed.</strong> {failure ?? 'No reason was recorded.'}
          </span>
        </div>
      ) : null}
      {problem ? (
        <p className="run-header__problem" role="alert">
          {problem}
        </p>
      ) : null}
      {registering ? <RegisterModelDialog run={run} onClose={() => setRegistering(false)} /> : null}
    </header>
  );
}
