import type { ColumnType } from '../../../shared/contract/datasets.ts';

/**
 * What the gates need of a registered model version: the registry's ModelVersion
 * (main/core/registry, `resolveModelVersion`) has this shape and more. Kept this small so the
 * checks can be driven by a version made straight from a run in tests.
 */
export interface GatedArtifact {
  path: string;
  contentHash: string;
  bytes: number;
}

export interface GatedSignature {
  task: 'classification' | 'regression';
  target: { name: string; type: ColumnType };
  inputs: readonly { name: string; type: ColumnType; encoding: string }[];
  classes: readonly string[] | null;
}

export interface GatedVersion {
  name: string;
  version: number;
  lineage: {
    run: { id: string };
    dataset: { name: string; version: number | null; contentHash: string } | null;
  };
  signature: GatedSignature | null;
  artifacts: readonly GatedArtifact[];
}

export const label = (version: Pick<GatedVersion, 'name' | 'version'>) => `${version.name}@${version.version}`;
