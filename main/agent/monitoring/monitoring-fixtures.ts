import type { CategoricalReference, NumericReference, ReferenceProfile } from '../../../shared/contract/monitoring.ts';
import { fitCbpe } from '../../core/monitoring/stats/cbpe.ts';
import type { Prediction } from '../../core/serving/serving-messages.ts';
import { seededRandom } from '../../core/sweeps/seeded-random.ts';
import type { Observed } from './monitoring-hub.ts';

/**
 * Tests of monitoring: a churn classifier's training reference made from generated rows (tenure
 * and charges are normal numbers, plan one of three categories), and live rows drawn from the
 * same distributions — or with a column shifted. Seeded, so every run sees the same rows.
 */
export const CLASSES = ['yes', 'no'];

export interface Shift {
  tenure?: number;
  charges?: number;
  plan?: string;
}

export function churnRows(count: number, seed: number, shift: Shift = {}): Record<string, unknown>[] {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: count }, () => {
    const draw = random();
    const plan = shift.plan ?? (draw < 0.5 ? 'basic' : draw < 0.8 ? 'pro' : 'max');
    return { tenure: 24 + 6 * normal() + (shift.tenure ?? 0), charges: 70 + 15 * normal() + (shift.charges ?? 0), plan };
  });
}

/** A prediction with a calibrated-looking confidence; `seed` decides which class. */
export function churnPrediction(random: () => number): Prediction {
  const yes = 0.2 + 0.6 * random();
  return { predicted: yes >= 0.5 ? 'yes' : 'no', probabilities: { yes, no: 1 - yes } };
}

export function numericColumn(name: string, values: readonly number[], points?: number): NumericReference {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  const std = Math.sqrt(sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / sorted.length);
  const exact = points === undefined;
  const quantiles = exact ? sorted : Array.from({ length: points }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (points - 1))]!);
  return { kind: 'numeric', name, rows: sorted.length, missing: 0, distinct: Math.min(1000, new Set(sorted).size), mean, std, min: sorted[0]!, max: sorted.at(-1)!, values: quantiles, exact };
}

export function categoricalColumn(name: string, values: readonly string[]): CategoricalReference {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return { kind: 'categorical', name, rows: values.length, missing: 0, counts };
}

/** The reference of churn `version`: `rows` training rows; above 1,000 numbers are sent as quantile points. */
export function churnReference(options: { rows?: number; version?: number; cbpe?: boolean } = {}): ReferenceProfile {
  const rows = churnRows(options.rows ?? 500, 1);
  const points = rows.length > 1000 ? 201 : undefined;
  const random = seededRandom(2);
  const predictions = rows.map(() => churnPrediction(random) as { predicted: string; probabilities: Record<string, number> });
  const cbpe = options.cbpe
    ? fitCbpe({
        probabilities: predictions.map((p) => CLASSES.map((name) => p.probabilities[name]!)),
        predicted: predictions.map((p) => CLASSES.indexOf(p.predicted)),
        // Right as often as the confidence says: calibrated.
        actual: predictions.map((p) => (random() < p.probabilities[p.predicted]! ? CLASSES.indexOf(p.predicted) : 1 - CLASSES.indexOf(p.predicted))),
      })
    : null;
  return {
    schemaVersion: 1,
    model: 'churn',
    version: options.version ?? 3,
    dataset: 'customers@3',
    datasetRows: rows.length,
    createdAt: '2026-11-30T10:00:00.000Z',
    task: { kind: 'classification', classes: CLASSES },
    features: [
      numericColumn('tenure', rows.map((row) => row.tenure as number), points),
      numericColumn('charges', rows.map((row) => row.charges as number), points),
      categoricalColumn('plan', rows.map((row) => row.plan as string)),
    ],
    prediction: categoricalColumn('prediction', predictions.map((p) => p.predicted)),
    cbpe,
    testMetric: { name: 'accuracy', value: 0.7 },
  };
}

/** One answered request per row, ids r0, r1, … from `first`. */
export function requestsOf(rows: readonly Record<string, unknown>[], options: { model?: string; version?: string; first?: number; seed?: number } = {}): Observed[] {
  const random = seededRandom(options.seed ?? 3);
  return rows.map((row, i) => ({
    model: options.model ?? 'churn',
    version: options.version ?? '3',
    requestId: `r${(options.first ?? 0) + i}`,
    rows: [row],
    predictions: [churnPrediction(random)],
    latencyMs: 1 + (i % 10),
    failed: false,
  }));
}
