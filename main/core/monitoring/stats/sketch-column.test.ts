import { describe, expect, it } from 'vitest';
import { columnDrift, type ColumnSample, type DriftMethod } from './column-drift.ts';
import { CategoricalSketch, ColumnSketch, NumericSketch, OTHER_CATEGORY, QUANTILE_POINTS } from './column-sample.ts';
import { quantileLevels, sketchColumn } from './sketch-column.ts';

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n draws of a normal (Box–Muller: tails out to ±5σ at a million) or of its exponential, a log-normal. */
function draws(n: number, seed: number, shape: 'normal' | 'log-normal', shift = 0): Float64Array {
  const random = mulberry32(seed);
  return Float64Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return shape === 'normal' ? 10 + 2 * z + shift : Math.exp(0.5 * z) * (1 + shift);
  });
}

const numbers = (values: ArrayLike<number | null>) => ({ form: 'values', kind: 'numeric', values }) as const satisfies ColumnSample;

describe('a sketch of 1,000,000 values judges as the raw values do', () => {
  // Measured on this data: |sketch − exact| for Wasserstein / std about 2e-7 (normal) and 5e-5
  // (log-normal, whose long right tail a linear quantile function overstates); for Jensen–Shannon
  // at most 5e-5. The bounds, 1/1000 and 1/200 of the 0.1 threshold, leave room above those.
  const bounds: Partial<Record<DriftMethod, number>> = { wasserstein: 1e-4, jensenshannon: 5e-4 };
  for (const shape of ['normal', 'log-normal'] as const) {
    it(`${shape}: Wasserstein / std within 1e-4 and Jensen–Shannon within 5e-4 of the exact scores`, () => {
      const reference = draws(1_000_000, 1, shape);
      const sketch = sketchColumn(reference, 'numeric');
      // 2,001 even levels and 8 halvings toward each end (5e-4 / 2⁸ of a million is still a value).
      expect(sketch.quantiles).toHaveLength(QUANTILE_POINTS + 2 * 8);
      for (const window of [draws(100_000, 2, shape), draws(100_000, 3, shape, 0.05)]) {
        for (const [method, bound] of Object.entries(bounds) as [DriftMethod, number][]) {
          const exact = columnDrift(numbers(reference), numbers(window), { method });
          const sketched = columnDrift(sketch, numbers(window), { method });
          expect(Math.abs(sketched.score - exact.score), `${method}: ${sketched.score} vs exact ${exact.score}`).toBeLessThan(bound);
          expect(sketched.verdict).toBe(exact.verdict);
          expect(sketched.reason).toBe('The reference is a sketch of 1,000,000 values (2,017 quantiles), so the score is approximate');
        }
      }
    });
  }
});

describe('sketchColumn', () => {
  it('keeps every value exactly while there are at most 1,000 distinct, so every score is exact', () => {
    const random = mulberry32(5);
    const reference = Float64Array.from({ length: 100_000 }, () => Math.floor(random() * 300) / 4);
    const window = Float64Array.from({ length: 2_000 }, () => Math.floor(random() * 310) / 4);
    const sketch = sketchColumn(reference, 'numeric');
    expect(sketch).toMatchObject({ count: 100_000, distinct: 300, quantiles: null, levels: null });
    for (const method of ['ks', 'wasserstein', 'jensenshannon', 'psi', 'chisquare'] as const) {
      const exact = columnDrift(numbers(reference), numbers(window), { method });
      expect(columnDrift(sketch, numbers(window), { method })).toEqual(exact);
    }
  });

  it('records count, missing, infinite, mean, population std, min and max', () => {
    const sketch = sketchColumn([1, 2, 3, 4, null, Number.NaN, Infinity, -Infinity], 'numeric');
    expect(sketch).toMatchObject({ count: 4, missing: 2, infinite: 2, mean: 2.5, min: 1, max: 4, distinct: 4, exact: { values: [1, 2, 3, 4], counts: [1, 1, 1, 1] } });
    expect(sketch.std).toBeCloseTo(Math.sqrt(1.25), 15);
  });

  it('makes a usable sketch of an empty or all-missing column, which then says it cannot judge', () => {
    const sketch = sketchColumn([null, null], 'numeric');
    expect(NumericSketch.safeParse(sketch).success).toBe(true);
    expect(columnDrift(sketch, numbers(Array.from({ length: 50 }, (_, i) => i)))).toMatchObject({ verdict: 'not-enough-data', reason: "Every one of the reference's 2 values is missing" });
  });

  it('keeps tail levels that halve toward 0 and 1 while they still hold a value', () => {
    const levels = quantileLevels(1_000_000, 2001);
    expect(levels.slice(0, 4)).toEqual([0, 1 / 2000 / 256, 1 / 2000 / 128, 1 / 2000 / 64]);
    expect(levels.slice(-3)).toEqual([1 - 1 / 2000 / 128, 1 - 1 / 2000 / 256, 1]);
    expect(levels[1]! * 1_000_000).toBeGreaterThanOrEqual(1);
    expect(levels.at(-1)).toBe(1);
    expect(quantileLevels(3000, 2001)).toHaveLength(2001);
  });

  it('counts the 1,000 most common categories and the rest as "(other)"', () => {
    const values = Array.from({ length: 30_000 }, (_, i) => (i < 20_000 ? `c${i % 1000}` : `rare${i % 500}`));
    const sketch = sketchColumn([...values, null], 'categorical');
    expect(sketch.categories).toHaveLength(1000);
    expect(sketch.categories[0]).toEqual(['c0', 20]);
    expect(sketch).toMatchObject({ count: 30_000, missing: 1, other: { categories: 500, count: 10_000 } });
    const window = { form: 'values', kind: 'categorical', values: [...Array(50).fill('c1'), ...Array(50).fill('unseen')] } as const;
    const drift = columnDrift(sketch, window);
    expect(drift.method).toBe('jensenshannon');
    expect(drift.reason).toBe(`The reference sketch kept its 1,000 most common categories; 1 window category outside them counts as "${OTHER_CATEGORY}"; 1 missing reference value left out`);
  });

  it('survives JSON: the parsed sketch validates and judges the same', () => {
    const reference = draws(20_000, 7, 'log-normal');
    const windowValues = draws(3_000, 8, 'log-normal', 0.1);
    const window = numbers(windowValues);
    for (const sketch of [sketchColumn(reference, 'numeric'), sketchColumn(Array.from(reference, (x) => String(Math.round(x * 3))), 'categorical')]) {
      const parsed = ColumnSketch.parse(JSON.parse(JSON.stringify(sketch)));
      const current = sketch.kind === 'numeric' ? window : ({ form: 'values', kind: 'categorical', values: Array.from(windowValues, (x) => String(Math.round(x * 3))) } as const);
      expect(columnDrift(parsed, current)).toEqual(columnDrift(sketch, current));
    }
  });
});

