import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockLength, decodeBlockInto, emptyColumns, encodeBlock, type MetricColumns } from './metric-blocks.ts';

const columns = (steps: number[], values: number[], timestamps: number[]): MetricColumns => ({
  steps: Float64Array.from(steps),
  values: Float64Array.from(values),
  timestamps: Float64Array.from(timestamps),
});

function roundTrip(input: MetricColumns): MetricColumns {
  const block = encodeBlock(input);
  const out = emptyColumns(blockLength(block) + 3);
  const n = decodeBlockInto(block, out, 3); // at an offset, as blocks are read one after another
  return { steps: out.steps.subarray(3, 3 + n), values: out.values.subarray(3, 3 + n), timestamps: out.timestamps.subarray(3, 3 + n) };
}

/** Bit-for-bit equality, so NaN payloads aside, -0 stays -0 and NaN stays NaN. */
function expectSame(actual: MetricColumns, expected: MetricColumns): void {
  expect(actual.values.length).toBe(expected.values.length);
  for (const column of ['steps', 'values', 'timestamps'] as const) {
    for (let i = 0; i < expected[column].length; i += 1) {
      if (!Object.is(actual[column][i], expected[column][i])) throw new Error(`${column}[${i}]: ${actual[column][i]} ≠ ${expected[column][i]}`);
    }
  }
}

describe('metric blocks', () => {
  it('give back every value bit for bit, NaN, ±Infinity and -0 included', () => {
    const input = columns([0, 1, 2, 3, 4], [NaN, Infinity, -Infinity, -0, 5e-324], [10, 10, 10, 10, 10]);
    expectSame(roundTrip(input), input);
  });

  it('store a counter and a steady clock in no bytes a point, and other whole numbers in four', () => {
    const n = 1000;
    const steady = encodeBlock(columns([...Array(n).keys()], Array(n).fill(1), [...Array(n).keys()].map((i) => 1.75e12 + i * 10)));
    expect(steady.byteLength).toBe(40 + n * 8);
    const jittery = encodeBlock(columns([...Array(n).keys()].map((i) => i * i), Array(n).fill(1), [...Array(n).keys()].map((i) => 1.75e12 + i * 10 + (i % 3))));
    expect(jittery.byteLength).toBe(40 + n * 8 + n * 4 + n * 4);
    const wide = encodeBlock(columns([0, 2 ** 40, 1], [1, 2, 3], [0, 0, 0]));
    expect(wide.byteLength).toBe(40 + 3 * 8 + 3 * 8);
  });

  it('round-trip any values, steps and timestamps, in every form', () => {
    const safeInt = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger(), fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }));
    const column = fc.oneof(
      fc.array(safeInt, { maxLength: 60 }),
      fc.tuple(safeInt, fc.integer({ min: -5, max: 5 }), fc.nat(60)).map(([first, stride, n]) => Array.from({ length: n }, (_, i) => first + i * stride)),
      fc.array(fc.double(), { maxLength: 60 }),
    );
    fc.assert(
      fc.property(column, column, fc.array(fc.double(), { maxLength: 60 }), (steps, timestamps, values) => {
        const n = Math.min(steps.length, timestamps.length, values.length);
        const input = columns(steps.slice(0, n), values.slice(0, n), timestamps.slice(0, n));
        expectSame(roundTrip(input), input);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuse a block whose length its header does not allow', () => {
    const block = encodeBlock(columns([0, 1, 2], [1, 2, 3], [5, 5, 5]));
    expect(() => decodeBlockInto(block.subarray(0, block.byteLength - 8), emptyColumns(3), 0)).toThrow(/header does not allow/);
  });
});
