import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { remoteHttpPaths } from '../../shared/contract/remote.ts';
import { toLatheError } from '../core/errors.ts';
import type { FolderRemote } from '../core/remote/folder-remote.ts';
import { verifiedChunks } from '../core/remote/verified-chunks.ts';
import { refusal, sendRefusal, sendResult, statusForErrorCode } from './json-reply.ts';
import { askForBody, bodyChunks, checkContentType, discardRestOfBody } from './request-body.ts';
import { securityHeaders } from './security-headers.ts';

/**
 * `lathe serve --remote-dir DIR`: a byte remote over HTTP, behind the same Host, Origin and token
 * checks as every /api route. GET lists the blobs; GET and PUT `sha256/<hex>` read and write one.
 * A PUT is hashed as it streams into DIR's temp folder and placed only if it matches its name, so
 * a client can neither store bytes under a name they do not have nor leave half a blob behind.
 */
export interface BlobRemoteRoute {
  remote: FolderRemote | null;
  maxBytes: number;
}

const BLOB = new RegExp(`^${remoteHttpPaths.blobs}/sha256/([0-9a-f]{64})$`);

export function isBlobRemotePath(rawPath: string): boolean {
  return rawPath === remoteHttpPaths.blobs || rawPath.startsWith(`${remoteHttpPaths.blobs}/`);
}

export async function handleBlobRemote(req: IncomingMessage, res: ServerResponse, rawPath: string, { remote, maxBytes }: BlobRemoteRoute): Promise<void> {
  const refuse = (status: number, code: Parameters<typeof refusal>[1], message: string, extra: Parameters<typeof refusal>[3] = {}) => {
    sendRefusal(res, refusal(status, code, message, extra));
    discardRestOfBody(req);
  };
  if (!remote) return refuse(404, 'NOT_FOUND', 'This `lathe serve` keeps no byte remote.', { hint: 'Start it with --remote-dir DIR (a folder for the blobs) to push to it and pull from it.' });
  if (rawPath === remoteHttpPaths.blobs) {
    if (req.method !== 'GET') return refuse(405, 'INVALID_INPUT', `Use GET to list the blobs.`, { headers: { Allow: 'GET' } });
    try {
      return sendResult(res, { ok: true, value: { blobs: [...(await remote.present())].sort() } });
    } catch (thrown) {
      const error = toLatheError(thrown);
      return sendRefusal(res, { status: statusForErrorCode[error.code], error });
    }
  }
  const hex = BLOB.exec(rawPath)?.[1];
  if (!hex) return refuse(404, 'NOT_FOUND', `There is no blob at ${rawPath.slice(0, 200)}.`, { hint: `Blobs are at ${remoteHttpPaths.blobs}/sha256/<64 hex digits>.` });
  const hash = `sha256:${hex}`;
  if (req.method === 'GET') return sendBlob(req, res, remote, hash);
  if (req.method !== 'PUT') return refuse(405, 'INVALID_INPUT', `Use GET or PUT for a blob.`, { headers: { Allow: 'GET, PUT' } });
  const wrongType = checkContentType(req, 'application/octet-stream');
  if (wrongType) {
    sendRefusal(res, wrongType);
    return discardRestOfBody(req);
  }
  askForBody(req, res);
  try {
    await remote.put(hash, verifiedChunks(bodyChunks(req), hash, maxBytes));
    await remote.flush();
    sendResult(res, { ok: true, value: { contentHash: hash } });
  } catch (thrown) {
    const error = toLatheError(thrown);
    sendRefusal(res, { status: error.code === 'DATA_DAMAGED' ? 422 : statusForErrorCode[error.code], error });
  } finally {
    discardRestOfBody(req);
  }
}

async function sendBlob(req: IncomingMessage, res: ServerResponse, remote: FolderRemote, hash: string): Promise<void> {
  const info = await stat(remote.pathOf(hash)).catch(() => null);
  const source = info?.isFile() ? await remote.open(hash) : null;
  if (!info || !source) {
    sendRefusal(res, refusal(404, 'NOT_FOUND', `This remote has no blob ${hash}.`));
    return discardRestOfBody(req);
  }
  res.writeHead(200, { ...securityHeaders, 'Content-Type': 'application/octet-stream', 'Content-Length': info.size, 'Cache-Control': 'no-store' });
  // A client that goes away mid-download just ends the stream; it verifies what it got anyway.
  await pipeline(source as NodeJS.ReadableStream, res).catch(() => res.destroy());
}
