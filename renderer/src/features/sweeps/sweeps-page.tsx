import { useState } from 'react';
import type { SweepSummary } from '../../../../shared/contract/sweeps.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { formatMetric } from '../experiments/experiments-format.ts';
import { SweepDetail, sweepStatusWords } from './sweep-detail.tsx';
import { SweepForm } from './sweep-form.tsx';
import { goToSweep } from './sweeps-route.ts';
import { useSweeps } from './use-sweeps.ts';
import './sweeps.css';

function SweepList({ sweeps, shownId, onShow }: { sweeps: readonly SweepSummary[]; shownId: string | null; onShow: (id: string) => void }) {
  if (sweeps.length === 0) return <p className="sweep-list__empty">No sweeps yet. A sweep trains a model many times over a search space of its params, and shows which settings lead where.</p>;
  return (
    <ul className="sweep-list" aria-label="Sweeps">
      {sweeps.map((sweep) => {
        const ended = sweep.counts.finished + sweep.counts.stopped + sweep.counts.failed;
        return (
          <li key={sweep.id}>
            <button type="button" className="sweep-list__item" aria-current={sweep.id === shownId ? 'true' : undefined} onClick={() => onShow(sweep.id)}>
              <span className="sweep-list__name">{sweep.name}</span>
              <span className="sweep-status" data-status={sweep.status}>
                {sweepStatusWords[sweep.status]}
              </span>
              <span className="sweep-list__facts num">
                {ended}/{sweep.planned} · {sweep.best ? `${sweep.metric.name} ${formatMetric(sweep.best.metric)}` : 'no best yet'}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** The Sweeps tab: every sweep of the workspace beside the one chosen (or a new one). */
export function SweepsPage({ sweepId }: { sweepId: string | null }) {
  const page = useSweeps(sweepId);
  const [creating, setCreating] = useState(false);
  const showForm = creating || (sweepId === null && page.sweeps !== null && page.sweeps.length === 0);
  return (
    <div className="sweeps-page">
      <aside className="sweeps-page__list">
        <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
          New sweep
        </button>
        {page.sweeps === null ? null : (
          <SweepList
            sweeps={page.sweeps}
            shownId={sweepId}
            onShow={(id) => {
              setCreating(false);
              goToSweep(id);
            }}
          />
        )}
      </aside>
      <section className="sweeps-page__main">
        {page.error ? <ErrorBanner error={page.error.error} title={page.error.title} onDismiss={page.dismissError} /> : null}
        {showForm ? (
          <SweepForm
            commands={page.commands}
            onClose={() => setCreating(false)}
            onCreate={async (spec) => {
              const refused = await page.create(spec);
              if (!refused) setCreating(false);
              return refused;
            }}
          />
        ) : page.shown ? (
          <SweepDetail sweep={page.shown} onCancel={() => void page.cancel(page.shown!.id)} />
        ) : sweepId ? (
          <div className="experiments-loading" aria-busy="true">
            <div className="spinner" />
          </div>
        ) : (
          <p className="sweeps-page__hint">Choose a sweep, or start a new one.</p>
        )}
      </section>
    </div>
  );
}
