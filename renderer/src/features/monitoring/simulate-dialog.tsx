import { useEffect, useState, type FormEvent } from 'react';
import type { JobInfo } from '../../../../shared/contract/jobs.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { describeDrift, type InjectedDrift, type SimulationResult } from '../../../../shared/contract/simulate.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { useServices } from '../../app/services-context.tsx';
import { useAnswer } from '../models/use-answer.ts';
import { useWorkspacePath } from '../deployments/use-deploy.ts';
import { useMonitoringCommands } from './monitoring-commands.ts';
import { emptyDrift, initialDraft, readSimulateDraft, type DraftProblems, type DriftDraft, type SimulateDraft, type SimulateRequest } from './simulate-form.ts';

/** The simulation's job as main last reported it (progress, then how it ended). */
function useJob(jobId: string | null): JobInfo | null {
  const { api } = useServices();
  const [job, setJob] = useState<JobInfo | null>(null);
  useEffect(() => (jobId === null ? undefined : api.on('jobs:changed', (changed) => (changed.id === jobId ? setJob(changed) : undefined))), [api, jobId]);
  return job;
}

/**
 * "Simulate traffic": a dataset version's rows sent to this deployment as real requests, paced,
 * with drift injected into chosen columns and, if asked, their true labels later (some replaced
 * by another class). It runs as a job: progress here, cancel here; it goes on if the dialog closes.
 */
export function SimulateDialog({ deployment, onClose }: { deployment: string; onClose: () => void }) {
  const commands = useMonitoringCommands();
  const workspace = useWorkspacePath();
  const datasets = useAnswer(workspace, () => commands.datasets());
  const [typed, setDraft] = useState<SimulateDraft>(initialDraft());
  // Until one is chosen: the first dataset at its newest version.
  const first = datasets.loaded.state === 'ready' ? datasets.loaded.value[0] : undefined;
  const draft = typed.dataset === '' && first ? { ...typed, dataset: first.name, version: String(first.latest.version) } : typed;
  const versions = useAnswer(workspace && draft.dataset ? `${workspace}\n${draft.dataset}` : null, () => commands.datasetVersions(draft.dataset));
  const [problems, setProblems] = useState<DraftProblems>({});
  const [error, setError] = useState<LatheError | null>(null);
  const [started, setStarted] = useState<{ result: SimulationResult; request: SimulateRequest } | null>(null);
  const [starting, setStarting] = useState(false);
  const job = useJob(started?.result.jobId ?? null);

  const change = (patch: Partial<SimulateDraft>) => {
    setDraft({ ...draft, ...patch });
    setProblems({});
    setError(null);
  };
  const changeDrift = (index: number, patch: Partial<DriftDraft>) => change({ drifts: draft.drifts.map((row, i) => (i === index ? { ...row, ...patch } : row)) });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const read = readSimulateDraft(draft, deployment);
    if ('problems' in read) {
      setProblems(read.problems);
      return;
    }
    setStarting(true);
    const result = await commands.simulate(read.request);
    setStarting(false);
    if (!result.ok) setError(result.error);
    else setStarted({ result: result.value, request: read.request });
  }

  const status = job?.status ?? started?.result.status ?? null;
  const running = status === 'running';
  return (
    <ModalDialog label="Simulate traffic" onClose={onClose} wide>
      <form className="dialog__form simulate-dialog" onSubmit={(event) => void submit(event)}>
        <div>
          <h2 className="dialog__title">Simulate traffic</h2>
          <p className="dialog__lead">
            Sends a dataset version’s rows to <span className="mono">{deployment}</span> as real inference requests, with drift injected where you say, and their true labels
            later if you ask — to see drift, accuracy and alerts work before real traffic arrives.
          </p>
        </div>
        {started ? (
          <SimulationProgress started={started.result} drift={started.request.drift ?? []} job={job} />
        ) : (
          <>
            <div className="simulate-dialog__row">
              <label className="field">
                <span className="field__label">Dataset</span>
                <select className="input" value={draft.dataset} onChange={(event) => change({ dataset: event.target.value, version: '' })} aria-invalid={problems.dataset !== undefined}>
                  {datasets.loaded.state === 'ready' && datasets.loaded.value.length === 0 ? <option value="">No datasets in this workspace</option> : null}
                  {datasets.loaded.state === 'ready' ? datasets.loaded.value.map((one) => <option key={one.name} value={one.name}>{one.name}</option>) : <option value="">Loading…</option>}
                </select>
                {problems.dataset ? <span className="field__problem">{problems.dataset}</span> : null}
              </label>
              <label className="field">
                <span className="field__label">Version</span>
                <select className="input" value={draft.version} onChange={(event) => change({ version: event.target.value })} aria-invalid={problems.version !== undefined}>
                  <option value="">Choose…</option>
                  {versions.loaded.state === 'ready'
                    ? versions.loaded.value.map((one) => (
                        <option key={one.version} value={String(one.version)}>
                          {`@${one.version} · ${one.rows} rows`}
                        </option>
                      ))
                    : null}
                </select>
                {problems.version ? <span className="field__problem">{problems.version}</span> : null}
              </label>
              <NumberField label="Requests per second" value={draft.rate} problem={problems.rate} onChange={(rate) => change({ rate })} />
              <NumberField label="Duration (seconds)" value={draft.duration} problem={problems.duration} onChange={(duration) => change({ duration })} />
            </div>
            <fieldset className="simulate-dialog__drifts">
              <legend>Drift</legend>
              {draft.drifts.length === 0 ? <p className="faint">None: the rows are sent as they are.</p> : null}
              {draft.drifts.map((row, index) => (
                <DriftRow key={index} index={index} row={row} problem={problems[`drift.${index}`]} onChange={(patch) => changeDrift(index, patch)} onRemove={() => change({ drifts: draft.drifts.filter((_, i) => i !== index) })} />
              ))}
              <button type="button" className="button button--small" onClick={() => change({ drifts: [...draft.drifts, emptyDrift] })}>
                Add drift
              </button>
            </fieldset>
            <fieldset className="simulate-dialog__labels">
              <legend>Labels</legend>
              <label className="simulate-dialog__check">
                <input type="checkbox" checked={draft.sendLabels} onChange={(event) => change({ sendLabels: event.target.checked })} />
                Send the true labels to the feedback endpoint
              </label>
              {draft.sendLabels ? (
                <div className="simulate-dialog__row">
                  <NumberField label="Labels after (seconds)" value={draft.labelsAfter} problem={problems.labelsAfter} onChange={(labelsAfter) => change({ labelsAfter })} />
                  <NumberField label="Label noise (%)" value={draft.labelNoisePercent} problem={problems.labelNoisePercent} onChange={(labelNoisePercent) => change({ labelNoisePercent })} />
                </div>
              ) : null}
            </fieldset>
          </>
        )}
        {error ? <ErrorBanner error={error} title="Could not start the simulation" /> : null}
        <div className="dialog__actions">
          {started && running ? (
            <button type="button" className="button" onClick={() => void commands.cancelJob(started.result.jobId)}>
              Cancel simulation
            </button>
          ) : null}
          <button type="button" className="button" onClick={onClose}>
            {started ? 'Close' : 'Cancel'}
          </button>
          {!started ? (
            <button type="submit" className="button button--primary" disabled={starting}>
              {starting ? 'Starting…' : 'Start'}
            </button>
          ) : null}
        </div>
      </form>
    </ModalDialog>
  );
}

