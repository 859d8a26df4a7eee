import { SeededRandom } from '../data/seeded-random.ts';

/**
 * How a regressor did on the test rows: RMSE, MAE, R² (scikit-learn's: 1 − SS_res / SS_tot,
 * and when every actual value is the same, 1 for a perfect fit, else 0), and the residuals —
 * predicted beside actual for every test row, or MAX_RESIDUALS of them drawn evenly at random.
 */
export const MAX_RESIDUALS = 2000;

export interface RegressionReport {
  task: 'regression';
  rows: number;
  rmse: number;
  mae: number;
  r2: number;
  residuals: { row: number; actual: number; predicted: number; residual: number }[];
  /** True when `residuals` is a sample of the test rows. */
  residualsSampled: boolean;
}

export function regressionReport(actual: ArrayLike<number>, predicted: ArrayLike<number>, rowIndices: ArrayLike<number>, seed = 0): RegressionReport {
  const n = actual.length;
  let squares = 0;
  let absolute = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const error = (predicted[i] as number) - (actual[i] as number);
    squares += error * error;
    absolute += Math.abs(error);
    sum += actual[i] as number;
  }
  const mean = n === 0 ? 0 : sum / n;
  let total = 0;
  for (let i = 0; i < n; i++) total += ((actual[i] as number) - mean) ** 2;
  const r2 = total === 0 ? (squares === 0 ? 1 : 0) : 1 - squares / total;
  let chosen = Array.from({ length: n }, (_, i) => i);
  const sampled = n > MAX_RESIDUALS;
  if (sampled) chosen = Array.from(new SeededRandom(seed).shuffle(Int32Array.from(chosen)).subarray(0, MAX_RESIDUALS)).sort((a, b) => a - b);
  return {
    task: 'regression',
    rows: n,
    rmse: n === 0 ? 0 : Math.sqrt(squares / n),
    mae: n === 0 ? 0 : absolute / n,
    r2,
    residuals: chosen.map((i) => ({ row: rowIndices[i] as number, actual: actual[i] as number, predicted: predicted[i] as number, residual: (predicted[i] as number) - (actual[i] as number) })),
    residualsSampled: sampled,
  };
}
