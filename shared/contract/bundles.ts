import { z } from 'zod';
import { defineCall } from './define.ts';
import { ModelRefText } from './model-ref.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Signed model bundles (main/core/bundles) and the key that signs them. A bundle is one file —
 * a plain ustar archive — holding a model version's model, preprocessing, signature and card,
 * and a manifest of every part's size and SHA-256 signed with Ed25519 by a key kept in the
 * user's state folder (never in a workspace). Verifying checks the signature, the signer's key
 * against the trusted ones, and every part; serving loads only bundles that verify.
 *
 * Both bundle calls name files on the machine that runs the core (`path` transport): the CLI and
 * the desktop app offer them, HTTP does not.
 */

/** A public key as `lathe keys show` prints it: `ed25519:` and 32 bytes in base64. */
export const PublicKeyText = z.string().regex(/^ed25519:[A-Za-z0-9+/]{43}=$/);

export const SignerInfo = z.object({
  publicKey: PublicKeyText,
  /** The first 16 hex digits of the SHA-256 of the key's 32 bytes. */
  fingerprint: z.string(),
});
export type SignerInfo = z.infer<typeof SignerInfo>;

export const BundlePartInfo = z.object({ path: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string() });

/** What a bundle's manifest says (the signed part). */
export const BundleManifestInfo = z.object({
  model: z.object({ name: z.string(), version: z.number().int().positive() }),
  runId: z.string(),
  dataset: z.object({ name: z.string(), version: z.number().int().positive().nullable(), contentHash: z.string() }).nullable(),
  workspaceCommit: z.string().nullable(),
  created: z.string(),
  latheVersion: z.string(),
  parts: z.array(BundlePartInfo),
});
export type BundleManifestInfo = z.infer<typeof BundleManifestInfo>;

export const PackagedBundle = z.object({
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  manifest: BundleManifestInfo,
  signer: SignerInfo,
});
export type PackagedBundle = z.infer<typeof PackagedBundle>;

export const bundleProblemKinds = ['format', 'truncated', 'signature', 'untrusted', 'altered', 'size', 'missing', 'extra'] as const;

export const BundleVerification = z.object({
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  /** True only when the signature checks, its key is trusted and every part matches the manifest. */
  verified: z.boolean(),
  /** Each names what failed: the part, the hashes, the byte where the file ends. */
  problems: z.array(z.object({ kind: z.enum(bundleProblemKinds), part: z.string().nullable(), message: z.string() })),
  manifest: BundleManifestInfo.nullable(),
  signer: SignerInfo.extend({ trusted: z.boolean() }).nullable(),
  /** The keys that were trusted, by fingerprint. */
  trusted: z.array(z.string()),
  parts: z.array(z.object({ path: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string().nullable(), status: z.enum(['intact', 'altered', 'missing', 'extra', 'unchecked']) })),
});
export type BundleVerification = z.infer<typeof BundleVerification>;

export const SigningKeyInfo = SignerInfo.extend({
  /** The same key as PEM (SubjectPublicKeyInfo). */
  pem: z.string(),
  /** Where the private key is (the user's state folder). */
  file: z.string(),
  /** True when this call made the key (the first use). */
  created: z.boolean(),
});
export type SigningKeyInfo = z.infer<typeof SigningKeyInfo>;

const FilePath = z.string().min(1).max(4096);

export const bundlesPackage = defineCall(
  'bundles:package',
  'Write a model version (NAME@3, NAME@champion) as one signed bundle file: model, preprocessing, signature, model card and a signed manifest of their SHA-256',
  z.object({ workspace: WorkspacePath, ref: ModelRefText, out: FilePath }),
  PackagedBundle,
  { transport: 'path' },
);

export const bundlesVerify = defineCall(
  'bundles:verify',
  "Check a bundle's signature, its signer against the trusted keys (your own unless others are given) and every part's size and SHA-256",
  z.object({
    file: FilePath,
    /** Public keys (ed25519:… or PEM) or files holding them; none: your own key. */
    trust: z.array(z.string().min(1).max(65_536)).max(32).default([]),
  }),
  BundleVerification,
  { transport: 'path' },
);

export const keysShow = defineCall('keys:show', "Your bundle-signing public key and its fingerprint (the key is made on first use)", z.object({}), SigningKeyInfo);
