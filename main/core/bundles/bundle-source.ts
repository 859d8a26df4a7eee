import type { BlobStore } from '../storage/blob-store.ts';
import { hexOf } from '../storage/blob-store.ts';
import { createHash } from 'node:crypto';
import type { BundleManifest } from './bundle-manifest.ts';
import type { BundleSource, BundleSourcePart } from './write-bundle.ts';

/**
 * What goes into a bundle, from where a model version's artifacts are kept: the model, its
 * preprocessing and signature by content hash in the workspace's store (each read verified, so a
 * damaged blob stops the packaging), and the model card, generated as Markdown. Test predictions
 * and the evaluation stay in the workspace: a bundle holds what serving needs and what a person
 * deploying it should read.
 */
export const ARTIFACT_PARTS = ['model/model.json', 'model/weights.bin', 'preprocessing.json', 'signature.json'] as const;
export const CARD_PART = 'model-card.md';

export interface StoredArtifact {
  path: string;
  contentHash: string;
  bytes: number;
}

export interface BundleMetadata {
  model: BundleManifest['model'];
  runId: string;
  dataset: BundleManifest['dataset'];
  workspaceCommit: string | null;
}

/** The bundle's parts: artifacts streamed from `blobs`, the card from memory. Missing artifacts are left out (writeBundle names them). */
export function bundleSourceFromStore(blobs: BlobStore, metadata: BundleMetadata, artifacts: readonly StoredArtifact[], card: string): BundleSource {
  const ref = `${metadata.model.name}@${metadata.model.version}`;
  const parts: BundleSourcePart[] = [];
  for (const path of ARTIFACT_PARTS) {
    const artifact = artifacts.find((candidate) => candidate.path === path);
    if (!artifact) continue;
    parts.push({
      path,
      bytes: artifact.bytes,
      sha256: hexOf(artifact.contentHash),
      read: () => blobs.readVerified(artifact.contentHash, artifact.bytes, `${path} of ${ref}`),
    });
  }
  const cardBytes = new TextEncoder().encode(card);
  parts.push({
    path: CARD_PART,
    bytes: cardBytes.byteLength,
    sha256: createHash('sha256').update(cardBytes).digest('hex'),
    read: async function* () {
      yield cardBytes;
    },
  });
  return { ...metadata, parts };
}
