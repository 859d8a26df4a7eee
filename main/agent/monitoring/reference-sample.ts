import type { ColumnReference } from '../../../shared/contract/monitoring.ts';
import { CategoricalSketch, NumericSketch, OTHER_CATEGORY, type ColumnSample } from '../../core/monitoring/stats/column-sample.ts';

/**
 * The training reference as it came over the wire (shared/contract/monitoring.ts) turned into
 * what the drift statistics take (core/monitoring/stats/column-sample.ts): exact values stay raw
 * values; quantile points become a numeric sketch carrying the true row count, mean and std (so
 * the method is chosen by the reference's real size, as Evidently does); category counts become a
 * categorical sketch. A reference whose sketch does not hold together gives the reason instead,
 * and its column is not judged.
 */
export function referenceSample(column: ColumnReference): { sample: ColumnSample } | { problem: string } {
  if (column.kind === 'numeric') {
    if (column.exact) return { sample: { form: 'values', kind: 'numeric', values: column.values } };
    const sketch = NumericSketch.safeParse({
      form: 'sketch',
      kind: 'numeric',
      count: column.rows,
      missing: column.missing,
      infinite: 0,
      mean: column.mean,
      std: column.std,
      min: column.min,
      max: column.max,
      distinct: column.distinct,
      exact: null,
      quantiles: column.values,
      ...(column.levels ? { levels: column.levels } : {}),
    });
    return sketch.success ? { sample: sketch.data } : { problem: `the training reference's sketch of ${column.name} is not usable (${sketch.error.issues[0]?.message ?? 'invalid'})` };
  }
  const counted = Object.entries(column.counts);
  const kept = counted.filter(([category]) => category !== OTHER_CATEGORY).sort(([, a], [, b]) => b - a);
  const other = column.counts[OTHER_CATEGORY] ?? 0;
  const sketch = CategoricalSketch.safeParse({
    form: 'sketch',
    kind: 'categorical',
    // The counts are the truth; `rows` is checked against them by whoever built the reference.
    count: kept.reduce((total, [, n]) => total + n, other),
    missing: column.missing,
    categories: kept,
    other: { categories: other > 0 ? 1 : 0, count: other },
  });
  return sketch.success ? { sample: sketch.data } : { problem: `the training reference's counts for ${column.name} are not usable (${sketch.error.issues[0]?.message ?? 'invalid'})` };
}
