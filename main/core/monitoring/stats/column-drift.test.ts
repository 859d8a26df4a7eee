import { describe, expect, it } from 'vitest';
import { LatheFailure } from '../../errors.ts';
import { columnDrift, datasetDrift, type ColumnDrift, type ColumnSample } from './column-drift.ts';
import { sketchColumn } from './sketch-column.ts';
import { DRIFT_COLUMNS, driftTable, kindOf, rowsOf, withDrift, type DriftColumn, type DriftTable } from './testing/drift-table.ts';

function raw(table: DriftTable, column: DriftColumn): ColumnSample {
  return kindOf(column) === 'numeric'
    ? { form: 'values', kind: 'numeric', values: table[column as 'bill' | 'mass' | 'age'] }
    : { form: 'values', kind: 'categorical', values: table[column as 'species' | 'tagged'] };
}

function sketch(table: DriftTable, column: DriftColumn): ColumnSample {
  return kindOf(column) === 'numeric' ? sketchColumn(table[column as 'bill' | 'mass' | 'age'], 'numeric') : sketchColumn(table[column as 'species' | 'tagged'], 'categorical');
}

function judge(reference: DriftTable, window: DriftTable, asSketch: boolean): Record<DriftColumn, ColumnDrift> {
  return Object.fromEntries(DRIFT_COLUMNS.map((column) => [column, columnDrift(asSketch ? sketch(reference, column) : raw(reference, column), raw(window, column))])) as Record<DriftColumn, ColumnDrift>;
}

function flagged(drifts: Record<DriftColumn, ColumnDrift>): DriftColumn[] {
  return DRIFT_COLUMNS.filter((column) => drifts[column].verdict === 'drift');
}

/**
 * Each window is a slice of the reference's own rows with one column drifted, as `lathe simulate
 * traffic --drift` builds requests from a dataset. (A fresh, independent sample would be flagged
 * by a p < 0.05 test one time in twenty per column — by design, in Evidently too.)
 */
describe('injected drift on one column is flagged on that column and no other', () => {
  describe('a small reference (800 rows): KS, chi-square and the Z-test', () => {
    const reference = driftTable(800, 1);
    it('chooses the tests Evidently chooses for each column', () => {
      const drifts = judge(reference, rowsOf(reference, 0, 400), false);
      expect(Object.fromEntries(DRIFT_COLUMNS.map((column) => [column, drifts[column].method]))).toEqual({ bill: 'ks', mass: 'ks', age: 'ks', species: 'chisquare', tagged: 'z' });
      expect(flagged(drifts)).toEqual([]);
      for (const column of DRIFT_COLUMNS) expect(drifts[column]).toMatchObject({ pValue: true, threshold: 0.05 });
    });
    for (const [i, shifted] of DRIFT_COLUMNS.entries()) {
      it(`flags ${shifted} alone when ${shifted} shifts`, () => {
        const drifts = judge(reference, withDrift(rowsOf(reference, 80 * i, 400), shifted, i), false);
        expect(flagged(drifts)).toEqual([shifted]);
        expect(drifts[shifted].score).toBeLessThan(0.001);
      });
    }
  });

  describe('a large reference (200,000 rows, sketched): Wasserstein and Jensen–Shannon', () => {
    const reference = driftTable(200_000, 3);
    it('chooses the distances Evidently chooses, by the true row count', () => {
      const drifts = judge(reference, rowsOf(reference, 0, 5_000), true);
      expect(Object.fromEntries(DRIFT_COLUMNS.map((column) => [column, drifts[column].method]))).toEqual({ bill: 'wasserstein', mass: 'wasserstein', age: 'wasserstein', species: 'jensenshannon', tagged: 'jensenshannon' });
      expect(flagged(drifts)).toEqual([]);
      for (const column of DRIFT_COLUMNS) expect(drifts[column]).toMatchObject({ pValue: false, threshold: 0.1 });
    });
    for (const [i, shifted] of DRIFT_COLUMNS.entries()) {
      it(`flags ${shifted} alone when ${shifted} shifts`, () => {
        const drifts = judge(reference, withDrift(rowsOf(reference, 5_000 * (i + 1), 5_000), shifted, i), true);
        expect(flagged(drifts)).toEqual([shifted]);
        expect(datasetDrift(Object.values(drifts))).toEqual({ drifted: 1, judged: 5, share: 0.2, verdict: 'no-drift' });
      });
    }
  });
});

