import { describe, expect, it } from 'vitest';
import { driftLevel, driftStrip, mergeWindows, thresholdRatio, verdictSentence, windowsSignature } from './drift-strip-rows.ts';
import { categoricalColumn, numericColumn, windowOf } from './window-fixtures.ts';

describe('the drift heat strip', () => {
  const windows = [
    windowOf(0, [numericColumn('bill_length_mm', 'no-drift', 0.02), categoricalColumn('island', 'no-drift', 0.6)]),
    windowOf(1, [numericColumn('bill_length_mm', 'drift', 0.31), categoricalColumn('island', 'no-drift', 0.4)]),
    windowOf(2, [numericColumn('bill_length_mm', 'not-enough-data', 0), categoricalColumn('island', 'drift', 0.001), numericColumn('body_mass_g', 'no-drift', 0.09)]),
  ];

  it('has a row per feature in the order the agent lists them, a late feature after, then the prediction; a column per window', () => {
    const strip = driftStrip(windows);
    expect(strip.windows).toEqual([0, 1, 2]);
    expect(strip.rows.map((row) => row.name)).toEqual(['bill_length_mm', 'island', 'body_mass_g', 'prediction']);
    expect(strip.rows.at(-1)!.kind).toBe('prediction');
    expect(strip.rows[0]!.cells.map((cell) => cell.verdict)).toEqual(['no-drift', 'drift', 'not-enough-data']);
  });

  it('never colours "not enough data" or an unjudged cell as no drift', () => {
    const strip = driftStrip(windows);
    const notEnough = strip.rows[0]!.cells[2]!;
    expect(notEnough.level).toBeNull();
    expect(notEnough.label).toBe('bill_length_mm, window 2: not enough data: 12 rows, 30 needed');
    const late = strip.rows[2]!.cells[0]!;
    expect(late).toMatchObject({ verdict: 'absent', level: null, column: null });
    expect(late.label).toContain('not judged (no body_mass_g in this window)');
    const noReference = driftStrip([windowOf(5, [], { reference: null, prediction: null, features: [] }), windowOf(6, [numericColumn('x', 'no-drift', 0.01)])]);
    expect(noReference.rows[0]!.cells[0]!.label).toContain('no reference to judge against');
  });

  it('shades by how far the score is from its threshold, in the direction the method means', () => {
    expect(thresholdRatio(numericColumn('x', 'drift', 0.3).drift)).toBeCloseTo(3);
    expect(thresholdRatio(categoricalColumn('x', 'drift', 0.01).drift)).toBeCloseTo(5);
    expect(thresholdRatio(categoricalColumn('x', 'drift', 0).drift)).toBe(Number.POSITIVE_INFINITY);
    expect(driftLevel(numericColumn('x', 'no-drift', 0.01).drift)).toBe(0);
    expect(driftLevel(numericColumn('x', 'no-drift', 0.07).drift)).toBe(1);
    expect(driftLevel(numericColumn('x', 'no-drift', 0.09).drift)).toBe(2);
    expect(driftLevel(numericColumn('x', 'drift', 0.1).drift)).toBe(3);
    expect(driftLevel(numericColumn('x', 'drift', 0.25).drift)).toBe(4);
    expect(driftLevel(categoricalColumn('x', 'drift', 0).drift)).toBe(5);
    // The agent's verdict decides the hue even where a score alone would say otherwise.
    expect(driftLevel(numericColumn('x', 'drift', 0.01).drift)).toBe(3);
  });

  it('says the verdict with method, score and threshold', () => {
    expect(verdictSentence(numericColumn('x', 'drift', 0.31))).toBe('drifted: Wasserstein distance 0.31 ≥ 0.1');
    expect(verdictSentence(categoricalColumn('x', 'no-drift', 0.4213))).toBe('no drift: chi-square p-value 0.421 ≥ 0.05');
    expect(verdictSentence(categoricalColumn('x', 'drift', 0.00002))).toBe('drifted: chi-square p-value 2.0e-5 < 0.05');
  });

  it('shows only the latest windows and says how many it left out', () => {
    const many = Array.from({ length: 60 }, (_, index) => windowOf(index, [numericColumn('x', 'no-drift', 0.01)]));
    const strip = driftStrip(many, 48);
    expect(strip.windows[0]).toBe(12);
    expect(strip.windows.at(-1)).toBe(59);
    expect(strip.hidden).toBe(12);
  });

  it('takes the agent’s newer answer for a window the workspace kept, oldest first', () => {
    const kept = [windowOf(1, []), windowOf(0, [])];
    const open = windowOf(1, [numericColumn('x', 'drift', 1)], { endedAt: null });
    const merged = mergeWindows(kept, [open, windowOf(2, [])]);
    expect(merged.map((window) => window.index)).toEqual([0, 1, 2]);
    expect(merged[1]).toBe(open);
  });

  it('tells windows that changed (more rows, closed, labels arrived) from a refresh that brought the same', () => {
    const open = windowOf(1, [], { endedAt: null, rows: 20 });
    expect(windowsSignature([windowOf(0, []), open])).toBe(windowsSignature([windowOf(0, []), { ...open }]));
    expect(windowsSignature([open])).not.toBe(windowsSignature([{ ...open, rows: 21 }]));
    expect(windowsSignature([open])).not.toBe(windowsSignature([{ ...open, endedAt: 'T' }]));
    expect(windowsSignature([open])).not.toBe(windowsSignature([{ ...open, performance: { ...open.performance, labelled: 5 } }]));
  });
});
