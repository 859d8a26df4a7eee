import { createHash } from 'node:crypto';
import { failure } from '../errors.ts';

/**
 * Pass bytes through while hashing them; after the last one, fail unless they are the blob
 * `hash` names. A writer that places only after the iteration ends (FolderRemote.put) so never
 * places bytes under a name they do not match. Past `maxBytes`, fail at once.
 */
export async function* verifiedChunks(chunks: AsyncIterable<Uint8Array>, hash: string, maxBytes: number): AsyncGenerator<Uint8Array> {
  const hasher = createHash('sha256');
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) throw failure('TOO_LARGE', `The bytes sent for ${hash} pass the limit of ${maxBytes} bytes; nothing was kept.`, { hint: 'Start `lathe serve` with a larger --max-upload-mb.' });
    hasher.update(chunk);
    yield chunk;
  }
  if (`sha256:${hasher.digest('hex')}` !== hash) {
    throw failure('DATA_DAMAGED', `The ${bytes} bytes sent for ${hash} do not match that content hash; nothing was kept.`, { hint: 'Check the sending machine\'s store (`lathe data verify`), then push again.' });
  }
}