describe("Evidently's choice of method", () => {
  const numbers = (values: (number | null)[]): ColumnSample => ({ form: 'values', kind: 'numeric', values });
  const categories = (values: (string | null)[]): ColumnSample => ({ form: 'values', kind: 'categorical', values });
  const spread = (n: number, distinct: number) => Array.from({ length: n }, (_, i) => i % distinct);

  it('uses the tests up to 1,000 reference rows and the distances from 1,001', () => {
    expect(columnDrift(numbers(spread(1000, 50)), numbers(spread(100, 50))).method).toBe('ks');
    expect(columnDrift(numbers(spread(1001, 50)), numbers(spread(100, 50))).method).toBe('wasserstein');
    expect(columnDrift(categories(spread(1000, 4).map(String)), categories(spread(100, 4).map(String))).method).toBe('chisquare');
    expect(columnDrift(categories(spread(1001, 4).map(String)), categories(spread(100, 4).map(String))).method).toBe('jensenshannon');
  });

  it('counts rows without the missing ones, and the sketch by the rows it stands for', () => {
    expect(columnDrift(numbers([...spread(1000, 50), null, null]), numbers(spread(100, 50))).method).toBe('ks');
    expect(columnDrift(sketchColumn(spread(5000, 3000), 'numeric'), numbers(spread(100, 50))).method).toBe('wasserstein');
  });

  it('treats a number with at most 5 values, in reference and window together, as a category', () => {
    expect(columnDrift(numbers(spread(500, 5)), numbers(spread(100, 5))).method).toBe('chisquare');
    expect(columnDrift(numbers(spread(500, 5)), numbers([...spread(99, 5), 7])).method).toBe('ks');
    expect(columnDrift(numbers(spread(500, 2)), numbers(spread(100, 2))).method).toBe('z');
    expect(columnDrift(numbers(spread(5000, 5)), numbers(spread(100, 5))).method).toBe('jensenshannon');
    expect(columnDrift(categories(spread(500, 2).map(String)), categories(spread(100, 3).map(String))).method).toBe('chisquare');
  });

  it('runs the method asked for, with its default or the given threshold', () => {
    expect(columnDrift(numbers(spread(500, 50)), numbers(spread(100, 50)), { method: 'psi' })).toMatchObject({ method: 'psi', threshold: 0.1, pValue: false });
    expect(columnDrift(numbers(spread(500, 50)), numbers(spread(100, 50)), { method: 'ks', threshold: 0.01 })).toMatchObject({ method: 'ks', threshold: 0.01 });
  });
});

