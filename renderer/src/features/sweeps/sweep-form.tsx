import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { builtinMetrics, readSweepSpecText, SweepSpec, sweepableKnobs, type SweepableKnob, type SweepSpecProblem } from '../../../../shared/contract/sweeps.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { emptyDraft, fieldPaths, newParam, problemsAt, specOfDraft, specText, type ParamDraft, type SweepDraft } from './sweep-draft.ts';
import type { SweepCommands } from './sweep-commands.ts';

type Task = keyof typeof builtinMetrics;

/** The problems under a field, in a line beside it. */
function FieldProblems({ problems, path }: { problems: readonly SweepSpecProblem[]; path: string }) {
  const here = problemsAt(problems, path);
  if (here.length === 0) return null;
  return (
    <span className="sweep-form__problem" role="alert">
      {here.map((problem) => problem.message).join('; ')}
    </span>
  );
}

function Field({ label, children, problems, path }: { label: string; children: ReactNode; problems: readonly SweepSpecProblem[]; path?: string }) {
  return (
    <label className="sweep-form__field">
      <span className="sweep-form__label">{label}</span>
      {children}
      {path ? <FieldProblems problems={problems} path={path} /> : null}
    </label>
  );
}

/**
 * "New sweep": a form that writes the spec (or the spec as JSON, pasted or edited), checked as it
 * is typed by the contract's own schema, each problem shown at its field (or its JSON path, or
 * line and column). Main checks the rest when it starts (a metric the model does not log).
 */
