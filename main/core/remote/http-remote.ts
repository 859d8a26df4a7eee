import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { remoteHttpPaths } from '../../../shared/contract/remote.ts';
import { LatheError } from '../../../shared/contract/result.ts';
import { failure, LatheFailure } from '../errors.ts';
import { hexOf } from '../storage/blob-store.ts';
import type { ByteRemote } from './byte-remote.ts';

const TOKEN_HINT = 'Give the token `lathe serve` printed: in LATHE_REMOTE_TOKEN, or in a file named by --token-file (never in the URL: it is kept in git).';

/**
 * A byte remote kept by `lathe serve --remote-dir DIR` on another machine, over HTTP with its
 * bearer token. The server stores each blob as a folder remote does (temp file, rename) and checks
 * its hash against its name before placing it; this side hashes what it pulls, as for any remote.
 */
export class HttpRemote implements ByteRemote {
  readonly #origin: string;
  readonly #token: string | undefined;

  constructor(origin: string, token: string | undefined) {
    this.#origin = origin;
    this.#token = token;
  }

  where(hash: string): string {
    return this.#blobUrl(hash);
  }

  async assertReachable(what: string): Promise<void> {
    await this.present().catch((error: unknown) => {
      if (error instanceof LatheFailure) throw failure(error.error.code, `${what}: ${error.error.message}`, error.error.hint === undefined ? {} : { hint: error.error.hint });
      throw error;
    });
  }

  async present(): Promise<Set<string>> {
    const response = await this.#request('GET', `${this.#origin}${remoteHttpPaths.blobs}`);
    const body = (await response.json().catch(() => null)) as { ok?: boolean; value?: { blobs?: unknown } } | null;
    const blobs = body?.value?.blobs;
    if (!Array.isArray(blobs) || !blobs.every((hash) => typeof hash === 'string' && /^sha256:[0-9a-f]{64}$/.test(hash))) {
      throw failure('UNAVAILABLE', `${this.#origin} answered its blob listing with something that is not one.`, { hint: 'Is that address a `lathe serve --remote-dir` of a Lathe this version understands?' });
    }
    return new Set(blobs as string[]);
  }

  async open(hash: string): Promise<AsyncIterable<Uint8Array> | null> {
    const response = await this.#request('GET', this.#blobUrl(hash), { allowNotFound: true });
    if (response.status === 404 || !response.body) return null;
    return Readable.fromWeb(response.body as ReadableStream<Uint8Array>);
  }

  async put(hash: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    // The source's own failure (damaged local bytes) is what the caller must hear, not fetch's.
    let sourceError: unknown = null;
    const source = async function* () {
      try {
        yield* chunks;
      } catch (error) {
        sourceError = error;
        throw error;
      }
    };
    try {
      await this.#request('PUT', this.#blobUrl(hash), { body: Readable.from(source()) });
    } catch (error) {
      throw sourceError ?? error;
    }
  }

  async flush(): Promise<void> {
    // The server syncs each blob it places before it answers.
  }

  async sweepAbandoned(): Promise<void> {
    // The server sweeps its own temp files.
  }

  #blobUrl(hash: string): string {
    return `${this.#origin}${remoteHttpPaths.blobs}/sha256/${hexOf(hash)}`;
  }

  async #request(method: 'GET' | 'PUT', url: string, options: { body?: Readable; allowNotFound?: boolean } = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}), ...(options.body ? { 'content-type': 'application/octet-stream' } : {}) },
        ...(options.body ? { body: Readable.toWeb(options.body) as unknown as RequestInit['body'], duplex: 'half' } : {}),
        redirect: 'error',
      } as RequestInit);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw failure('UNAVAILABLE', `Cannot reach the remote ${this.#origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}.`, {
        hint: 'Check that `lathe serve --remote-dir DIR` is running there and that this machine can reach it.',
      });
    }
    if (response.ok || (options.allowNotFound && response.status === 404)) return response;
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    const error = LatheError.safeParse(body?.error);
    if (response.status === 401) throw failure('UNAUTHORIZED', `The remote ${this.#origin} refused the token${this.#token ? '' : ' (none was given)'}.`, { hint: TOKEN_HINT });
    if (error.success) throw new LatheFailure({ ...error.data, message: `The remote ${this.#origin} refused: ${error.data.message}` });
    throw failure('UNAVAILABLE', `The remote ${this.#origin} answered ${method} ${url.slice(this.#origin.length)} with HTTP ${response.status}.`);
  }
}
