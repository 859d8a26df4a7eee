import { metricNumber, type LatestMetric } from '../../../../shared/contract/runs.ts';

/**
 * A run's evaluation on its test split: the headline numbers come from the run's test metrics
 * (`test_accuracy`, `test_rmse`…), the detail (confusion matrix, per-class scores, residuals)
 * from the `evaluation.json` artifact that training writes. Both come from main; this only
 * reads them, tolerating the spellings an evaluation file is commonly written in (camelCase,
 * snake_case, scikit-learn's report), and leaves out what is not there.
 */
export const EVALUATION_ARTIFACT = 'evaluation.json';

export interface ClassScores {
  readonly label: string;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
  readonly support: number | null;
}

export interface ClassificationEvaluation {
  readonly task: 'classification';
  readonly accuracy: number | null;
  readonly macro: { readonly precision: number | null; readonly recall: number | null; readonly f1: number | null };
  readonly rocAuc: number | null;
  readonly logLoss: number | null;
  readonly labels: readonly string[];
  /** matrix[actual][predicted]: how many test rows of class `actual` were predicted `predicted`. */
  readonly matrix: readonly (readonly number[])[] | null;
  readonly perClass: readonly ClassScores[];
  readonly rows: number | null;
}

export interface RegressionEvaluation {
  readonly task: 'regression';
  readonly rmse: number | null;
  readonly mae: number | null;
  readonly r2: number | null;
  /** Each test row's actual and predicted value (residual = actual − predicted). */
  readonly residuals: { readonly actual: readonly number[]; readonly predicted: readonly number[] } | null;
  /** The residuals are a sample of the test rows (training keeps at most a few thousand). */
  readonly residualsSampled: boolean;
  readonly rows: number | null;
}

export type Evaluation = ClassificationEvaluation | RegressionEvaluation;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function num(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  return null;
}

/** The first of `names` that `object` holds, as a number. */
function pick(object: Json | undefined, ...names: string[]): number | null {
  if (!object) return null;
  for (const name of names) {
    const value = num(object[name]);
    if (value !== null) return value;
  }
  return null;
}

function pickAny(object: Json | undefined, ...names: string[]): unknown {
  if (!object) return undefined;
  for (const name of names) if (object[name] !== undefined) return object[name];
  return undefined;
}

function numberMatrix(value: unknown): number[][] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const rows = value.map((row) => (Array.isArray(row) && row.every((cell) => typeof cell === 'number') ? (row as number[]) : null));
  if (rows.some((row) => row === null || row.length !== value.length)) return null;
  return rows as number[][];
}

function numberList(value: unknown): number[] | null {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'number')) return null;
  return value as number[];
}

function scoresOf(label: string, entry: Json): ClassScores {
  return {
    label,
    precision: pick(entry, 'precision'),
    recall: pick(entry, 'recall'),
    f1: pick(entry, 'f1', 'f1Score', 'f1_score', 'f1-score'),
    support: pick(entry, 'support', 'count', 'rows'),
  };
}

function perClassOf(json: Json, labels: readonly string[]): ClassScores[] {
  const raw = pickAny(json, 'perClass', 'per_class', 'classes', 'classMetrics', 'class_metrics', 'report');
  if (Array.isArray(raw)) {
    return raw.filter(isObject).map((entry, index) => scoresOf(String(entry.label ?? entry.class ?? entry.name ?? labels[index] ?? index), entry));
  }
  if (isObject(raw)) {
    return Object.entries(raw)
      .filter(([label, entry]) => isObject(entry) && !/^(macro|weighted|micro) avg$|^accuracy$/.test(label))
      .map(([label, entry]) => scoresOf(label, entry as Json));
  }
  return [];
}

/** Test metrics of a run by their short name: `test_accuracy` → `accuracy`. */
export function testMetrics(metrics: Readonly<Record<string, LatestMetric>>): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [key, latest] of Object.entries(metrics)) {
    const match = /^test[_./-](.+)$/i.exec(key);
    if (match) found[match[1]!.toLowerCase()] = metricNumber(latest.value);
  }
  return found;
}

const CLASSIFICATION_METRICS = ['accuracy', 'f1', 'f1_macro', 'macro_f1', 'precision', 'recall', 'roc_auc', 'log_loss'];
const REGRESSION_METRICS = ['rmse', 'mae', 'r2', 'mse'];

/**
 * What a run's evaluation shows, from its test metrics and (when it has one) its
 * evaluation.json; null when it has neither.
 */