describe('windows that cannot be judged say so, never "no drift"', () => {
  const reference: ColumnSample = { form: 'values', kind: 'numeric', values: Array.from({ length: 500 }, (_, i) => Math.sin(i)) };
  const window = (values: (number | null)[]): ColumnSample => ({ form: 'values', kind: 'numeric', values });

  it('needs minRows values in the window: 29 is too few, 30 is enough', () => {
    const few = columnDrift(reference, window(Array.from({ length: 29 }, (_, i) => Math.cos(i))));
    expect(few).toMatchObject({ verdict: 'not-enough-data', method: 'ks', score: 1 });
    expect(few.reason).toBe('The window has 29 values; judging drift needs at least 30');
    expect(columnDrift(reference, window(Array.from({ length: 30 }, (_, i) => Math.cos(i)))).verdict).not.toBe('not-enough-data');
    expect(columnDrift(reference, window(Array.from({ length: 10 }, (_, i) => i)), { minRows: 5 }).verdict).not.toBe('not-enough-data');
  });

  it('names an all-missing window, an empty one and a thin reference', () => {
    expect(columnDrift(reference, window(Array(50).fill(null))).reason).toBe("Every one of the window's 50 values is missing");
    expect(columnDrift(reference, window([])).reason).toBe('The window is empty');
    const thin = columnDrift(window([1, 2, null]), window(Array.from({ length: 40 }, (_, i) => i)));
    expect(thin).toMatchObject({ verdict: 'not-enough-data', reason: 'The reference has 2 values (and 1 missing); judging drift needs at least 30' });
    const categorical = columnDrift({ form: 'values', kind: 'categorical', values: Array(100).fill('a') }, { form: 'values', kind: 'categorical', values: [...Array(20).fill('a'), ...Array(20).fill(null)] });
    expect(categorical).toMatchObject({ verdict: 'not-enough-data', reason: 'The window has 20 values (and 20 missing); judging drift needs at least 30' });
  });

  it('leaves NaN, null and infinities out, says so, and still gives a finite score', () => {
    const values = [...Array.from({ length: 100 }, (_, i) => Math.cos(i)), Number.NaN, Infinity, -Infinity, null];
    const drift = columnDrift(reference, window(values));
    expect(Number.isFinite(drift.score)).toBe(true);
    expect(drift.verdict).not.toBe('not-enough-data');
    expect(drift.reason).toBe('2 missing window values left out; 2 infinite window values left out, as Evidently does');
    const sketched = columnDrift(sketchColumn([...Array.from({ length: 3000 }, (_, i) => Math.sin(i)), Infinity, null], 'numeric'), window(values));
    expect(Number.isFinite(sketched.score)).toBe(true);
    expect(sketched.reason).toContain('1 infinite reference value left out');
  });

  it('judges a constant reference against Evidently\'s std floor, with a finite score', () => {
    const constant = window(Array(2000).fill(3));
    const same = columnDrift(constant, window(Array(100).fill(3)), { method: 'wasserstein' });
    expect(same).toMatchObject({ score: 0, verdict: 'no-drift' });
    expect(same.reason).toContain("divided by Evidently's floor 0.001");
    const moved = columnDrift(constant, window(Array(100).fill(3.01)), { method: 'wasserstein' });
    expect(moved.score).toBeCloseTo(10, 9);
    expect(moved.verdict).toBe('drift');
    expect(columnDrift(constant, window(Array(100).fill(3))).method).toBe('jensenshannon');
    expect(columnDrift(constant, window(Array(100).fill(3))).score).toBe(0);
  });

  it('gives p = 0 and says why when the window has a category the reference never had', () => {
    const drift = columnDrift({ form: 'values', kind: 'categorical', values: [...Array(300).fill('a'), ...Array(300).fill('b'), ...Array(300).fill('c')] }, { form: 'values', kind: 'categorical', values: [...Array(40).fill('a'), ...Array(40).fill('b'), ...Array(39).fill('c'), 'new'] });
    expect(drift).toMatchObject({ method: 'chisquare', score: 0, verdict: 'drift' });
    expect(drift.reason).toContain('the reference never had ("new")');
  });
});

describe('values at the edge of a double', () => {
  const reference = Array.from({ length: 3000 }, (_, i) => Math.sin(i));
  const window: ColumnSample = { form: 'values', kind: 'numeric', values: [...Array.from({ length: 100 }, (_, i) => Math.cos(i)), 1e308, -1e308, Number.MAX_VALUE, -Number.MAX_VALUE] };
  const references: [string, ColumnSample][] = [
    ['3,000 raw values', { form: 'values', kind: 'numeric', values: reference }],
    ['500 raw values', { form: 'values', kind: 'numeric', values: reference.slice(0, 500) }],
    ['a sketch', sketchColumn(reference, 'numeric')],
  ];
  for (const [name, sample] of references) {
    it(`gives every method a finite score against ${name}, and a Wasserstein distance that flags the outliers`, () => {
      for (const method of ['ks', 'wasserstein', 'jensenshannon', 'psi'] as const) {
        const drift = columnDrift(sample, window, { method });
        expect(Number.isFinite(drift.score), `${method}: ${drift.score}`).toBe(true);
        expect(drift.verdict).not.toBe('not-enough-data');
      }
      expect(columnDrift(sample, window, { method: 'wasserstein' }).verdict).toBe('drift');
    });
  }
  it('keeps the standard deviation of values near ±1e308 finite, so the distance is not divided by Infinity', () => {
    const huge = Array.from({ length: 3000 }, (_, i) => (i % 2 ? 1e308 : -1e308) * (((i % 7) + 1) / 8));
    const drift = columnDrift({ form: 'values', kind: 'numeric', values: huge }, { form: 'values', kind: 'numeric', values: huge.slice(0, 500).map((x) => x / 2) });
    expect(drift.method).toBe('wasserstein');
    expect(drift.score).toBeGreaterThan(0.1);
    expect(Number.isFinite(drift.score)).toBe(true);
  });
});

