import type { RunDetail } from '../../../shared/contract/runs.ts';
import type { TrainingSummary } from '../../../shared/contract/training.ts';

/**
 * A training run as `lathe train` and the wizard report it, read back from the tracking store
 * alone (so a run trained by another process, or before a restart, reads the same): its status
 * and, if it failed or was stopped, why; the test metrics; the epochs; where it ran.
 */
export function trainingSummary(run: RunDetail): TrainingSummary {
  const tags = run.systemTags;
  const error =
    run.status === 'FAILED'
      ? { code: tags['lathe.failure.code'] ?? 'INTERNAL', message: tags['lathe.failure'] ?? 'The run failed.', ...(tags['lathe.failure.hint'] ? { hint: tags['lathe.failure.hint'] } : {}) }
      : run.status === 'KILLED'
        ? { code: 'CANCELLED', message: tags['lathe.killed'] ?? 'The run was stopped.' }
        : null;
  const trained = Number(tags['lathe.epochs.trained'] ?? run.metrics.loss?.step ?? 0);
  const best = tags['lathe.epochs.best'] === undefined ? null : Number(tags['lathe.epochs.best']);
  const dataset = run.datasets[0];
  return {
    runId: run.id,
    name: run.name,
    experimentId: run.experimentId,
    experimentName: run.experimentName,
    status: run.status,
    error,
    task: run.params.task ?? tags['lathe.task'] ?? '',
    model: run.params.model ?? tags['lathe.model'] ?? '',
    target: run.params.target ?? tags['lathe.target'] ?? '',
    dataset: dataset ? { name: dataset.name, version: dataset.version, contentHash: dataset.contentHash } : null,
    backend: tags['lathe.backend'] ?? (typeof run.environment?.backend === 'string' ? run.environment.backend : null),
    epochs: { trained, best, stoppedEarly: tags['lathe.epochs.stopped_early'] === 'true' },
    test: Object.fromEntries(Object.entries(run.metrics).filter(([key]) => key.startsWith('test_')).map(([key, point]) => [key, point.value])),
    params: run.params,
    artifacts: run.artifacts.map((artifact) => artifact.path),
    startTime: run.startTime,
    endTime: run.endTime,
  };
}
