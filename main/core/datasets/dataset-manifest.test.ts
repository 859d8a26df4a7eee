import { describe, expect, it } from 'vitest';
import { datasetManifest, datasetProfile, profileOfOriginal } from './dataset-manifest.ts';

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

const profileOf = (manifest: unknown) => {
  const parsed = datasetManifest.parseWithOriginal(JSON.stringify(manifest), 'datasets/penguins/dataset.json');
  return profileOfOriginal(parsed.version, parsed.original)!;
};

describe('dataset manifests', () => {
  it('reads a version 1 manifest as version 2, its inline profile still at hand', () => {
    const manifest = datasetManifest.parse(JSON.stringify(beforeHistograms), 'datasets/penguins/dataset.json');
    expect(manifest).toMatchObject({ schemaVersion: 2, columns: 1, rows: 2, contentHash: beforeHistograms.contentHash });
    expect(manifest).not.toHaveProperty('profile');
    expect(profileOf(beforeHistograms)[0]?.histogram).toBeUndefined();
    expect(profileOf(beforeHistograms)[0]?.mean).toBe(3500);
  });

  it('writes version 2 small: no per-column data in the manifest', () => {
    const manifest = datasetManifest.parse(JSON.stringify(beforeHistograms), 'dataset.json');
    const text = datasetManifest.serialize(manifest);
    expect(text).not.toContain('mass');
    expect(datasetManifest.parse(text, 'dataset.json')).toEqual(manifest);
  });

  it('round-trips a histogram in the profile record', () => {
    const columns = structuredClone(beforeHistograms.profile) as Record<string, unknown>[];
    columns[0]!.histogram = { edges: [3000, 3500, 4000], counts: [1, 1] };
    const profile = datasetProfile.parse(JSON.stringify({ schemaVersion: 1, contentHash: beforeHistograms.contentHash, columns }), 'profile.json');
    expect(profile.columns[0]?.histogram).toEqual({ edges: [3000, 3500, 4000], counts: [1, 1] });
    expect(datasetProfile.parse(datasetProfile.serialize(profile), 'profile.json')).toEqual(profile);
  });

  it('rejects a histogram with fractional counts, naming the field', () => {
    const broken = structuredClone(beforeHistograms) as typeof beforeHistograms & { profile: Record<string, unknown>[] };
    (broken.profile[0] as Record<string, unknown>).histogram = { edges: [0, 1], counts: [0.5] };
    expect(() => datasetManifest.parse(JSON.stringify(broken), 'dataset.json')).toThrow(/dataset.json is not a valid dataset manifest: profile\.0\.histogram\.counts\.0/);
  });

  it('refuses a manifest from a newer Lathe, saying so', () => {
    expect(() => datasetManifest.parse(JSON.stringify({ ...beforeHistograms, schemaVersion: 3 }), 'dataset.json')).toThrow(
      expect.objectContaining({ error: expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringContaining('newer Lathe (dataset manifest version 3') }) }),
    );
  });
});
