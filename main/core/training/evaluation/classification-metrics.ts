import { rocAuc } from './roc-auc.ts';

/**
 * How a classifier did on the test rows, from each row's actual class and predicted
 * probabilities (rows × classes). Conventions follow scikit-learn's: the predicted class is the
 * most probable (the first on a tie); precision is 0 for a class never predicted, recall 0 for
 * one never present, F1 0 when both are; macro averages run over the classes that were present
 * or predicted; ROC AUC is that of the second class for two classes, else the mean of
 * one-vs-rest AUCs over the classes that are present (and not all rows); log loss clips
 * probabilities to [1e-15, 1 − 1e-15].
 */
export interface ClassMetrics {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  /** Test rows of this class. */
  support: number;
}

export interface ClassificationReport {
  task: 'classification';
  rows: number;
  accuracy: number;
  perClass: ClassMetrics[];
  macro: { precision: number; recall: number; f1: number };
  rocAuc: number | null;
  /** 'binary' (the second class as positive) or 'one-vs-rest macro'. */
  rocAucAverage: 'binary' | 'one-vs-rest macro';
  logLoss: number;
  /** confusion[actual][predicted], in the order of `classes`. */
  confusion: number[][];
  classes: string[];
}

export function predictedClasses(probabilities: ArrayLike<number>, classCount: number): Int32Array {
  const rows = probabilities.length / classCount;
  const predicted = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < classCount; k++) if ((probabilities[r * classCount + k] as number) > (probabilities[r * classCount + best] as number)) best = k;
    predicted[r] = best;
  }
  return predicted;
}

export function classificationReport(actual: ArrayLike<number>, probabilities: ArrayLike<number>, classes: readonly string[]): ClassificationReport {
  const k = classes.length;
  const rows = actual.length;
  if (probabilities.length !== rows * k) throw new Error(`expected ${rows} × ${k} probabilities, got ${probabilities.length}`);
  const predicted = predictedClasses(probabilities, k);
  const confusion = classes.map(() => new Array<number>(k).fill(0));
  let correct = 0;
  let logLoss = 0;
  for (let r = 0; r < rows; r++) {
    const a = actual[r] as number;
    const p = predicted[r] as number;
    confusion[a]![p]! += 1;
    if (a === p) correct++;
    const probability = Math.min(Math.max(probabilities[r * k + a] as number, 1e-15), 1 - 1e-15);
    logLoss -= Math.log(probability);
  }
  const perClass = classes.map((name, c) => {
    const truePositives = confusion[c]![c]!;
    const support = confusion[c]!.reduce((sum, count) => sum + count, 0);
    const predictedAs = confusion.reduce((sum, row) => sum + row[c]!, 0);
    const precision = predictedAs === 0 ? 0 : truePositives / predictedAs;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { class: name, precision, recall, f1, support, predictedAs };
  });
  const counted = perClass.filter((entry) => entry.support > 0 || entry.predictedAs > 0);
  const mean = (pick: (entry: (typeof perClass)[number]) => number) => (counted.length === 0 ? 0 : counted.reduce((sum, entry) => sum + pick(entry), 0) / counted.length);
  return {
    task: 'classification',
    rows,
    accuracy: rows === 0 ? 0 : correct / rows,
    perClass: perClass.map(({ predictedAs: _predictedAs, ...entry }) => entry),
    macro: { precision: mean((entry) => entry.precision), recall: mean((entry) => entry.recall), f1: mean((entry) => entry.f1) },
    rocAuc: classAuc(actual, probabilities, k),
    rocAucAverage: k === 2 ? 'binary' : 'one-vs-rest macro',
    logLoss: rows === 0 ? 0 : logLoss / rows,
    confusion,
    classes: [...classes],
  };
}

function classAuc(actual: ArrayLike<number>, probabilities: ArrayLike<number>, k: number): number | null {
  const rows = actual.length;
  const scoresOf = (c: number) => Float64Array.from({ length: rows }, (_, r) => probabilities[r * k + c] as number);
  const isClass = (c: number) => Uint8Array.from({ length: rows }, (_, r) => (actual[r] === c ? 1 : 0));
  if (k === 2) return rocAuc(scoresOf(1), isClass(1));
  const aucs = Array.from({ length: k }, (_, c) => rocAuc(scoresOf(c), isClass(c))).filter((auc): auc is number => auc !== null);
  return aucs.length === 0 ? null : aucs.reduce((sum, auc) => sum + auc, 0) / aucs.length;
}
