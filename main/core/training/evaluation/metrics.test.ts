import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classificationReport } from './classification-metrics.ts';
import { regressionReport, MAX_RESIDUALS } from './regression-metrics.ts';
import { rocAuc } from './roc-auc.ts';

describe('classification metrics', () => {
  // Worked by hand (and matching scikit-learn 1.2: accuracy_score, precision_recall_fscore_support,
  // roc_auc_score(multi_class="ovr"), log_loss, confusion_matrix).
  const actual = [0, 0, 1, 1, 2, 2];
  const probabilities = [
    [0.7, 0.2, 0.1],
    [0.3, 0.6, 0.1],
    [0.1, 0.8, 0.1],
    [0.2, 0.3, 0.5],
    [0.1, 0.1, 0.8],
    [0.5, 0.25, 0.25],
  ].flat();

  it('computes accuracy, per-class and macro precision/recall/F1, the confusion matrix, log loss and one-vs-rest AUC', () => {
    const report = classificationReport(actual, probabilities, ['a', 'b', 'c']);
    expect(report.accuracy).toBe(0.5);
    expect(report.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [1, 0, 1],
    ]);
    expect(report.perClass.map((c) => [c.class, c.precision, c.recall, c.f1, c.support])).toEqual([
      ['a', 0.5, 0.5, 0.5, 2],
      ['b', 0.5, 0.5, 0.5, 2],
      ['c', 0.5, 0.5, 0.5, 2],
    ]);
    expect(report.macro.f1).toBe(0.5);
    expect(report.logLoss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.3) + Math.log(0.8) + Math.log(0.3) + Math.log(0.8) + Math.log(0.25)) / 6, 12);
    expect(report.rocAuc).toBe(0.875);
    expect(report.rocAucAverage).toBe('one-vs-rest macro');
  });

  it('scores a class never predicted 0 precision, and leaves classes neither present nor predicted out of the macro average', () => {
    const report = classificationReport([0, 0, 1], [0.9, 0.1, 0, 0.8, 0.2, 0, 0.6, 0.4, 0], ['a', 'b', 'c']);
    expect(report.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(report.macro.recall).toBe(0.5); // (1 + 0) / 2: "c" is neither present nor predicted
    expect(report.rocAuc).toBe(1); // only "a" and "b" have positives and negatives: both ranked perfectly
  });

  it('uses the second class as positive for two classes, and clips log loss', () => {
    const report = classificationReport([0, 0, 1, 1], [0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8], ['no', 'yes']);
    expect(report.rocAuc).toBe(0.75); // scores 0.1, 0.4, 0.35, 0.8 for labels 0, 0, 1, 1 (scikit-learn's own example)
    expect(report.rocAucAverage).toBe('binary');
    expect(classificationReport([0], [0, 1], ['no', 'yes']).logLoss).toBeCloseTo(-Math.log(1e-15), 6);
  });
});

describe('ROC AUC', () => {
  it('counts ties a half, and has no curve for one class', () => {
    expect(rocAuc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.3, 0.2], [1, 1])).toBeNull();
  });

  const labelled = fc.array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.boolean()), { minLength: 2, maxLength: 60 }).filter((rows) => rows.some(([, y]) => y) && rows.some(([, y]) => !y));

  it('lies in [0, 1], ignores any increasing rescaling of the scores, and flips to 1 − AUC with the labels', () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const scores = rows.map(([s]) => s);
        const labels = rows.map(([, y]) => y);
        const auc = rocAuc(scores, labels)!;
        expect(auc).toBeGreaterThanOrEqual(0);
        expect(auc).toBeLessThanOrEqual(1);
        expect(rocAuc(scores.map((s) => s * s * s + 5 * s - 2), labels)).toBe(auc); // strictly increasing, exact on these integers
        expect(rocAuc(scores, labels.map((y) => !y))).toBeCloseTo(1 - auc, 12);
      }),
    );
  });
});

describe('regression metrics', () => {
  it('computes RMSE, MAE and R² (scikit-learn\'s example)', () => {
    const report = regressionReport([3, -0.5, 2, 7], [2.5, 0, 2, 8], [10, 11, 12, 13]);
    expect(report.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(report.mae).toBe(0.5);
    expect(report.r2).toBeCloseTo(0.9486081370449679, 12);
    expect(report.residuals[0]).toEqual({ row: 10, actual: 3, predicted: 2.5, residual: -0.5 });
  });

  it('gives R² 1 for a perfect fit (even of a constant), 0 for a constant miss; RMSE ≥ MAE; samples residuals past the cap', () => {
    expect(regressionReport([4, 4], [4, 4], [0, 1]).r2).toBe(1);
    expect(regressionReport([4, 4], [3, 5], [0, 1]).r2).toBe(0);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { minLength: 1, maxLength: 50 }), (pairs) => {
        const report = regressionReport(pairs.map(([a]) => a), pairs.map(([, p]) => p), pairs.map((_, i) => i));
        expect(report.rmse).toBeGreaterThanOrEqual(report.mae - 1e-9);
        expect(report.r2).toBeLessThanOrEqual(1);
      }),
    );
    const n = MAX_RESIDUALS + 500;
    const big = regressionReport(Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => i + 1), Array.from({ length: n }, (_, i) => i));
    expect(big.residualsSampled).toBe(true);
    expect(big.residuals).toHaveLength(MAX_RESIDUALS);
    expect(big.residuals.every((r, i, all) => r.residual === 1 && (i === 0 || all[i - 1]!.row < r.row))).toBe(true);
  });
});
