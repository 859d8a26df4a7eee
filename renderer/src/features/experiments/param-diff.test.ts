import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runOf, summaryOfRun } from '../../testing/fake-api.ts';
import { compareRows, valuesDiffer } from './param-diff.ts';

const runs = [
  summaryOfRun(runOf(1, { params: { lr: '0.01', hidden: '64,32', seed: '1' }, datasets: [{ name: 'penguins', version: 1, contentHash: 'sha256:a' }] })),
  summaryOfRun(runOf(2, { params: { lr: '0.1', hidden: '64,32', seed: '1' }, datasets: [{ name: 'penguins', version: 1, contentHash: 'sha256:a' }] })),
  summaryOfRun(runOf(3, { params: { lr: '0.01', hidden: '64,32' }, datasets: [{ name: 'penguins', version: 2, contentHash: 'sha256:b' }] })),
];

describe('"Show only what differs"', () => {
  it('keeps the params whose values are not all the same, a missing one counting as different', () => {
    const rows = compareRows(runs, { onlyDiffering: true });
    expect(rows.map((row) => `${row.section}:${row.key}`)).toEqual(['param:lr', 'param:seed', 'dataset:dataset']);
    expect(rows.find((row) => row.key === 'seed')?.values).toEqual(['1', '1', null]);
    expect(rows.find((row) => row.key === 'dataset')?.values).toEqual(['penguins@1', 'penguins@1', 'penguins@2']);
  });

  it('shows every param when off, with which ones differ', () => {
    const rows = compareRows(runs, { onlyDiffering: false });
    expect(rows.filter((row) => row.section === 'param').map((row) => [row.key, row.differs])).toEqual([
      ['hidden', false],
      ['lr', true],
      ['seed', true],
    ]);
  });

  it('marks the best run of each metric: the lowest loss, the highest accuracy', () => {
    const scored = [
      summaryOfRun(runOf(1, { metrics: { val_loss: { value: 0.4, step: 9, timestamp: 1 }, val_accuracy: { value: 0.9, step: 9, timestamp: 1 } } })),
      summaryOfRun(runOf(2, { metrics: { val_loss: { value: 0.3, step: 9, timestamp: 1 }, val_accuracy: { value: 'NaN', step: 9, timestamp: 1 } } })),
    ];
    const rows = compareRows(scored, { onlyDiffering: false });
    expect(rows.find((row) => row.key === 'val_loss')?.best).toBe(1);
    expect(rows.find((row) => row.key === 'val_accuracy')?.best).toBe(0);
  });

  it('a single run differs from nothing; equal values never differ', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constant(null)), { minLength: 1, maxLength: 8 }), (values) => {
        expect(valuesDiffer(values)).toBe(new Set(values).size > 1);
      }),
    );
  });
});
