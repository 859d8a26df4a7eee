import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ColumnProfile } from '../../../../shared/contract/datasets.ts';
import type { LatheError, Result } from '../../../../shared/contract/result.ts';
import type { TrainingPlan } from '../../../../shared/contract/training.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { formatCount } from '../../lib/format.ts';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { selectSortedDatasets } from '../datasets/selectors.ts';
import { emptyForm, toStartInput, type FormProblems, type NewRunForm } from './new-run-form.ts';
import { createTrainingCommands } from './training-commands.ts';
import './new-run-dialog.css';

type Loaded<T> = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; error: LatheError };
type Answer<T> = { key: string; result: Result<T> };

function loaded<T>(key: string | null, answer: Answer<T> | null): Loaded<T> {
  if (key === null) return { state: 'idle' };
  if (answer?.key !== key) return { state: 'loading' };
  return answer.result.ok ? { state: 'ready', value: answer.result.value } : { state: 'failed', error: answer.result.error };
}

/**
 * "New run": a dataset version, the column to predict, a model and its knobs. What training will
 * do (the task, the features it uses and the columns it leaves out, the split) is shown before
 * anything runs; Start hands over to the run's page, where the curves move as it trains.
 */
export function NewRunDialog({ dataset: initialDataset, onClose }: { dataset?: string; onClose: () => void }) {
  const services = useServices();
  const training = useMemo(() => createTrainingCommands(services), [services]);
  const datasets = useLathe(useShallow(selectSortedDatasets));
  const [form, setForm] = useState<NewRunForm>(() => emptyForm(initialDataset ?? datasets[0]?.name ?? ''));
  const [columnsAnswer, setColumnsAnswer] = useState<Answer<ColumnProfile[]> | null>(null);
  const [planAnswer, setPlanAnswer] = useState<Answer<TrainingPlan> | null>(null);
  const [problems, setProblems] = useState<FormProblems>({});
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<LatheError | null>(null);
  const [moreOpen, setMoreOpen] = useState(false);
  const summary = datasets.find((d) => d.name === form.dataset);
  const update = (change: Partial<NewRunForm>) => {
    setForm((current) => ({ ...current, ...change }));
    // A field the person changes is no longer wrong until checked again.
    setProblems((current) => Object.fromEntries(Object.entries(current).filter(([field]) => !(field in change))));
  };

  // Each answer is kept with the question it answers: a stale one reads as "loading".
  const columnsKey = form.dataset ? `${form.dataset}@${form.version ?? 'latest'}` : null;
  const planKey = form.dataset && form.target ? `${columnsKey}:${form.target}:${form.task}` : null;
  const columns = loaded(columnsKey, columnsAnswer);
  const plan = loaded(planKey, planAnswer);

  useEffect(() => {
    if (!columnsKey) return;
    let live = true;
    void training.columnsOf(form.dataset, form.version).then((result) => live && setColumnsAnswer({ key: columnsKey, result }));
    return () => {
      live = false;
    };
  }, [training, columnsKey, form.dataset, form.version]);

  useEffect(() => {
    if (!planKey) return;
    let live = true;
    const request = { dataset: form.dataset, target: form.target, ...(form.version ? { version: form.version } : {}), ...(form.task !== 'auto' ? { task: form.task } : {}) };
    void training.plan(request).then((result) => live && setPlanAnswer({ key: planKey, result }));
    return () => {
      live = false;
    };
  }, [training, planKey, form.dataset, form.version, form.target, form.task]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = toStartInput(form);
    if ('problems' in checked) {
      setProblems(checked.problems);
      if (Object.keys(checked.problems).some((field) => !['dataset', 'target'].includes(field))) setMoreOpen(true);
      return;
    }
    setProblems({});
    setStarting(true);
    setStartError(null);
    const result = await training.start(checked.input);
    setStarting(false);
    if (!result.ok) {
      setStartError(result.error);
      return;
    }
    onClose();
    window.location.hash = `#/experiments/run/${result.value.runId}`;
  }

  const canStart = plan.state === 'ready' && !starting;
  return (
    <ModalDialog label="New run" onClose={onClose} wide>
      <form className="dialog__form new-run" onSubmit={(event) => void submit(event)}>
        <div>
          <h2 className="dialog__title">New run</h2>
          <p className="dialog__lead">Train a model on a dataset version. Lathe splits its rows into training, validation and test, trains in the background and records everything as a run.</p>
        </div>

        <div className="new-run__row">
          <label className="field">
            <span className="field__label">Dataset</span>
            <select className="input" value={form.dataset} onChange={(event) => update({ dataset: event.target.value, version: null, target: '', task: 'auto' })}>
              {datasets.length === 0 ? <option value="">No datasets yet</option> : null}
              {datasets.map((d) => (
                <option key={d.name} value={d.name}>
                  {d.name}
                </option>
              ))}
            </select>
            {problems.dataset ? <span className="field__problem">{problems.dataset}</span> : null}
          </label>
          <label className="field new-run__version">
            <span className="field__label">Version</span>
            <select className="input" value={form.version ?? ''} onChange={(event) => update({ version: event.target.value ? Number(event.target.value) : null })}>
              <option value="">latest{summary ? ` (v${summary.versions})` : ''}</option>
              {summary
                ? Array.from({ length: summary.versions }, (_, i) => summary.versions - i).map((v) => (
                    <option key={v} value={v}>
                      v{v}
                    </option>
                  ))
                : null}
            </select>
          </label>
          <label className="field">
            <span className="field__label">Column to predict</span>
            <select className="input" value={form.target} disabled={columns.state !== 'ready'} onChange={(event) => update({ target: event.target.value, task: 'auto' })}>
              <option value="">{columns.state === 'loading' ? 'Reading columns…' : 'Choose a column'}</option>
              {columns.state === 'ready'
                ? columns.value.map((column) => (
                    <option key={column.name} value={column.name}>
                      {column.name} ({column.type})
                    </option>
                  ))
                : null}
            </select>
            {problems.target ? <span className="field__problem">{problems.target}</span> : null}
          </label>
        </div>
        {columns.state === 'failed' ? <ErrorBanner error={columns.error} title={`Could not read the columns of ${form.dataset}`} /> : null}

        <PlanView plan={plan} task={form.task} onTask={(task) => update({ task })} />

        <fieldset className="new-run__models">
          <legend className="field__label">Model</legend>
          <label className="new-run__model">
            <input type="radio" name="model" checked={form.model === 'mlp'} onChange={() => update({ model: 'mlp' })} />
            <span>
              <strong>Neural network (MLP)</strong>
              <span className="muted"> hidden layers, dropout, early stopping</span>
            </span>
          </label>
          <label className="new-run__model">
            <input type="radio" name="model" checked={form.model === 'linear'} onChange={() => update({ model: 'linear' })} />
            <span>
              <strong>Linear baseline</strong>
              <span className="muted"> logistic or linear regression: fast, and a bar to beat</span>
            </span>
          </label>
        </fieldset>

        <details className="new-run__more" open={moreOpen} onToggle={(event) => setMoreOpen(event.currentTarget.open)}>
          <summary>Settings (empty ones get defaults that suit the model and the data)</summary>
          <div className="new-run__grid">
            <Knob label="Epochs" value={form.epochs} placeholder="auto" problem={problems.epochs} onChange={(epochs) => update({ epochs })} />
            <Knob label="Batch size" value={form.batchSize} placeholder="auto" problem={problems.batchSize} onChange={(batchSize) => update({ batchSize })} />
            <Knob label="Learning rate" value={form.learningRate} placeholder="auto" problem={problems.learningRate} onChange={(learningRate) => update({ learningRate })} />
            {form.model === 'mlp' ? (
              <>
                <Knob label="Hidden layers" value={form.hidden} placeholder="64,32" problem={problems.hidden} onChange={(hidden) => update({ hidden })} />
                <Knob label="Dropout" value={form.dropout} placeholder="0" problem={problems.dropout} onChange={(dropout) => update({ dropout })} />
              </>
            ) : null}
            <Knob label="Early stopping patience" value={form.patience} placeholder="auto" problem={problems.patience} onChange={(patience) => update({ patience })} />
            <Knob label="Seed" value={form.seed} placeholder="random" problem={problems.seed} onChange={(seed) => update({ seed })} />
            <label className="field">
              <span className="field__label">Class weights</span>
              <select className="input" value={form.classWeights} onChange={(event) => update({ classWeights: event.target.value as 'balanced' | 'none' })}>
                <option value="balanced">balanced (rare classes count more)</option>
                <option value="none">none</option>
              </select>
            </label>
            <Knob label="Experiment" value={form.experiment} placeholder={form.dataset || 'the dataset name'} onChange={(experiment) => update({ experiment })} />
            <Knob label="Run name" value={form.runName} placeholder="made up from the run id" onChange={(runName) => update({ runName })} />
          </div>
        </details>

        {startError ? <ErrorBanner error={startError} title="Training did not start" /> : null}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={!canStart}>
            {starting ? 'Starting…' : 'Start training'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

function Knob({ label, value, placeholder, problem, onChange }: { label: string; value: string; placeholder: string; problem?: string | undefined; onChange: (value: string) => void }) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <input className="input" value={value} placeholder={placeholder} spellCheck={false} aria-invalid={problem !== undefined} onChange={(event) => onChange(event.target.value)} />
      {problem ? <span className="field__problem">{problem}</span> : null}
    </label>
  );
}

/** What training will do with this target, before it does it. */
function PlanView({ plan, task, onTask }: { plan: Loaded<TrainingPlan>; task: NewRunForm['task']; onTask: (task: NewRunForm['task']) => void }) {
  if (plan.state === 'idle') return <p className="new-run__plan new-run__plan--quiet muted">Choose the column to predict: Lathe says what it will learn and from which columns.</p>;
  if (plan.state === 'loading') return <p className="new-run__plan new-run__plan--quiet muted" aria-busy="true">Planning…</p>;
  if (plan.state === 'failed') return <ErrorBanner error={plan.error} title="This cannot be trained as it is" />;
  const p = plan.value;
  return (
    <section className="new-run__plan" aria-label="What training will do">
      <div className="new-run__plan-head">
        <label className="new-run__task">
          <span className="field__label">Task</span>
          <select className="input" value={task} onChange={(event) => onTask(event.target.value as NewRunForm['task'])}>
            <option value="auto">{p.task} (from the column)</option>
            <option value="classification">classification</option>
            <option value="regression">regression</option>
          </select>
        </label>
        <p className="new-run__why">{p.taskWhy}</p>
      </div>
      {p.classes ? (
        <p className="new-run__line">
          <strong>{p.classes.length} classes:</strong> {p.classes.map((c) => `${c.name} (${formatCount(c.count)})`).join(', ')}
        </p>
      ) : null}
      <p className="new-run__line">
        <strong>
          {p.features.length} feature{p.features.length === 1 ? '' : 's'}:
        </strong>{' '}
        {p.features.map((f) => f.name).join(', ')}
      </p>
      {p.dropped.length ? (
        <ul className="new-run__dropped" aria-label="Columns left out">
          {p.dropped.map((d) => (
            <li key={d.name}>
              <strong>{d.name}</strong> left out: {d.why}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="new-run__line num">
        <strong>Rows:</strong> {formatCount(p.split.train)} to train · {formatCount(p.split.validation)} to validate · {formatCount(p.split.test)} to test
      </p>
      {p.warnings.length > 0 ? (
        <details className="new-run__notes" open={p.warnings.length <= 2}>
          <summary>
            {p.warnings.length} note{p.warnings.length === 1 ? '' : 's'} on the data
          </summary>
          <ul>
            {p.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
