import { metricNumber, type RunDetail } from '../../../shared/contract/runs.ts';
import type { ReproductionReport, TrainingStartInput } from '../../../shared/contract/training.ts';
import { failure } from '../errors.ts';
import { knobsFromParams } from './model-spec.ts';

/**
 * Reproducing a run: the same dataset version (checked by its content hash), target, task,
 * knobs and seed, as a new run tagged `lathe.reproduces`. Comparing: the test metrics of both,
 * which must be identical on the same backend and TensorFlow.js version (training is
 * deterministic for a seed there), and may differ by REPRODUCTION_TOLERANCE elsewhere (other
 * backends round differently, and the difference grows over the epochs).
 */
export const REPRODUCTION_TOLERANCE = 0.02;

export function reproductionInput(workspace: string, original: RunDetail, names: { experiment?: string | undefined; runName?: string | undefined }): TrainingStartInput {
  const params = original.params;
  const dataset = original.datasets[0];
  if (original.systemTags['lathe.source'] !== 'training' || !params.target || !params.dataset || !dataset) {
    throw failure('INVALID_INPUT', `Run ${original.id} was not made by Lathe's training (it has no recorded dataset, target and knobs), so it cannot be reproduced here.`, { location: { field: 'runId' } });
  }
  return {
    workspace,
    dataset: params.dataset,
    ...(dataset.version === null ? {} : { version: dataset.version }),
    target: params.target,
    task: params.task === 'regression' ? 'regression' : 'classification',
    ...knobsFromParams(params),
    experiment: names.experiment ?? original.experimentName,
    runName: names.runName ?? `${original.name} (reproduction)`.slice(0, 250),
  };
}

export function compareRuns(original: RunDetail, reproduction: RunDetail): ReproductionReport {
  const base = { original: original.id, reproduction: reproduction.id };
  const sameBackend =
    original.systemTags['lathe.backend'] === reproduction.systemTags['lathe.backend'] &&
    JSON.stringify(original.environment?.libraries ?? null) === JSON.stringify(reproduction.environment?.libraries ?? null);
  const tolerance = sameBackend ? 0 : REPRODUCTION_TOLERANCE;
  const unfinished = [original, reproduction].filter((run) => run.status !== 'FINISHED');
  if (unfinished.length > 0) {
    return { ...base, sameBackend, tolerance, verdict: 'not-comparable', metrics: [], message: unfinished.map((run) => `Run ${run.id} is ${run.status}`).join('; ') + ': only finished runs have test metrics to compare.' };
  }
  const keys = [...new Set([...Object.keys(original.metrics), ...Object.keys(reproduction.metrics)])].filter((key) => key.startsWith('test_')).sort();
  const metrics = keys.map((key) => {
    const a = original.metrics[key]?.value ?? null;
    const b = reproduction.metrics[key]?.value ?? null;
    const difference = a === null || b === null ? null : Math.abs(metricNumber(a) - metricNumber(b));
    const match = difference !== null && (difference === 0 || difference <= tolerance * Math.max(1, Math.abs(metricNumber(a!))));
    return { key, original: a, reproduction: b, difference, match };
  });
  const identical = metrics.every((metric) => metric.difference === 0);
  const verdict = metrics.length === 0 ? 'not-comparable' : identical ? 'identical' : metrics.every((metric) => metric.match) ? 'within-tolerance' : 'different';
  const backends = `${original.systemTags['lathe.backend'] ?? '?'} and ${reproduction.systemTags['lathe.backend'] ?? '?'}`;
  const message =
    verdict === 'identical'
      ? `Every test metric matches exactly${sameBackend ? ' (same backend)' : ` (backends ${backends})`}.`
      : verdict === 'within-tolerance'
        ? `The test metrics differ, within ${tolerance} (backends ${backends} round differently).`
        : verdict === 'different'
          ? `The test metrics differ${sameBackend ? ' on the same backend, where they should match exactly' : ` by more than ${tolerance}`}: ${metrics.filter((metric) => !metric.match).map((metric) => metric.key).join(', ')}.`
          : 'Neither run has test metrics.';
  return { ...base, sameBackend, tolerance, verdict, metrics, message };
}
