import type { PipelineRunSummary } from '../../../../shared/contract/pipelines.ts';
import { formatDateTime } from '../../lib/format.ts';
import { formatDuration } from './live-run.ts';

function made(run: PipelineRunSummary): string {
  return [...run.made.datasets.map((d) => `${d.name}@${d.version}`), ...run.made.runs.map((r) => `run ${r.runId.slice(0, 8)}`), ...run.made.models.map((m) => `model ${m.name}@${m.version}`)].join(' · ');
}

/** Every recorded run of the pipeline, newest first; choosing one shows its steps and logs. */
export function RunHistory({ runs, shownId, onShow }: { runs: readonly PipelineRunSummary[]; shownId: string | null; onShow: (id: string) => void }) {
  if (runs.length === 0) return <p className="run-history__empty">No runs yet. Run the pipeline and each run is kept here, with its steps, logs and what it made.</p>;
  return (
    <table className="data-table run-history" aria-label="Pipeline runs">
      <thead>
        <tr>
          <th>Status</th>
          <th>Started</th>
          <th>Took</th>
          <th>Stopped at</th>
          <th>Made</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} aria-selected={run.id === shownId} className={run.id === shownId ? 'run-history__row--shown' : undefined}>
            <td>
              <button type="button" className="run-history__open" data-status={run.status} onClick={() => onShow(run.id)} title={`Run ${run.id}`}>
                <span className="run-history__dot" aria-hidden="true" />
                {run.status}
              </button>
            </td>
            <td>{formatDateTime(run.startedAt)}</td>
            <td>{formatDuration(run.durationMs)}</td>
            <td>{run.failedStep ?? ''}</td>
            <td className="run-history__made">{made(run)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
