// Drift at scale: a reference of 1,000,000 rows against a 100,000-row window, 50 features (40
// numeric, half normal and half log-normal; 10 categorical with 50 categories; one feature in ten
// drifted). Prints, in seconds:
//   - sketching the reference, once per model version (sort each column once, keep ~2,000
//     quantiles or the category counts);
//   - judging one window against the sketch (what the agent does every window);
//   - judging the same window against the raw reference (the exact path, which re-reads and
//     re-sorts the million rows every time);
//   - the floor, measured in the same run: sorting each numeric window column once (a copy made
//     beforehand, untimed) and counting each categorical one, which any statistic on the window
//     needs.
// and how far the sketch's scores land from the exact ones. `npm run bench:monitor` calls
// benchDrift(); run this file directly for the figures alone:
//   node main/scripts/bench-drift.ts [features] [referenceRows] [windowRows]
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { columnDrift, type ColumnSample } from '../core/monitoring/stats/column-drift.ts';
import type { ColumnSketch } from '../core/monitoring/stats/column-sample.ts';
import { sketchColumn } from '../core/monitoring/stats/sketch-column.ts';

export interface DriftBenchOptions {
  features: number;
  referenceRows: number;
  windowRows: number;
}

export interface DriftBenchResult extends DriftBenchOptions {
  /** Sketching every feature of the reference. */
  sketchSeconds: number;
  /** Judging one window against the sketches. */
  judgeSketchSeconds: number;
  /** Judging the same window against the raw reference values. */
  judgeRawSeconds: number;
  /** Sorting each window column once: the least an exact judgement can cost. */
  floorSeconds: number;
  /** Features the window drifted, and how many each path flagged. */
  drifted: number;
  flaggedBySketch: number;
  flaggedByRaw: number;
  /** Largest |sketch score − exact score| over the features, and the verdicts that differ. */
  maxScoreDifference: number;
  verdictsDiffering: number;
}

type Feature = { kind: 'numeric'; shape: 'normal' | 'log-normal' } | { kind: 'categorical'; categories: number };

function featureAt(index: number): Feature {
  if (index % 5 === 4) return { kind: 'categorical', categories: 50 };
  return { kind: 'numeric', shape: index % 2 === 0 ? 'normal' : 'log-normal' };
}

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

type RawColumn = Extract<ColumnSample, { form: 'values' }>;

/** A column of n rows; `drift` shifts numbers by a third of a standard deviation and skews categories. */
function column(feature: Feature, rows: number, seed: number, drift: boolean): RawColumn {
  const random = mulberry32(seed);
  if (feature.kind === 'categorical') {
    const names = Array.from({ length: feature.categories }, (_, i) => `category-${i}`);
    const values = Array.from({ length: rows }, () => names[Math.floor((drift ? random() ** 1.5 : random()) * names.length)]!);
    return { form: 'values', kind: 'categorical', values };
  }
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i += 1) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) + (drift ? 0.33 : 0);
    values[i] = feature.shape === 'normal' ? 50 + 10 * z : Math.exp(0.5 * z);
  }
  return { form: 'values', kind: 'numeric', values };
}

function sketchOf(sample: RawColumn): ColumnSketch {
  return sample.kind === 'numeric' ? sketchColumn(sample.values, 'numeric') : sketchColumn(sample.values, 'categorical');
}

export function benchDrift(options: DriftBenchOptions = { features: 50, referenceRows: 1_000_000, windowRows: 100_000 }): DriftBenchResult {
  const result: DriftBenchResult = { ...options, sketchSeconds: 0, judgeSketchSeconds: 0, judgeRawSeconds: 0, floorSeconds: 0, drifted: 0, flaggedBySketch: 0, flaggedByRaw: 0, maxScoreDifference: 0, verdictsDiffering: 0 };
  // One feature at a time, so a million rows × 50 features never sit in memory together.
  for (let f = 0; f < options.features; f += 1) {
    const feature = featureAt(f);
    const drift = f % 10 === 3;
    const reference = column(feature, options.referenceRows, 1000 + f, false);
    const window = column(feature, options.windowRows, 5000 + f, drift);

    let started = performance.now();
    const sketch = sketchOf(reference);
    result.sketchSeconds += (performance.now() - started) / 1000;

    started = performance.now();
    const bySketch = columnDrift(sketch, window);
    result.judgeSketchSeconds += (performance.now() - started) / 1000;

    started = performance.now();
    const byRaw = columnDrift(reference, window);
    result.judgeRawSeconds += (performance.now() - started) / 1000;

    if (window.kind === 'numeric') {
      const copy = new Float64Array(window.values.length);
      for (let i = 0; i < copy.length; i += 1) copy[i] = window.values[i] ?? Number.NaN;
      started = performance.now();
      copy.sort();
      result.floorSeconds += (performance.now() - started) / 1000;
    } else {
      started = performance.now();
      const counts = new Map<string, number>();
      for (let i = 0; i < window.values.length; i += 1) {
        const value = window.values[i] ?? null;
        if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      result.floorSeconds += (performance.now() - started) / 1000;
    }
    if (drift) result.drifted += 1;
    if (bySketch.verdict === 'drift') result.flaggedBySketch += 1;
    if (byRaw.verdict === 'drift') result.flaggedByRaw += 1;
    if (bySketch.verdict !== byRaw.verdict) result.verdictsDiffering += 1;
    result.maxScoreDifference = Math.max(result.maxScoreDifference, Math.abs(bySketch.score - byRaw.score));
  }
  return result;
}

export function printDriftBench(result: DriftBenchResult): void {
  const fixed = (seconds: number) => seconds.toFixed(3).padStart(8);
  const rows = (n: number) => n.toLocaleString('en');
  console.log(`\nDrift: ${result.features} features, reference ${rows(result.referenceRows)} rows, window ${rows(result.windowRows)} rows (${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)})`);
  console.log(`  sketch the reference (once per model version)      ${fixed(result.sketchSeconds)} s`);
  console.log(`  judge one window against the sketch                ${fixed(result.judgeSketchSeconds)} s`);
  console.log(`  judge the same window against the raw reference    ${fixed(result.judgeRawSeconds)} s   sketch path = ${(result.judgeRawSeconds / result.judgeSketchSeconds).toFixed(1)}× faster`);
  console.log(`  floor: sort or count each window column once       ${fixed(result.floorSeconds)} s   sketch path = ${(result.judgeSketchSeconds / result.floorSeconds).toFixed(1)}× the floor`);
  console.log(`  drifted ${result.drifted}; flagged by the sketch ${result.flaggedBySketch}, by the raw path ${result.flaggedByRaw}; verdicts differing ${result.verdictsDiffering}; largest score difference ${result.maxScoreDifference.toExponential(1)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [features = 50, referenceRows = 1_000_000, windowRows = 100_000] = process.argv.slice(2).map(Number);
  printDriftBench(benchDrift({ features, referenceRows, windowRows }));
}
