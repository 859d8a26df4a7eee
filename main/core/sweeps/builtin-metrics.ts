import { builtinMetrics, type SweepMetric } from '../../../shared/contract/sweeps.ts';
import type { TrainingTask } from '../../../shared/training/infer-task.ts';
import { failure } from '../errors.ts';

/**
 * Refuse a metric the model does not log, or a goal that would search for the worst model
 * (maximizing a loss); `classes` leaves out test_roc_auc when there are more than two.
 */
export function checkBuiltinMetric(metric: SweepMetric, task: TrainingTask, classes: number | null): void {
  const known: Record<string, SweepMetric['goal']> = { ...builtinMetrics[task].epoch, ...builtinMetrics[task].test };
  if (task === 'classification' && classes !== null && classes > 2) delete known.test_roc_auc;
  const goal = known[metric.name];
  if (goal === undefined) {
    throw failure('INVALID_INPUT', `The built-in ${task} models do not log "${metric.name}"; they log ${Object.keys(known).join(', ')}.`, {
      hint: 'Name one of those as metric.name.',
      location: { field: 'spec.metric.name' },
    });
  }
  if (goal !== metric.goal) {
    throw failure('INVALID_INPUT', `metric.goal "${metric.goal}" would look for the worst model: ${metric.name} is better when it is ${goal === 'minimize' ? 'lower' : 'higher'}.`, {
      hint: `Set metric.goal to "${goal}".`,
      location: { field: 'spec.metric.goal' },
    });
  }
}

/**
 * The metric early termination judges: the sweep's own when it is logged every epoch; for a
 * test metric (logged once, at the end) its validation counterpart.
 */
export function watchedMetric(metric: SweepMetric, task: TrainingTask): SweepMetric {
  if (metric.name in builtinMetrics[task].epoch) return metric;
  if (task === 'regression') return metric.name === 'test_mae' ? { name: 'val_mae', goal: 'minimize' } : { name: 'val_loss', goal: 'minimize' };
  return metric.goal === 'maximize' ? { name: 'val_accuracy', goal: 'maximize' } : { name: 'val_loss', goal: 'minimize' };
}
