import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { axisLabels, axisPosition, axisTicks, fitAxis, niceTicks } from './parallel-scales.ts';

describe('parallel coordinates scales', () => {
  it('puts numbers on a linear axis from min (bottom) to max (top)', () => {
    const axis = fitAxis('lr', ['0.1', '0.01', '0.05', null]);
    expect(axis.kind).toBe('numeric');
    expect(axisPosition(axis, '0.01')).toBeCloseTo(0);
    expect(axisPosition(axis, '0.1')).toBeCloseTo(1);
    expect(axisPosition(axis, null)).toBeNull();
  });

  it('spreads decades evenly on a log axis, and refuses log where a value is not above zero', () => {
    const axis = fitAxis('lr', [0.001, 0.01, 0.1], { log: true });
    expect(axis.log).toBe(true);
    expect(axisPosition(axis, 0.01)).toBeCloseTo(0.5);
    expect(axisTicks(axis)).toEqual([0.001, 0.01, 0.1]);
    const withZero = fitAxis('dropout', [0, 0.2, 0.5], { log: true });
    expect(withZero.canLog).toBe(false);
    expect(withZero.log).toBe(false);
  });

  it('flips an axis', () => {
    const axis = fitAxis('epochs', [10, 20], { flipped: true });
    expect(axisPosition(axis, 10)).toBeCloseTo(1);
    expect(axisPosition(axis, 20)).toBeCloseTo(0);
  });

  it('gives text params a categorical axis, values in natural order', () => {
    const axis = fitAxis('hidden', ['64,32', '128', '16,16', '128']);
    expect(axis.kind).toBe('categorical');
    expect(axis.categories).toEqual(['16,16', '64,32', '128']);
    expect(axisPosition(axis, '16,16')).toBe(0);
    expect(axisPosition(axis, '64,32')).toBe(0.5);
    expect(axisPosition(axis, '128')).toBe(1);
    expect(axisPosition(fitAxis('model', ['mlp']), 'mlp')).toBe(0.5);
  });

  it('centres an axis whose runs all share one number', () => {
    expect(axisPosition(fitAxis('seed', [7, 7]), 7)).toBeCloseTo(0.5);
  });

  it('keeps every position within the axis, whatever the values', () => {
    // Once found by this property: values a hair apart on a log axis rounded past its end.
    const close = fitAxis('x', [1.0000000000000002e-6, 1.0000000000000004e-6], { log: true });
    expect(axisPosition(close, 1.0000000000000004e-6)).toBeGreaterThanOrEqual(0);
    expect(axisPosition(close, 1.0000000000000004e-6)).toBeLessThanOrEqual(1);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.boolean(), fc.boolean(), (values, log, flipped) => {
        const axis = fitAxis('x', values, { log, flipped });
        for (const value of values) {
          const position = axisPosition(axis, value)!;
          expect(position).toBeGreaterThanOrEqual(-1e-9);
          expect(position).toBeLessThanOrEqual(1 + 1e-9);
        }
      }),
    );
  });

  it('ticks at round numbers inside the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 97, 4)).toEqual([20, 40, 60, 80]);
  });

  it('labels both ends of an axis, and round ticks that do not crowd them', () => {
    expect(axisLabels(fitAxis('batch', [16, 64]))).toEqual([16, 30, 40, 50, 64]);
    expect(axisLabels(fitAxis('model', ['mlp', 'linear']))).toEqual(['linear', 'mlp']);
    // Whole numbers (rows, units) get whole-number ticks.
    expect(axisLabels(fitAxis('testRows', [67, 69]))).toEqual([67, 68, 69]);
    // Every run alike: that one value, mid-axis.
    expect(axisLabels(fitAxis('val_accuracy', [1, 1]))).toEqual([1]);
  });
});
