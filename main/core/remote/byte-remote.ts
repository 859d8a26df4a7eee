/**
 * What a push, pull or status needs of a remote, whatever carries the bytes: a folder
 * (folder-remote.ts) or `lathe serve --remote-dir` over HTTP (http-remote.ts). Both keep blobs
 * under their content hash, place each one whole or not at all, and say what they hold by listing.
 */
export interface ByteRemote {
  /** Where one blob is on the remote, for messages: a file path or a URL. */
  where(hash: string): string;
  /** Refuse a remote that is not there (an unmounted share, a server that is down), saying what to do. */
  assertReachable(what: string): Promise<void>;
  /** Every blob the remote holds, from a listing (nothing is read). */
  present(): Promise<Set<string>>;
  /** A blob's bytes, unverified (the puller hashes them); null when the remote lacks it. */
  open(hash: string): Promise<AsyncIterable<Uint8Array> | null>;
  /**
   * Store `chunks` under `hash`, whole or not at all. `chunks` ends in an error when its bytes do
   * not match (BlobStore.readVerified does so): then nothing is placed and that error is thrown.
   */
  put(hash: string, chunks: AsyncIterable<Uint8Array>): Promise<void>;
  /** Make every blob placed so far durable (a folder remote syncs the folders it renamed into once, not per blob). */
  flush(): Promise<void>;
  /** Tidy what this machine's killed pushes left (temp files); best effort. */
  sweepAbandoned(): Promise<void>;
}
