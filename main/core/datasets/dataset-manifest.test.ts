import { describe, expect, it } from 'vitest';
import { parseManifest, serializeManifest } from './dataset-manifest.ts';

/** A schema version 1 manifest as Lathe wrote it before profiles had histograms. */
const beforeHistograms = {
  schemaVersion: 1,
  name: 'penguins',
  version: 1,
  message: 'First import',
  importedAt: '2025-01-01T00:00:00.000Z',
  format: 'csv',
  contentHash: `sha256:${'0'.repeat(64)}`,
  bytes: 20,
  rows: 2,
  schema: [{ name: 'mass', type: 'integer' }],
  profile: [
    {
      name: 'mass',
      type: 'integer',
      count: 2,
      missing: 0,
      missingShare: 0,
      distinct: 2,
      approximate: false,
      min: 3000,
      max: 4000,
      mean: 3500,
      std: 707.1,
      top: [
        { value: '3000', count: 1 },
        { value: '4000', count: 1 },
      ],
    },
  ],
  source: { fileName: 'penguins.csv' },
  parse: { encoding: 'utf-8', bom: false, lineEnding: 'lf' },
};

describe('dataset manifests', () => {
  it('still reads manifests written before column histograms', () => {
    const manifest = parseManifest(JSON.stringify(beforeHistograms), 'datasets/penguins/dataset.json');
    expect(manifest.profile[0]?.histogram).toBeUndefined();
    expect(manifest.profile[0]?.mean).toBe(3500);
  });

  it('round-trips a histogram', () => {
    const withHistogram = structuredClone(beforeHistograms) as typeof beforeHistograms & { profile: Record<string, unknown>[] };
    (withHistogram.profile[0] as Record<string, unknown>).histogram = { edges: [3000, 3500, 4000], counts: [1, 1] };
    const manifest = parseManifest(JSON.stringify(withHistogram), 'dataset.json');
    expect(manifest.profile[0]?.histogram).toEqual({ edges: [3000, 3500, 4000], counts: [1, 1] });
    expect(parseManifest(serializeManifest(manifest), 'dataset.json')).toEqual(manifest);
  });

  it('rejects a histogram with fractional counts', () => {
    const broken = structuredClone(beforeHistograms) as typeof beforeHistograms & { profile: Record<string, unknown>[] };
    (broken.profile[0] as Record<string, unknown>).histogram = { edges: [0, 1], counts: [0.5] };
    expect(() => parseManifest(JSON.stringify(broken), 'dataset.json')).toThrow(/histogram/);
  });
});
