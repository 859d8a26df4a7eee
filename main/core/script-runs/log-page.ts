import { open } from 'node:fs/promises';
import { scriptRunLimits, type ScriptLogPage } from '../../../shared/contract/script-runs.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { wholeCharactersEnd, wholeCharactersStart } from './log-text.ts';

/** Where a run's log is: its live file while it runs (or after a crash), its artifact once it ended. */
export type LogSource = { kind: 'file'; path: string; complete: boolean } | { kind: 'artifact'; blobs: BlobStore; hash: string; bytes: number; what: string };

/**
 * One page of a log from byte `from` (negative: from the end), at most `pageBytes`, cut on whole
 * characters. The artifact's bytes are checked against their hash as they are read (a damaged
 * log is DATA_DAMAGED, never shown); only the page is kept in memory.
 */
export async function readLogPage(source: LogSource, from: number, pageBytes = scriptRunLimits.logPageBytes): Promise<ScriptLogPage> {
  if (source.kind === 'file') {
    let handle;
    try {
      handle = await open(source.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', from: 0, next: 0, total: 0, complete: source.complete };
      throw error;
    }
    try {
      const total = (await handle.stat()).size;
      const start = Math.min(total, from < 0 ? Math.max(0, total + from) : from);
      const buffer = Buffer.alloc(Math.min(pageBytes + 4, total - start));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      return page(buffer.subarray(0, bytesRead), start, total, from < 0, pageBytes, source.complete);
    } finally {
      await handle.close();
    }
  }
  const total = source.bytes;
  const start = Math.min(total, from < 0 ? Math.max(0, total + from) : from);
  const wanted = Math.min(pageBytes + 4, total - start);
  const chunks: Buffer[] = [];
  let at = 0;
  let kept = 0;
  // Read to the end even past the page: the hash is checked only once every byte has been seen.
  for await (const chunk of source.blobs.readVerified(source.hash, source.bytes, source.what)) {
    const bytes = Buffer.from(chunk);
    const lo = Math.max(0, start - at);
    const hi = Math.min(bytes.length, start + wanted - at);
    if (hi > lo && kept < wanted) {
      chunks.push(bytes.subarray(lo, hi));
      kept += hi - lo;
    }
    at += bytes.length;
  }
  return page(Buffer.concat(chunks), start, total, from < 0, pageBytes, true);
}

function page(bytes: Buffer, start: number, total: number, fromEnd: boolean, pageBytes: number, complete: boolean): ScriptLogPage {
  const skip = fromEnd && start > 0 ? wholeCharactersStart(bytes, 0) : 0;
  const limit = Math.min(bytes.length, skip + pageBytes);
  const end = wholeCharactersEnd(bytes, limit);
  return { text: bytes.subarray(skip, end).toString('utf8'), from: start + skip, next: start + end, total, complete: complete && start + end >= total };
}