describe('a quantile sketch of a column with few values (as one built without counts per value)', () => {
  const random = mulberry32(11);
  const reference = Float64Array.from({ length: 200_000 }, () => Math.floor(random() * random() * 4));
  const window = Float64Array.from({ length: 5_000 }, () => Math.floor(random() * random() * 4.4));
  const exact = sketchColumn(reference, 'numeric');
  const quantiles = Array.from({ length: 2001 }, (_, i) => reference.slice().sort()[Math.round((i / 2000) * (reference.length - 1))]!);
  const countless = NumericSketch.parse({ ...exact, exact: null, quantiles, levels: null });

  it('is judged with Sturges bins, close to the exact value counts, and says so', () => {
    const fromCounts = columnDrift(exact, numbers(window));
    const fromQuantiles = columnDrift(countless, numbers(window));
    expect(fromQuantiles.method).toBe('jensenshannon');
    // Other bins, and each jump between values smeared over one quantile band: 0.057 against
    // 0.053 here, a tenth of the threshold apart at most.
    expect(Math.abs(fromQuantiles.score - fromCounts.score)).toBeLessThan(1e-2);
    expect(fromQuantiles.verdict).toBe(fromCounts.verdict);
    expect(fromQuantiles.reason).toContain('its 4 values go into Sturges bins rather than one bin each');
  });

  it('gets KS where Evidently would count values with chi-square', () => {
    const small = NumericSketch.parse({ ...countless, count: 900, exact: null });
    const drift = columnDrift(small, numbers(window));
    expect(drift.method).toBe('ks');
    expect(drift.reason).toContain('KS stands in for chi-square');
  });
});

describe('the sketch schemas refuse sketches that do not hold together', () => {
  const good = sketchColumn(draws(5_000, 9, 'normal'), 'numeric');
  const problem = (sketch: unknown) => {
    const result = ColumnSketch.safeParse(sketch);
    return result.success ? null : result.error.issues.map((issue) => issue.message).join('; ');
  };

  it('accepts what sketchColumn makes', () => {
    expect(problem(good)).toBeNull();
  });
  it('refuses quantiles that decrease, levels that do not fit, and both or neither representation', () => {
    const quantiles = [...good.quantiles!];
    [quantiles[5], quantiles[6]] = [quantiles[6]!, quantiles[5]!];
    expect(problem({ ...good, quantiles })).toBe('quantiles decrease at 6');
    expect(problem({ ...good, levels: good.levels!.slice(1) })).toBe('2003 quantiles but 2002 levels');
    expect(problem({ ...good, exact: { values: [1], counts: [5000] } })).toBe('a numeric sketch holds either exact value counts or quantiles, not both or neither');
    expect(problem({ ...good, quantiles: null, levels: null })).toBe('a numeric sketch holds either exact value counts or quantiles, not both or neither');
    expect(problem({ ...good, std: -1 })).toMatch(/>=0|≥ ?0|too small/i);
  });
  it('refuses category counts that do not add up, or a category twice', () => {
    const sketch = sketchColumn(['a', 'b', 'b'], 'categorical');
    expect(CategoricalSketch.safeParse(sketch).success).toBe(true);
    expect(problem({ ...sketch, count: 4 })).toBe("category counts add up to 3, not the sketch's count 4");
    expect(problem({ ...sketch, categories: [['b', 2], ['b', 1]] })).toBe('a category is listed twice');
  });
});
