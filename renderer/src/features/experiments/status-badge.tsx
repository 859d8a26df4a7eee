import type { RunStatus } from '../../../../shared/contract/runs.ts';

const words: Record<RunStatus, string> = {
  RUNNING: 'Running',
  SCHEDULED: 'Scheduled',
  FINISHED: 'Finished',
  FAILED: 'Failed',
  KILLED: 'Killed',
};

/** A run's status; a running run's dot pulses. `deleted` marks a run in the bin. */
export function StatusBadge({ status, deleted = false }: { status: RunStatus; deleted?: boolean }) {
  return (
    <span className="run-status" data-status={status.toLowerCase()}>
      <span className="run-status__dot" aria-hidden="true" />
      {words[status]}
      {deleted ? <span className="run-status__deleted">deleted</span> : null}
    </span>
  );
}