function NumberField({ label, value, problem, onChange }: { label: string; value: string; problem: string | undefined; onChange: (value: string) => void }) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <input className="input num" inputMode="decimal" value={value} aria-invalid={problem !== undefined} onChange={(event) => onChange(event.target.value)} />
      {problem ? <span className="field__problem">{problem}</span> : null}
    </label>
  );
}

function DriftRow({ index, row, problem, onChange, onRemove }: { index: number; row: DriftDraft; problem: string | undefined; onChange: (patch: Partial<DriftDraft>) => void; onRemove: () => void }) {
  return (
    <div className="simulate-drift" role="group" aria-label={`Drift ${index + 1}`}>
      <input className="input" aria-label="Column" placeholder="column" value={row.column} onChange={(event) => onChange({ column: event.target.value })} />
      <select className="input" aria-label="Change" value={row.kind} onChange={(event) => onChange({ kind: event.target.value as DriftDraft['kind'] })}>
        <option value="shift">shift by</option>
        <option value="scale">scale by</option>
        <option value="categories">replace category</option>
      </select>
      {row.kind === 'categories' ? (
        <>
          <input className="input" aria-label="From" placeholder="from" value={row.from} onChange={(event) => onChange({ from: event.target.value })} />
          <input className="input" aria-label="To" placeholder="to" value={row.to} onChange={(event) => onChange({ to: event.target.value })} />
        </>
      ) : (
        <input className="input num" aria-label="By" inputMode="decimal" placeholder={row.kind === 'shift' ? '+10' : '×1.5'} value={row.by} onChange={(event) => onChange({ by: event.target.value })} />
      )}
      <button type="button" className="button button--small button--ghost" onClick={onRemove}>
        Remove
      </button>
      {problem ? <span className="field__problem simulate-drift__problem">{problem}</span> : null}
    </div>
  );
}

function SimulationProgress({ started, drift, job }: { started: SimulationResult; drift: readonly InjectedDrift[]; job: JobInfo | null }) {
  const status = job?.status ?? started.status;
  const done = job?.progress?.done ?? started.sent;
  const total = job?.progress?.total ?? started.planned;
  return (
    <div className="simulate-progress" aria-label="Simulation">
      <p className="simulate-progress__what">
        {started.dataset} → <span className="mono">{started.deployment}</span>: {started.rate} requests/s for {started.duration} s
        {drift.length > 0 ? `, drift: ${drift.map(describeDrift).join('; ')}` : ', no drift'}
        {started.labelColumn ? `; labels from ${started.labelColumn}` : ''}
      </p>
      {status === 'running' ? <ProgressBar value={done} max={total} label="Requests sent" /> : null}
      <p className="simulate-progress__status" role="status" aria-label="Simulation status">
        {status === 'running' ? `Sending… ${done} of ${total ?? '?'}` : status === 'finished' ? 'Finished' : status === 'cancelled' ? 'Cancelled' : 'Failed'}
        {job?.progress?.message ? ` · ${job.progress.message}` : ''}
      </p>
      {job?.error ? <ErrorBanner error={job.error} title="The simulation stopped" /> : null}
    </div>
  );
}
