import { useEffect, useMemo, useState } from 'react';
import type { ComparedDataset, RunComparison } from '../../../../shared/contract/run-comparison.ts';
import { metricNumber } from '../../../../shared/contract/runs.ts';
import { shortHash } from '../../lib/format.ts';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { formatMetric } from './experiments-format.ts';
import { isTestMetric } from './metric-groups.ts';
import { explanationKey } from './compare-slice.ts';
import type { ComparedRun } from './overlaid-chart.tsx';

interface Change {
  readonly key: string;
  /** null: run A has none. */
  readonly before: string | null;
  /** null: run B has none. */
  readonly after: string | null;
}

/** The rows of main's comparison where A and B differ, as before → after. */
function changedRows(rows: RunComparison['params']): Change[] {
  return rows.filter((row) => row.differs).map((row) => ({ key: row.key, before: row.values[0] ?? null, after: row.values[1] ?? null }));
}

function factChanges(before: ComparedDataset | null, after: ComparedDataset | null): Change[] {
  const facts: Change[] = [];
  const add = (key: string, a: string | number | null | undefined, b: string | number | null | undefined) => {
    const x = a === null || a === undefined ? null : String(a);
    const y = b === null || b === undefined ? null : String(b);
    if (x !== y) facts.push({ key, before: x, after: y });
  };
  add('rows', before?.rows, after?.rows);
  add('columns', before?.columns?.length, after?.columns?.length);
  add('content hash', before && shortHash(before.contentHash), after && shortHash(after.contentHash));
  return facts;
}

const versionText = (input: ComparedDataset | null) => (!input ? 'not read' : input.version ? `v${input.version}` : 'unversioned');

