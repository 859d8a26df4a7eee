import { createHash, sign } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { failedTo, failure } from '../errors.ts';
import { fsyncDirectory, tempPathBeside } from '../storage/atomic-file.ts';
import { BUNDLE_FORMAT, MANIFEST_PATH, REQUIRED_PARTS, SIGNATURE_PATH, bundleManifestRecord, bundleSignatureRecord, type BundleManifest } from './bundle-manifest.ts';
import type { SigningKey } from './signing-keys.ts';
import { BLOCK, encodeHeader, paddingOf } from './tar-header.ts';

/**
 * Packaging: one signed file from a model version's parts. The manifest (every part's path,
 * size and SHA-256, and what model this is) is written and signed first, then each part streams
 * from where it is kept (the workspace's store, read verified) into the archive, hashed again on
 * the way: bytes that do not match what the manifest says stop the packaging. The bundle is
 * written beside its destination and renamed over it only when whole, so a failure (a damaged
 * blob, a full disk, a kill) leaves no bundle, or the one that was there, never half of one.
 */
export interface BundleSourcePart {
  path: string;
  bytes: number;
  /** Lowercase hex. */
  sha256: string;
  read(): AsyncIterable<Uint8Array>;
}

export interface BundleSource {
  model: BundleManifest['model'];
  runId: string;
  dataset: BundleManifest['dataset'];
  workspaceCommit: string | null;
  parts: readonly BundleSourcePart[];
}

export interface WrittenBundle {
  file: string;
  bytes: number;
  manifest: BundleManifest;
  signer: { publicKey: string; fingerprint: string };
}

export async function writeBundle(source: BundleSource, out: string, key: SigningKey, options: { latheVersion: string; now?: Date }): Promise<WrittenBundle> {
  const missing = REQUIRED_PARTS.filter((path) => !source.parts.some((part) => part.path === path));
  if (missing.length > 0) {
    throw failure('NOT_FOUND', `${source.model.name}@${source.model.version} has no ${missing.join(', ')}; a bundle needs the model, its preprocessing, signature and card.`, {
      hint: 'Register a model from a run that finished training (it stores every one of these).',
    });
  }
  await checkOutPath(out);
  const created = options.now ?? new Date();
  const manifestText = bundleManifestRecord.serialize({
    schemaVersion: 1,
    format: BUNDLE_FORMAT,
    model: source.model,
    runId: source.runId,
    dataset: source.dataset,
    workspaceCommit: source.workspaceCommit,
    created: created.toISOString(),
    latheVersion: options.latheVersion,
    parts: source.parts.map(({ path, bytes, sha256 }) => ({ path, bytes, sha256 })),
  });
  const manifestBytes = Buffer.from(manifestText, 'utf8');
  const signatureBytes = Buffer.from(
    bundleSignatureRecord.serialize({
      schemaVersion: 1,
      algorithm: 'ed25519',
      publicKey: key.publicKey.text,
      signature: sign(null, manifestBytes, key.privateKey).toString('base64'),
    }),
    'utf8',
  );
  const mtime = Math.floor(created.getTime() / 1000);

  const temp = tempPathBeside(out);
  let written = 0;
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      const put = async (bytes: Uint8Array) => {
        await handle.write(bytes);
        written += bytes.byteLength;
      };
      const pad = (size: number) => put(new Uint8Array(paddingOf(size)));
      for (const [name, bytes] of [[MANIFEST_PATH, manifestBytes], [SIGNATURE_PATH, signatureBytes]] as const) {
        await put(encodeHeader({ name, size: bytes.byteLength, mtime }));
        await put(bytes);
        await pad(bytes.byteLength);
      }
      for (const part of source.parts) {
        await put(encodeHeader({ name: part.path, size: part.bytes, mtime }));
        const hasher = createHash('sha256');
        let seen = 0;
        for await (const chunk of part.read()) {
          seen += chunk.byteLength;
          if (seen > part.bytes) break;
          hasher.update(chunk);
          await put(chunk);
        }
        const digest = hasher.digest('hex');
        if (seen !== part.bytes || digest !== part.sha256) {
          throw failure('DATA_DAMAGED', `Part ${part.path} of ${source.model.name}@${source.model.version} changed while it was packaged: ${seen === part.bytes ? `its SHA-256 is ${digest}, the model version says ${part.sha256}` : `it has ${seen} bytes, the model version says ${part.bytes}`}.`);
        }
        await pad(part.bytes);
      }
      await put(new Uint8Array(2 * BLOCK)); // the end of the archive
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, out);
    await fsyncDirectory(dirname(out));
  } catch (error) {
    await rm(temp, { force: true });
    throw failedTo(`write the bundle ${out}`, error, 'No bundle was written.');
  }
  return {
    file: out,
    bytes: written,
    manifest: bundleManifestRecord.parse(manifestText, MANIFEST_PATH),
    signer: { publicKey: key.publicKey.text, fingerprint: key.publicKey.fingerprint },
  };
}

/** `out` must name a file in a folder that exists (not the temp file a failed write would name). */
async function checkOutPath(out: string): Promise<void> {
  const info = await stat(out).catch(() => null);
  if (info?.isDirectory()) {
    throw failure('INVALID_INPUT', `--out ${out} is a folder; name the bundle file to write, like ${out.replace(/\/$/, '')}/model.lathe.`, { location: { file: out, field: 'out' } });
  }
  const folder = await stat(dirname(out)).catch(() => null);
  if (!folder?.isDirectory()) {
    throw failure('NOT_FOUND', `There is no folder ${dirname(out)} to write the bundle into.`, {
      hint: 'Make the folder first, or give --out a path in a folder that exists.',
      location: { file: dirname(out), field: 'out' },
    });
  }
}
