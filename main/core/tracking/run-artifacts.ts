import { MAX_ARTIFACT_TEXT_BYTES, type RunArtifact } from '../../../shared/contract/runs.ts';
import { unsafeCharacter } from '../../../shared/contract/text-fields.ts';
import { failure } from '../errors.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import type { BlobWriter } from '../storage/blob-writer.ts';
import { invalid } from './tracking-input.ts';

/**
 * A run's artifacts are names (`model/weights.bin`) for bytes in the workspace's
 * content-addressed store: the bytes are written once, whoever else holds the same; the run
 * records the path, the hash and the size. A path is a name, never a place on disk, but it may
 * become one (a download into a folder), so it is held to what is safe as a relative path.
 */
export const MAX_ARTIFACT_PATH = 1000;

export function checkArtifactPath(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0) throw invalid('path: an artifact path is non-empty text, like "model/weights.bin".', 'path');
  if (path.length > MAX_ARTIFACT_PATH) throw invalid(`path: an artifact path is at most ${MAX_ARTIFACT_PATH} characters; this one has ${path.length}.`, 'path');
  const unsafe = unsafeCharacter(path, false);
  if (unsafe) throw invalid(`path: an artifact path cannot hold control or text-direction characters (${unsafe}).`, 'path');
  if (path.includes('\\')) throw invalid(`path: use "/" between folders in an artifact path, not "\\" (got ${JSON.stringify(path)}).`, 'path');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw invalid(`path: an artifact path is relative to the run, like "model/weights.bin"; got ${JSON.stringify(path)}.`, 'path');
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw invalid(`path: an artifact path cannot hold empty, "." or ".." parts; got ${JSON.stringify(path)}.`, 'path');
  }
  return path;
}

export type ArtifactContent = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Stream `content` into a new blob (hashed as it is written); the caller commits or discards it. */
export async function writeArtifactBytes(blobs: BlobStore, content: ArtifactContent): Promise<BlobWriter> {
  const writer = await blobs.begin();
  try {
    if (content instanceof Uint8Array) await writer.write(content);
    else for await (const chunk of content) await writer.write(chunk);
    await writer.finish();
    return writer;
  } catch (error) {
    await writer.discard();
    throw error;
  }
}

/**
 * An artifact's bytes as text (a log, a metrics CSV, a model card), read whole and checked
 * against their hash first: damaged bytes are DATA_DAMAGED, never shown. Over 5 MB is TOO_LARGE;
 * bytes that are not UTF-8, or hold NUL, are UNSUPPORTED_FORMAT (a binary file).
 */
export async function readArtifactText(blobs: BlobStore, artifact: RunArtifact, what: string): Promise<string> {
  if (artifact.bytes > MAX_ARTIFACT_TEXT_BYTES) {
    throw failure('TOO_LARGE', `${what} is ${artifact.bytes} bytes; artifacts are read as text only up to ${MAX_ARTIFACT_TEXT_BYTES} bytes (5 MB).`, { location: { field: 'path' } });
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of blobs.readVerified(artifact.contentHash, artifact.bytes, what)) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  let text: string | null = null;
  if (!bytes.includes(0)) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // not UTF-8: said below
    }
  }
  if (text === null) {
    throw failure('UNSUPPORTED_FORMAT', `${what} is not text (${bytes.includes(0) ? 'it holds NUL bytes' : 'it is not valid UTF-8'}); only text artifacts can be read here.`, {
      location: { field: 'path' },
    });
  }
  return text;
}