export function readEvaluation(file: unknown, test: Readonly<Record<string, number>>): Evaluation | null {
  // Lathe's training writes `{ schemaVersion, dataset, split, epochs, backend, report: {…} }`.
  const outer = isObject(file) ? file : undefined;
  const json = outer && isObject(outer.report) ? { ...outer, ...outer.report } : outer;
  const declared = String(pickAny(json, 'task', 'kind', 'type', 'problem') ?? '').toLowerCase();
  const confusion = pickAny(json, 'confusionMatrix', 'confusion_matrix', 'confusion');
  const residualsRaw = pickAny(json, 'residuals', 'predictions');
  const metrics = isObject(pickAny(json, 'metrics')) ? (pickAny(json, 'metrics') as Json) : json;
  const fromTest = (...names: string[]) => {
    for (const name of names) if (test[name] !== undefined) return test[name]!;
    return null;
  };

  const looksRegression =
    declared === 'regression' || (declared === '' && (residualsRaw !== undefined || REGRESSION_METRICS.some((name) => test[name] !== undefined || pick(metrics, name) !== null)));
  const looksClassification =
    declared === 'classification' || (declared === '' && !looksRegression && (confusion !== undefined || CLASSIFICATION_METRICS.some((name) => test[name] !== undefined)));

  if (looksClassification) {
    const matrixHolder = isObject(confusion) ? confusion : undefined;
    const matrix = numberMatrix(matrixHolder ? pickAny(matrixHolder, 'matrix', 'counts', 'values') : confusion);
    const labelList = pickAny(json, 'labels', 'classes', 'classNames', 'class_names') ?? pickAny(matrixHolder, 'labels', 'classes');
    const labels = Array.isArray(labelList) ? labelList.map(String) : matrix ? matrix.map((_, index) => String(index)) : [];
    const perClass = perClassOf(json ?? {}, labels);
    const macroRaw = pickAny(json, 'macro', 'macroAverage', 'macro_avg', 'macro avg');
    const macro = isObject(macroRaw) ? macroRaw : undefined;
    return {
      task: 'classification',
      accuracy: fromTest('accuracy') ?? pick(metrics, 'accuracy'),
      macro: {
        precision: fromTest('precision_macro', 'macro_precision', 'precision') ?? pick(macro, 'precision') ?? pick(metrics, 'macroPrecision', 'precision_macro'),
        recall: fromTest('recall_macro', 'macro_recall', 'recall') ?? pick(macro, 'recall') ?? pick(metrics, 'macroRecall', 'recall_macro'),
        f1: fromTest('f1_macro', 'macro_f1', 'f1') ?? pick(macro, 'f1', 'f1Score', 'f1-score', 'f1_score') ?? pick(metrics, 'macroF1', 'f1_macro'),
      },
      rocAuc: fromTest('roc_auc', 'rocauc', 'auc', 'roc_auc_ovr') ?? pick(metrics, 'rocAuc', 'roc_auc', 'auc'),
      logLoss: fromTest('log_loss', 'logloss') ?? pick(metrics, 'logLoss', 'log_loss'),
      labels,
      matrix: matrix && matrix.length === labels.length ? matrix : matrix && labels.length === 0 ? matrix : null,
      perClass,
      rows: pick(json, 'rows', 'testRows', 'test_rows', 'n') ?? (matrix ? matrix.flat().reduce((sum, count) => sum + count, 0) : null),
    };
  }
  if (looksRegression) {
    let residuals: RegressionEvaluation['residuals'] = null;
    if (isObject(residualsRaw)) {
      const actual = numberList(pickAny(residualsRaw, 'actual', 'actuals', 'y_true', 'yTrue', 'true'));
      const predicted = numberList(pickAny(residualsRaw, 'predicted', 'predictions', 'y_pred', 'yPred', 'pred'));
      if (actual && predicted && actual.length === predicted.length) residuals = { actual, predicted };
    } else if (Array.isArray(residualsRaw)) {
      const pairs = residualsRaw.filter(isObject).map((entry) => [pick(entry, 'actual', 'y_true', 'yTrue'), pick(entry, 'predicted', 'y_pred', 'yPred', 'prediction')] as const);
      if (pairs.length > 0 && pairs.every(([a, p]) => a !== null && p !== null)) residuals = { actual: pairs.map(([a]) => a!), predicted: pairs.map(([, p]) => p!) };
    }
    return {
      task: 'regression',
      rmse: fromTest('rmse') ?? pick(metrics, 'rmse') ?? (fromTest('mse') !== null ? Math.sqrt(fromTest('mse')!) : null),
      mae: fromTest('mae') ?? pick(metrics, 'mae'),
      r2: fromTest('r2', 'r_squared') ?? pick(metrics, 'r2', 'rSquared', 'r_squared'),
      residuals,
      residualsSampled: pickAny(json, 'residualsSampled', 'residuals_sampled') === true,
      rows: pick(json, 'rows', 'testRows', 'test_rows', 'n') ?? residuals?.actual.length ?? null,
    };
  }
  return null;
}
