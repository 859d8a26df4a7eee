import { describe, expect, it } from 'vitest';
import { readEvaluation, testMetrics } from './evaluation.ts';

describe('reading a run’s evaluation', () => {
  it('takes headline numbers from test metrics and the matrix and per-class scores from evaluation.json', () => {
    const test = testMetrics({
      test_accuracy: { value: 0.96, step: 0, timestamp: 1 },
      test_f1_macro: { value: 0.95, step: 0, timestamp: 1 },
      test_log_loss: { value: 0.12, step: 0, timestamp: 1 },
      loss: { value: 0.2, step: 9, timestamp: 1 },
    });
    const evaluation = readEvaluation(
      {
        task: 'classification',
        classes: ['Adelie', 'Chinstrap', 'Gentoo'],
        confusion: [
          [30, 1, 0],
          [1, 12, 0],
          [0, 0, 25],
        ],
        perClass: [{ class: 'Adelie', precision: 0.97, recall: 0.97, f1: 0.97, support: 31 }],
        rocAuc: 0.99,
      },
      test,
    );
    expect(evaluation?.task).toBe('classification');
    if (evaluation?.task !== 'classification') return;
    expect(evaluation.accuracy).toBe(0.96);
    expect(evaluation.macro.f1).toBe(0.95);
    expect(evaluation.logLoss).toBe(0.12);
    expect(evaluation.rocAuc).toBe(0.99);
    expect(evaluation.matrix?.[1]).toEqual([1, 12, 0]);
    expect(evaluation.rows).toBe(69);
    expect(evaluation.perClass[0]).toEqual({ label: 'Adelie', precision: 0.97, recall: 0.97, f1: 0.97, support: 31 });
  });

  it('reads the evaluation.json Lathe’s training writes (the report inside, beside the split and epochs)', () => {
    const evaluation = readEvaluation(
      {
        schemaVersion: 1,
        split: { train: 239, validation: 34, test: 69 },
        report: { task: 'classification', rows: 69, accuracy: 0.97, perClass: [], macro: { precision: 0.96, recall: 0.95, f1: 0.955 }, rocAuc: 0.99, logLoss: 0.1, confusion: [[30, 0], [2, 37]], classes: ['a', 'b'] },
      },
      { accuracy: 0.97, roc_auc: 0.99 },
    );
    if (evaluation?.task !== 'classification') throw new Error('expected a classification');
    expect(evaluation.macro.f1).toBe(0.955);
    expect(evaluation.matrix).toEqual([[30, 0], [2, 37]]);
    expect(evaluation.labels).toEqual(['a', 'b']);
    expect(evaluation.rows).toBe(69);
  });

  it('reads scikit-learn style reports keyed by class, leaving out the averages', () => {
    const evaluation = readEvaluation(
      {
        task: 'classification',
        classes: ['a', 'b'],
        confusion_matrix: { labels: ['a', 'b'], matrix: [[3, 1], [0, 4]] },
        per_class: { a: { precision: 1, recall: 0.75, 'f1-score': 0.86, support: 4 }, b: { precision: 0.8, recall: 1, 'f1-score': 0.89, support: 4 }, 'macro avg': { precision: 0.9 } },
      },
      {},
    );
    if (evaluation?.task !== 'classification') throw new Error('expected a classification');
    expect(evaluation.perClass.map((scores) => scores.label)).toEqual(['a', 'b']);
    expect(evaluation.perClass[0]?.f1).toBe(0.86);
    expect(evaluation.matrix).toEqual([[3, 1], [0, 4]]);
  });

  it('reads a regression’s residuals and error metrics', () => {
    const evaluation = readEvaluation({ task: 'regression', residuals: { actual: [1, 2, 3], predicted: [1.5, 2, 2] } }, { rmse: 0.6, mae: 0.5, r2: 0.7 });
    expect(evaluation).toEqual({ task: 'regression', rmse: 0.6, mae: 0.5, r2: 0.7, residuals: { actual: [1, 2, 3], predicted: [1.5, 2, 2] }, residualsSampled: false, rows: 3 });
  });

  it('reads the report Lathe’s training writes: residuals as rows, a sample of a bigger test split', () => {
    const evaluation = readEvaluation(
      {
        task: 'regression',
        rows: 5000,
        rmse: 2,
        mae: 1.5,
        r2: 0.8,
        residuals: [
          { row: 3, actual: 10, predicted: 12, residual: 2 },
          { row: 9, actual: 4, predicted: 3, residual: -1 },
        ],
        residualsSampled: true,
      },
      {},
    );
    expect(evaluation).toEqual({ task: 'regression', rmse: 2, mae: 1.5, r2: 0.8, residuals: { actual: [10, 4], predicted: [12, 3] }, residualsSampled: true, rows: 5000 });
  });

  it('has nothing to show for a run without test metrics or evaluation', () => {
    expect(readEvaluation(null, {})).toBeNull();
    expect(readEvaluation({ note: 'hello' }, {})).toBeNull();
  });

  it('shows test metrics alone when the run logged no evaluation.json', () => {
    const evaluation = readEvaluation(null, { accuracy: 0.9 });
    expect(evaluation?.task).toBe('classification');
    if (evaluation?.task === 'classification') expect(evaluation.matrix).toBeNull();
  });
});
