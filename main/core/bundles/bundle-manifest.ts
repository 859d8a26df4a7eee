import { z } from 'zod';
import { versionedRecord } from '../storage/versioned-record.ts';
import { MAX_TAR_ENTRY_BYTES } from './tar-header.ts';

/**
 * A bundle's `manifest.json`: what model this is (name, version, run, dataset, workspace commit)
 * and every other part of the bundle with its size and SHA-256. Its exact bytes are what the
 * signature in `manifest.sig` covers, so nothing in a bundle is trusted before that signature
 * checks, and no part is trusted before its bytes match the manifest.
 *
 * `manifest.sig` names the signer's public key and holds the Ed25519 signature, both base64.
 */
export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.sig';
export const MAX_MANIFEST_BYTES = 1024 * 1024;
export const MAX_SIGNATURE_BYTES = 4096;
export const MAX_PARTS = 64;
export const BUNDLE_FORMAT = 'lathe-model-bundle';

/** The parts every bundle holds: the model, how rows become its inputs, what it takes and gives, its card. */
export const REQUIRED_PARTS = ['model/model.json', 'model/weights.bin', 'preprocessing.json', 'signature.json', 'model-card.md'] as const;

const PartPath = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/, 'a part path is relative, with letters, digits, ".", "_", "-" and "/" between folders')
  .refine((path) => path !== MANIFEST_PATH && path !== SIGNATURE_PATH, 'manifest.json and manifest.sig are not parts');

const Part = z.object({
  path: PartPath,
  bytes: z.number().int().nonnegative().max(MAX_TAR_ENTRY_BYTES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hex digits'),
});
export type BundlePart = z.infer<typeof Part>;

const ManifestV1 = z.object({
  schemaVersion: z.literal(1),
  format: z.literal(BUNDLE_FORMAT),
  model: z.object({ name: z.string().min(1).max(200), version: z.number().int().positive() }),
  runId: z.string().min(1).max(100),
  dataset: z.object({ name: z.string(), version: z.number().int().positive().nullable(), contentHash: z.string() }).nullable(),
  workspaceCommit: z.string().nullable(),
  created: z.string().datetime(),
  latheVersion: z.string().max(100),
  parts: z
    .array(Part)
    .max(MAX_PARTS)
    .refine((parts) => new Set(parts.map((part) => part.path)).size === parts.length, 'a part is listed twice'),
});
export type BundleManifest = z.infer<typeof ManifestV1>;
export const bundleManifestRecord = versionedRecord<BundleManifest>({ kind: 'bundle manifest', versions: [ManifestV1], migrations: [] });

const SignatureFileV1 = z.object({
  schemaVersion: z.literal(1),
  algorithm: z.literal('ed25519'),
  /** `ed25519:` and the signer's 32-byte public key in base64. */
  publicKey: z.string().regex(/^ed25519:[A-Za-z0-9+/]{43}=$/),
  /** The 64-byte signature of manifest.json's exact bytes, base64. */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});
export type BundleSignature = z.infer<typeof SignatureFileV1>;
export const bundleSignatureRecord = versionedRecord<BundleSignature>({ kind: 'bundle signature', versions: [SignatureFileV1], migrations: [] });
