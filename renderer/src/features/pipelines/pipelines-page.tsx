import { useLathe } from '../../app/services-context.tsx';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { formatDuration, plannedSteps } from './live-run.ts';
import { PipelineEditor } from './pipeline-editor.tsx';
import { RunHistory } from './run-history.tsx';
import { StepList } from './step-list.tsx';
import { usePipelinePage } from './use-pipeline-page.ts';
import './pipelines.css';

const runWords = { running: 'Running', passed: 'Passed', failed: 'Failed', cancelled: 'Cancelled', interrupted: 'Interrupted' } as const;

/**
 * The Pipelines area: lathe.pipeline.json edited as JSON (checked as you type, each problem at
 * its line), saved as a commit, run — its steps going pending → running → passed or failed, with
 * durations and logs — and every earlier run, kept.
 */
export function PipelinesPage() {
  const workspace = useLathe((state) => state.workspace?.path ?? null);
  return <PipelinesView key={workspace ?? ''} />;
}

function PipelinesView() {
  const page = usePipelinePage();
  const { file, check, shown } = page;
  const errors = page.problems.filter((problem) => problem.severity === 'error').length;
  const running = shown?.status === 'running';
  const steps = shown ? shown.steps : plannedSteps(check.spec ?? file?.spec ?? null);
  const name = check.spec?.name ?? file?.spec?.name ?? 'Pipeline';

  return (
    <main className="pipelines-page" aria-label="Pipelines">
      <header className="pipelines-head">
        <div className="pipelines-head__title">
          <h1>{name}</h1>
          <p className="pipelines-head__file">
            <code>lathe.pipeline.json</code>
            {file === null ? null : !file.exists ? (
              <span className="pipelines-head__state" data-state="new">
                a starting point built from your data — not saved yet
              </span>
            ) : page.unsaved ? (
              <span className="pipelines-head__state" data-state="unsaved">
                unsaved changes
              </span>
            ) : file.uncommitted ? (
              <span className="pipelines-head__state" data-state="unsaved">
                edited on disk, not committed — Save commits it
              </span>
            ) : (
              <span className="pipelines-head__state">saved and committed</span>
            )}
          </p>
        </div>
        <div className="pipelines-head__actions">
          {page.unsaved && file?.exists ? (
            <button type="button" className="button button--ghost" onClick={page.revert} disabled={page.busy !== null}>
              Revert
            </button>
          ) : null}
          <button type="button" className="button" onClick={() => void page.save()} disabled={page.busy !== null || errors > 0 || !(page.unsaved || file?.uncommitted)}>
            {page.busy === 'saving' ? 'Saving…' : 'Save'}
          </button>
          {running ? (
            <button type="button" className="button" onClick={() => void page.cancel()}>
              <Icon name="stop" size={14} /> Cancel run
            </button>
          ) : (
            <button type="button" className="button button--primary" onClick={() => void page.run()} disabled={page.busy !== null || errors > 0 || file === null} title={errors > 0 ? 'Fix the errors first' : page.unsaved ? 'Saves, then runs' : undefined}>
              <Icon name="repeat" size={14} /> {page.busy === 'starting' ? 'Starting…' : page.unsaved ? 'Save and run' : 'Run'}
            </button>
          )}
        </div>
      </header>

      {page.error ? <ErrorBanner title={page.error.title} error={page.error.error} fileName="lathe.pipeline.json" onDismiss={page.dismissError} /> : null}

      <div className="pipelines-body">
        <section className="pipelines-pane" aria-label="Pipeline definition">
          <h2 className="pipelines-pane__title">Definition</h2>
          {file === null ? <p className="pipelines-pane__note">Reading lathe.pipeline.json…</p> : <PipelineEditor text={page.text} problems={page.problems} onChange={page.edit} />}
        </section>

        <section className="pipelines-pane" aria-label="Pipeline run">
          <div className="pipelines-run-head">
            <h2 className="pipelines-pane__title">{shown ? 'Run' : 'Steps'}</h2>
            {shown ? (
              <p className="pipelines-run-head__facts" data-status={shown.status}>
                <span className="pipelines-run-head__status">{runWords[shown.status]}</span>
                <span>started {formatDateTime(shown.startedAt)}</span>
                {shown.durationMs !== null ? <span>took {formatDuration(shown.durationMs)}</span> : null}
                <code title="Run id">{shown.id}</code>
              </p>
            ) : (
              <p className="pipelines-run-head__facts">Not run yet — Run goes through these in order and stops at the first that fails.</p>
            )}
          </div>
          {shown?.error && shown.status !== 'running' && !shown.steps.some((step) => step.error) ? <p className="pipelines-run-error">{shown.error.message}{shown.error.hint ? ` ${shown.error.hint}` : ''}</p> : null}
          <StepList runId={shown?.id ?? null} steps={steps} spec={check.spec ?? file?.spec ?? null} />

          <h2 className="pipelines-pane__title pipelines-pane__title--spaced">Past runs</h2>
          {page.runs === null ? <p className="pipelines-pane__note">Reading the runs…</p> : <RunHistory runs={page.runs} shownId={shown?.id ?? null} onShow={page.showRun} />}
        </section>
      </div>
    </main>
  );
}