export function SweepForm({ commands, onCreate, onClose }: { commands: SweepCommands; onCreate: (spec: SweepSpec) => Promise<LatheError | null>; onClose: () => void }) {
  const [draft, setDraft] = useState<SweepDraft>(emptyDraft);
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [datasets, setDatasets] = useState<string[]>([]);
  const [columns, setColumns] = useState<string[]>([]);
  const [task, setTask] = useState<Task | null>(null);
  const [refusal, setRefusal] = useState<LatheError | null>(null);
  const [starting, setStarting] = useState(false);
  const [tried, setTried] = useState(false);

  useEffect(() => {
    void commands.datasets().then((result) => {
      if (!result.ok) return;
      setDatasets(result.value.map((dataset) => dataset.name));
      setDraft((current) => (current.dataset || result.value.length === 0 ? current : { ...current, dataset: result.value[0]!.name }));
    });
  }, [commands]);

  useEffect(() => {
    if (!draft.dataset) return;
    let live = true;
    void commands.dataset(draft.dataset).then((result) => {
      if (!live || !result.ok) return;
      const names = result.value.profile.map((column) => column.name);
      setColumns(names);
      setDraft((current) => (names.includes(current.target) ? current : { ...current, target: names.at(-1) ?? '' }));
    });
    return () => {
      live = false;
    };
  }, [commands, draft.dataset]);

  useEffect(() => {
    if (!draft.dataset || !draft.target) return;
    let live = true;
    void commands.plan(draft.dataset, draft.target).then((result) => {
      if (live) setTask(result.ok ? result.value.task : null);
    });
    return () => {
      live = false;
    };
  }, [commands, draft.dataset, draft.target]);

  const metricGoals: Record<string, 'minimize' | 'maximize'> = task ? { ...builtinMetrics[task].epoch, ...builtinMetrics[task].test } : {};
  const checked = useMemo(() => {
    if (mode === 'json') return readSweepSpecText(json);
    const parsed = SweepSpec.safeParse(specOfDraft(draft));
    return parsed.success ? { spec: parsed.data, problems: [] as SweepSpecProblem[] } : { spec: null, problems: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) };
  }, [mode, json, draft]);
  // Main's refusal names a field of the spec (`spec.metric.name`): show it there too.
  const refusedAt = refusal?.location?.field?.replace(/^spec\./, '');
  const problems: SweepSpecProblem[] = [...(tried || mode === 'json' ? checked.problems : []), ...(refusal && refusedAt ? [{ path: refusedAt, message: refusal.message }] : [])];

  const set = <K extends keyof SweepDraft>(key: K, value: SweepDraft[K]) => {
    setRefusal(null);
    setDraft((current) => ({ ...current, [key]: value }));
  };
  const setParam = (index: number, change: Partial<ParamDraft>) => set('params', draft.params.map((param, i) => (i === index ? { ...param, ...change } : param)));
  const unused = sweepableKnobs.filter((knob) => !draft.params.some((param) => param.name === knob));

  const start = async () => {
    setTried(true);
    if (!checked.spec) return;
    setStarting(true);
    setRefusal(await onCreate(checked.spec));
    setStarting(false);
  };

  return (
    <section className="sweep-form" aria-label="New sweep">
      <header className="sweep-form__head">
        <h2>New sweep</h2>
        <div className="sweep-form__modes" role="tablist" aria-label="Write the spec as">
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'form'}
            onClick={() => {
              setMode('form');
              setRefusal(null);
            }}
          >
            Form
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'json'}
            onClick={() => {
              if (mode === 'form') setJson(specText(specOfDraft(draft)));
              setMode('json');
              setRefusal(null);
            }}
          >
            JSON
          </button>
        </div>
      </header>

      {mode === 'json' ? (
        <div className="sweep-form__json">
          <textarea
            className="input sweep-form__textarea"
            aria-label="Sweep spec (JSON)"
            spellCheck={false}
            value={json}
            onChange={(event) => {
              setJson(event.target.value);
              setRefusal(null);
            }}
          />
          {problems.length ? (
            <ul className="sweep-form__problems" aria-label="Problems">
              {problems.map((problem, index) => (
                <li key={index}>
                  <code>{problem.path || (problem.line ? `line ${problem.line}, column ${problem.column}` : 'spec')}</code> {problem.message}
                </li>
              ))}
            </ul>
          ) : (
            <p className="faint">The spec is valid.</p>
          )}
        </div>
      ) : (
        <div className="sweep-form__grid">
          <Field label="Name" problems={problems} path={fieldPaths.name}>
            <input className="input" value={draft.name} placeholder={draft.dataset ? `${draft.dataset} ${draft.model} ${draft.method}` : 'optional'} onChange={(event) => set('name', event.target.value)} />
          </Field>
          <Field label="Dataset" problems={problems} path={fieldPaths.dataset}>
            <select className="input" value={draft.dataset} onChange={(event) => set('dataset', event.target.value)}>
              {datasets.length === 0 ? <option value="">No datasets: import one first</option> : null}
              {datasets.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </Field>
          <Field label="Predict" problems={problems} path={fieldPaths.target}>
            <select className="input" value={draft.target} onChange={(event) => set('target', event.target.value)}>
              {columns.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </Field>
          <Field label="Model" problems={problems} path={fieldPaths.model}>
            <select className="input" value={draft.model} onChange={(event) => set('model', event.target.value as SweepDraft['model'])}>
              <option value="mlp">MLP</option>
              <option value="linear">Linear</option>
            </select>
          </Field>
          <Field label="Epochs per trial" problems={problems} path={fieldPaths.epochs}>
            <input className="input num" inputMode="numeric" value={draft.epochs} onChange={(event) => set('epochs', event.target.value)} />
          </Field>
          <Field label="Search" problems={problems} path={fieldPaths.method}>
            <select className="input" value={draft.method} onChange={(event) => set('method', event.target.value as SweepDraft['method'])}>
              <option value="random">Random</option>
              <option value="grid">Grid</option>
            </select>
          </Field>
          <Field label="Metric" problems={problems} path={fieldPaths.metric}>
            <select
              className="input"
              value={draft.metric}
              onChange={(event) => {
                const goal = metricGoals[event.target.value];
                setRefusal(null);
                setDraft((current) => ({ ...current, metric: event.target.value, ...(goal ? { goal } : {}) }));
              }}
            >
              {(Object.keys(metricGoals).length ? Object.keys(metricGoals) : [draft.metric]).map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </Field>
          <Field label="Goal" problems={problems} path={fieldPaths.goal}>
            <select className="input" value={draft.goal} onChange={(event) => set('goal', event.target.value as SweepDraft['goal'])}>
              <option value="minimize">minimize</option>
              <option value="maximize">maximize</option>
            </select>
          </Field>
          <Field label="Run cap" problems={problems} path={fieldPaths.runCap}>
            <input className="input num" inputMode="numeric" value={draft.runCap} placeholder={draft.method === 'grid' ? 'the whole grid' : ''} onChange={(event) => set('runCap', event.target.value)} />
          </Field>
          <Field label="In parallel" problems={problems} path={fieldPaths.parallel}>
            <input className="input num" inputMode="numeric" value={draft.parallel} placeholder="cores − 1" onChange={(event) => set('parallel', event.target.value)} />
          </Field>
          <Field label="Stop early" problems={problems} path={fieldPaths.early}>
            <span className="sweep-form__inline">
              <select className="input" value={draft.early} onChange={(event) => set('early', event.target.value as SweepDraft['early'])}>
                <option value="none">never</option>
                <option value="median">median stopping</option>
                <option value="hyperband">Hyperband</option>
              </select>
              {draft.early === 'median' ? <input className="input num sweep-form__small" aria-label="minSteps" title="Judge no trial before this epoch" value={draft.minSteps} onChange={(event) => set('minSteps', event.target.value)} /> : null}
              {draft.early === 'hyperband' ? (
                <>
                  <input className="input num sweep-form__small" aria-label="minIter" title="The first rung, in epochs" value={draft.minIter} onChange={(event) => set('minIter', event.target.value)} />
                  <input className="input num sweep-form__small" aria-label="eta" title="Keep the best 1/eta at each rung" value={draft.eta} onChange={(event) => set('eta', event.target.value)} />
                </>
              ) : null}
            </span>
          </Field>
          <Field label="Seed" problems={problems} path={fieldPaths.seed}>
            <input className="input num" inputMode="numeric" value={draft.seed} placeholder="a fresh one" onChange={(event) => set('seed', event.target.value)} />
          </Field>

          <fieldset className="sweep-form__params">
            <legend>Search space</legend>
            <FieldProblems problems={problems.filter((problem) => problem.path === 'parameters')} path="parameters" />
            {draft.params.map((param, index) => (
              <div key={param.name} className="sweep-form__param" data-param={param.name}>
                <select className="input" aria-label="Param" value={param.name} onChange={(event) => setParam(index, newParam(event.target.value as SweepableKnob))}>
                  {[param.name, ...unused].map((knob) => (
                    <option key={knob}>{knob}</option>
                  ))}
                </select>
                <select className="input" aria-label={`${param.name}: values or a range`} value={param.mode} onChange={(event) => setParam(index, { mode: event.target.value as ParamDraft['mode'] })}>
                  <option value="values">values</option>
                  <option value="range">range</option>
                </select>
                {param.mode === 'values' ? (
                  <input className="input sweep-form__values" aria-label={`${param.name} values`} value={param.values} placeholder={param.name === 'hidden' ? '16; 32,16' : '0.1, 0.01'} onChange={(event) => setParam(index, { values: event.target.value })} />
                ) : (
                  <>
                    <input className="input num sweep-form__small" aria-label={`${param.name} min`} value={param.min} onChange={(event) => setParam(index, { min: event.target.value })} />
                    <span className="faint">to</span>
                    <input className="input num sweep-form__small" aria-label={`${param.name} max`} value={param.max} onChange={(event) => setParam(index, { max: event.target.value })} />
                    <select className="input" aria-label={`${param.name} distribution`} value={param.distribution} onChange={(event) => setParam(index, { distribution: event.target.value as ParamDraft['distribution'] })}>
                      <option value="uniform">uniform</option>
                      <option value="log_uniform">log-uniform</option>
                      <option value="int_uniform">whole numbers</option>
                    </select>
                  </>
                )}
                <button type="button" className="button button--ghost button--small" aria-label={`Remove ${param.name}`} onClick={() => set('params', draft.params.filter((_, i) => i !== index))}>
                  Remove
                </button>
                <FieldProblems problems={problems} path={`parameters.${param.name}`} />
              </div>
            ))}
            {unused.length ? (
              <button type="button" className="button button--small" onClick={() => set('params', [...draft.params, newParam(unused[0]!)])}>
                Add a param
              </button>
            ) : null}
          </fieldset>
        </div>
      )}

      {refusal && !refusedAt ? <ErrorBanner error={refusal} title="The sweep did not start" onDismiss={() => setRefusal(null)} /> : null}
      <footer className="sweep-form__actions">
        <button type="button" className="button button--ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button button--primary" disabled={starting || (tried && !checked.spec)} onClick={() => void start()}>
          {starting ? 'Starting…' : 'Start sweep'}
        </button>
      </footer>
    </section>
  );
}
