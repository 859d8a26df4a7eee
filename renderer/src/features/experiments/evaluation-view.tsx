import type { RunStatus } from '../../../../shared/contract/runs.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { formatCount } from '../../lib/format.ts';
import { ConfusionMatrix } from './confusion-matrix.tsx';
import type { ClassificationEvaluation, Evaluation, RegressionEvaluation } from './evaluation.ts';
import { formatMetric, formatPercent } from './experiments-format.ts';
import { ResidualPlot } from './residual-plot.tsx';
import type { EvaluationState } from './run-page-slice.ts';

function Score({ label, value, percent = false, hint }: { label: string; value: number | null; percent?: boolean; hint?: string }) {
  if (value === null) return null;
  return (
    <div className="score" title={hint}>
      <span className="score__label">{label}</span>
      <span className="score__value num">{percent ? formatPercent(value) : formatMetric(value)}</span>
    </div>
  );
}

function ClassificationView({ evaluation }: { evaluation: ClassificationEvaluation }) {
  return (
    <>
      <div className="scores">
        <Score label="Accuracy" value={evaluation.accuracy} percent />
        <Score label="Macro precision" value={evaluation.macro.precision} percent hint="Precision of each class, averaged with equal weight" />
        <Score label="Macro recall" value={evaluation.macro.recall} percent hint="Recall of each class, averaged with equal weight" />
        <Score label="Macro F1" value={evaluation.macro.f1} percent />
        <Score label="ROC AUC" value={evaluation.rocAuc} hint="One class against the rest, averaged" />
        <Score label="Log loss" value={evaluation.logLoss} hint="Lower is better" />
      </div>
      {evaluation.matrix || evaluation.perClass.length > 0 ? (
        <div className="evaluation__detail">
          {evaluation.matrix ? (
            <div className="evaluation__matrix">
              <h3 className="evaluation__subtitle">Confusion matrix</h3>
              <ConfusionMatrix evaluation={evaluation} />
            </div>
          ) : null}
          {evaluation.perClass.length > 0 ? (
            <div className="evaluation__classes">
              <h3 className="evaluation__subtitle">Per class</h3>
              <table className="data-table per-class">
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col" className="num">
                      Precision
                    </th>
                    <th scope="col" className="num">
                      Recall
                    </th>
                    <th scope="col" className="num">
                      F1
                    </th>
                    <th scope="col" className="num">
                      Support
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {evaluation.perClass.map((scores) => (
                    <tr key={scores.label}>
                      <th scope="row">{scores.label}</th>
                      <td className="num">{formatPercent(scores.precision)}</td>
                      <td className="num">{formatPercent(scores.recall)}</td>
                      <td className="num">{formatPercent(scores.f1)}</td>
                      <td className="num">{scores.support === null ? '—' : formatCount(scores.support)}</td>
                    </tr>
                  ))}
                </tbody>
                {evaluation.macro.f1 !== null || evaluation.macro.precision !== null ? (
                  <tfoot>
                    <tr>
                      <th scope="row">Macro average</th>
                      <td className="num">{formatPercent(evaluation.macro.precision)}</td>
                      <td className="num">{formatPercent(evaluation.macro.recall)}</td>
                      <td className="num">{formatPercent(evaluation.macro.f1)}</td>
                      <td className="num">{evaluation.rows === null ? '' : formatCount(evaluation.rows)}</td>
                    </tr>
                  </tfoot>
                ) : null}
              </table>
            </div>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

function RegressionView({ evaluation }: { evaluation: RegressionEvaluation }) {
  return (
    <>
      <div className="scores">
        <Score label="RMSE" value={evaluation.rmse} hint="Root mean squared error: lower is better" />
        <Score label="MAE" value={evaluation.mae} hint="Mean absolute error: lower is better" />
        <Score label="R²" value={evaluation.r2} hint="Share of the variance explained: 1 is perfect" />
      </div>
      {evaluation.residuals ? <ResidualPlot residuals={evaluation.residuals} sampledFrom={evaluation.residualsSampled ? evaluation.rows : null} /> : null}
    </>
  );
}

function EvaluationBody({ evaluation }: { evaluation: Evaluation }) {
  return evaluation.task === 'classification' ? <ClassificationView evaluation={evaluation} /> : <RegressionView evaluation={evaluation} />;
}

/** How the run's model did on the test split it never trained on. */
export function EvaluationView({ state, status }: { state: EvaluationState; status: RunStatus }) {
  if (state.status === 'loading') return null;
  const rows = state.status === 'ready' ? state.evaluation.rows : null;
  return (
    <section className="run-section evaluation" aria-labelledby="run-evaluation-title">
      <h2 id="run-evaluation-title" className="run-section__title">
        Evaluation
        <span className="run-section__sub">on the test split{rows === null ? '' : ` · ${formatCount(rows)} rows`}</span>
      </h2>
      {state.status === 'ready' ? (
        <EvaluationBody evaluation={state.evaluation} />
      ) : state.status === 'failed' ? (
        <ErrorBanner error={state.error} title="Could not read this run's evaluation" />
      ) : (
        <p className="run-section__empty">
          {status === 'RUNNING' || status === 'SCHEDULED'
            ? 'The model is evaluated on the test split when training ends.'
            : status === 'KILLED'
              ? 'Training was stopped before the model was evaluated on the test split.'
              : status === 'FAILED'
                ? 'The run failed before the model was evaluated on the test split.'
                : 'This run logged no test metrics and no evaluation.json.'}
        </p>
      )}
    </section>
  );
}
