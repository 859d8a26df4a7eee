import { useEffect } from 'react';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { looksClassification, MAX_MATRICES } from './compare-commands.ts';
import { ConfusionMatrix } from './confusion-matrix.tsx';
import { formatPercent } from './experiments-format.ts';
import type { ComparedRun } from './overlaid-chart.tsx';

/** The compared classifiers' confusion matrices side by side, each under its run's name and accuracy. */
export function CompareMatrices({ runs }: { runs: readonly ComparedRun[] }) {
  const { experimentCommands } = useServices();
  const evaluations = useLathe((state) => state.comparison?.evaluations ?? {});
  const classifiers = runs.filter(({ run }) => looksClassification(run));
  useEffect(() => {
    void experimentCommands.compare.loadEvaluations();
  }, [experimentCommands, runs]);

  return (
    <section className="compare-matrices" aria-label="Confusion matrices">
      {classifiers.length > MAX_MATRICES ? <p className="faint">The first {MAX_MATRICES} of {classifiers.length} classifiers, in the order compared.</p> : null}
      <div className="compare-matrices__grid">
        {classifiers.slice(0, MAX_MATRICES).map(({ run, color }) => {
          const state = evaluations[run.id];
          return (
            <figure key={run.id} className="compare-matrices__item">
              <figcaption className="compare-matrices__caption">
                <span className="metric-chart__swatch" style={{ background: color }} />
                <span className="compare-matrices__name">{run.name}</span>
                {state?.status === 'ready' && state.evaluation.task === 'classification' ? (
                  <span className="faint num">accuracy {formatPercent(state.evaluation.accuracy)}</span>
                ) : null}
              </figcaption>
              {!state || state.status === 'loading' ? (
                <div className="spinner" aria-label="Loading" />
              ) : state.status === 'failed' ? (
                <ErrorBanner error={state.error} title="Could not read its evaluation" />
              ) : state.status === 'ready' && state.evaluation.task === 'classification' && state.evaluation.matrix ? (
                <ConfusionMatrix evaluation={state.evaluation} compact caption={`Confusion matrix of ${run.name}`} />
              ) : (
                <p className="faint">No confusion matrix: the run logged no evaluation.json.</p>
              )}
            </figure>
          );
        })}
      </div>
    </section>
  );
}