function ChangeTable({ changes, mono = true }: { changes: readonly Change[]; mono?: boolean }) {
  return (
    <table className="data-table why__table">
      <thead>
        <tr>
          <th scope="col">&nbsp;</th>
          <th scope="col">A</th>
          <th scope="col">B</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.key}>
            <th scope="row" className={mono ? 'mono' : undefined}>
              {change.key}
            </th>
            <td className={`mono${change.before === null ? ' null-cell' : ''}`}>{change.before ?? 'not set'}</td>
            <td className={`mono why__after${change.after === null ? ' null-cell' : ''}`}>{change.after ?? 'not set'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RunChoice({ label, value, runs, onChange }: { label: string; value: string; runs: readonly ComparedRun[]; onChange: (id: string) => void }) {
  return (
    <label className="why__choice">
      <span className="why__letter">{label}</span>
      <select className="input" value={value} onChange={(event) => onChange(event.target.value)} aria-label={`Run ${label}`}>
        {runs.map(({ run }) => (
          <option key={run.id} value={run.id}>
            {run.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Two runs, and everything that changed between them: params, data, code, machine; and what came of it. */
export function WhyDiffer({ runs }: { runs: readonly ComparedRun[] }) {
  const { experimentCommands } = useServices();
  const [aId, setA] = useState(runs[0]?.run.id ?? '');
  const [bId, setB] = useState(runs[1]?.run.id ?? runs[0]?.run.id ?? '');
  const explanation = useLathe((state) => (aId && bId ? state.comparison?.explanations[explanationKey(aId, bId)] : undefined));

  useEffect(() => {
    if (aId && bId && aId !== bId) void experimentCommands.compare.explainDifference(aId, bId);
  }, [aId, bId, experimentCommands]);

  const a = runs.find(({ run }) => run.id === aId)?.run;
  const b = runs.find(({ run }) => run.id === bId)?.run;
  const outcome = useMemo(() => {
    if (!a || !b) return [];
    const keys = Object.keys(a.metrics).filter((key) => b.metrics[key] !== undefined);
    // Validation and test metrics say what came of the change; training ones follow.
    const rank = (key: string) => (isTestMetric(key) ? 0 : /^val/.test(key) ? 1 : 2);
    return keys
      .sort((x, y) => rank(x) - rank(y) || x.localeCompare(y))
      .slice(0, 6)
      .map((key) => ({ key, before: metricNumber(a.metrics[key]!.value), after: metricNumber(b.metrics[key]!.value) }));
  }, [a, b]);

  const difference = useMemo(() => {
    if (!explanation || !('runs' in explanation)) return null;
    const commits = explanation.code.commits;
    return {
      params: changedRows(explanation.params),
      environment: changedRows(explanation.environment),
      gitCommit: explanation.code.differs ? { key: 'git commit', before: commits[0]?.slice(0, 10) ?? null, after: commits[1]?.slice(0, 10) ?? null } : null,
      data: explanation.changes[0]?.data ?? [],
    };
  }, [explanation]);

  if (runs.length < 2) return <p className="run-section__empty">Compare two runs or more to see why they differ.</p>;

  return (
    <section className="why" aria-label="Why did these differ">
      <div className="why__choices">
        <RunChoice label="A" value={aId} runs={runs} onChange={setA} />
        <span className="why__arrow" aria-hidden="true">
          →
        </span>
        <RunChoice label="B" value={bId} runs={runs} onChange={setB} />
      </div>
      {aId === bId ? (
        <p className="run-section__empty">Choose two different runs.</p>
      ) : explanation && !('runs' in explanation) ? (
        <p className="run-section__empty">
          {explanation.message} {explanation.hint ?? ''}
        </p>
      ) : !difference ? (
        <div className="spinner" aria-label="Loading" />
      ) : (
        <div className="why__parts">
          {outcome.length > 0 ? (
            <section className="why__part" aria-label="What came of it">
              <h3 className="why__title">What came of it</h3>
              <div className="why__outcomes">
                {outcome.map((row) => (
                  <div key={row.key} className="why__outcome">
                    <span className="mono faint">{row.key}</span>
                    <span className="num">
                      {formatMetric(row.before)} <span className="faint">→</span> <strong>{formatMetric(row.after)}</strong>
                    </span>
                  </div>
                ))}
              </div>
            </section>
          ) : null}

          <section className="why__part" aria-label="Params">
            <h3 className="why__title">
              Params <span className="faint">{difference.params.length === 0 ? 'the same' : `${difference.params.length} changed`}</span>
            </h3>
            {difference.params.length > 0 ? <ChangeTable changes={difference.params} /> : null}
          </section>

          <section className="why__part" aria-label="Data">
            <h3 className="why__title">
              Data <span className="faint">{difference.data.length === 0 ? 'the same version' : 'changed'}</span>
            </h3>
            {difference.data.map((change) => (
              <div key={change.name} className="why__data">
                <p>
                  <strong className="mono">{change.name}</strong> <span className="mono">{versionText(change.before)}</span> → <span className="mono">{versionText(change.after)}</span>
                </p>
                <ChangeTable mono={false} changes={factChanges(change.before, change.after)} />
                {[change.before, change.after].map((input, index) =>
                  input?.message && input.importedAt ? (
                    <p key={index} className="faint">
                      {index === 0 ? 'A' : 'B'} read {input.name}@{input.version}: “{input.message}”, {input.importedAt.slice(0, 10)}
                    </p>
                  ) : null,
                )}
                {change.columnsAdded.length > 0 ? <p>Columns added: <span className="mono">{change.columnsAdded.join(', ')}</span></p> : null}
                {change.columnsRemoved.length > 0 ? <p>Columns removed: <span className="mono">{change.columnsRemoved.join(', ')}</span></p> : null}
                {change.typesChanged.map((type) => (
                  <p key={type.column}>
                    Column <span className="mono">{type.column}</span> changed type: {type.before} → {type.after}
                  </p>
                ))}
              </div>
            ))}
          </section>

          <section className="why__part" aria-label="Code and environment">
            <h3 className="why__title">
              Code and environment{' '}
              <span className="faint">{difference.environment.length === 0 && !difference.gitCommit ? 'the same' : `${difference.environment.length + (difference.gitCommit ? 1 : 0)} changed`}</span>
            </h3>
            {difference.environment.length > 0 || difference.gitCommit ? (
              <ChangeTable
                mono={false}
                changes={[
                  ...(difference.gitCommit ? [difference.gitCommit] : []),
                  ...difference.environment,
                ]}
              />
            ) : null}
          </section>
        </div>
      )}
    </section>
  );
}