describe('options that cannot work are refused, naming what to change', () => {
  const numbers: ColumnSample = { form: 'values', kind: 'numeric', values: [1, 2, 3] };
  const words: ColumnSample = { form: 'values', kind: 'categorical', values: ['a', 'b'] };
  const refused = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(LatheFailure);
      return (error as LatheFailure).error;
    }
    throw new Error('expected a failure');
  };

  it('KS or Wasserstein on a category', () => {
    expect(refused(() => columnDrift(words, words, { method: 'ks' }))).toMatchObject({ code: 'INVALID_INPUT', message: "Drift method 'ks' needs a numeric column, and this one is categorical.", hint: "Use one of chisquare, z, jensenshannon, psi, or leave the method out for Evidently's default." });
  });
  it('a sketch as the window, or a numeric reference for a categorical window', () => {
    expect(refused(() => columnDrift(numbers, sketchColumn([1, 2], 'numeric'))).message).toBe('The current window must be raw values, not a sketch.');
    expect(refused(() => columnDrift(numbers, words)).message).toBe('The reference is a numeric column but the window is categorical.');
  });
  it('thresholds, methods and row minimums out of range', () => {
    expect(refused(() => columnDrift(numbers, numbers, { method: 'ks', threshold: 1.5 })).location).toEqual({ field: 'threshold' });
    expect(refused(() => columnDrift(numbers, numbers, { threshold: Number.NaN })).location).toEqual({ field: 'threshold' });
    expect(refused(() => columnDrift(numbers, numbers, { minRows: 0 })).location).toEqual({ field: 'minRows' });
    expect(refused(() => columnDrift(numbers, numbers, { method: 'kl' as never })).hint).toBe('Use one of ks, chisquare, z, wasserstein, jensenshannon, psi.');
  });
  it('chi-square by value on a sketch that kept only quantiles', () => {
    const many = sketchColumn(Array.from({ length: 5000 }, (_, i) => i), 'numeric');
    expect(refused(() => columnDrift(many, { form: 'values', kind: 'numeric', values: Array.from({ length: 50 }, (_, i) => i) }, { method: 'chisquare' })).message).toBe("Drift method 'chisquare' counts each value, and this reference sketch keeps quantiles, not counts (5,000 distinct values).");
  });
  it('a values array that is not what its kind says', () => {
    expect(() => columnDrift({ form: 'values', kind: 'numeric', values: ['1'] as never }, numbers)).toThrow(/value 0 is string "1", not a number/);
  });
});

describe('the dataset verdict', () => {
  const column = (verdict: ColumnDrift['verdict']): ColumnDrift => ({ method: 'ks', score: 0.5, threshold: 0.05, pValue: true, verdict, reason: null });

  it('drifts when at least half the judged columns drift, as Evidently', () => {
    expect(datasetDrift([column('drift'), column('no-drift')])).toEqual({ drifted: 1, judged: 2, share: 0.5, verdict: 'drift' });
    expect(datasetDrift([column('drift'), column('no-drift'), column('no-drift')])).toMatchObject({ share: 1 / 3, verdict: 'no-drift' });
    expect(datasetDrift([column('drift'), column('no-drift'), column('no-drift')], 0.3)).toMatchObject({ verdict: 'drift' });
  });
  it('leaves unjudged columns out, and has no verdict when none was judged', () => {
    expect(datasetDrift([column('drift'), column('not-enough-data'), column('no-drift')])).toMatchObject({ judged: 2, verdict: 'drift' });
    expect(datasetDrift([column('not-enough-data')])).toEqual({ drifted: 0, judged: 0, share: 0, verdict: 'not-enough-data' });
    expect(datasetDrift([])).toMatchObject({ verdict: 'not-enough-data' });
  });
  it('refuses a share outside (0, 1]', () => {
    expect(() => datasetDrift([column('drift')], 0)).toThrow(LatheFailure);
    expect(() => datasetDrift([column('drift')], 1.5)).toThrow(/at most 1/);
  });
});
