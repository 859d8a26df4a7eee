import { createHash, verify } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { LatheFailure } from '../errors.ts';
import {
  MANIFEST_PATH,
  MAX_MANIFEST_BYTES,
  MAX_SIGNATURE_BYTES,
  REQUIRED_PARTS,
  SIGNATURE_PATH,
  bundleManifestRecord,
  bundleSignatureRecord,
  type BundleManifest,
  type BundlePart,
} from './bundle-manifest.ts';
import { publicKeyFromRaw, type PublicKeyInfo } from './signing-keys.ts';
import { BLOCK, decodeHeader, paddingOf } from './tar-header.ts';

/**
 * Reading a bundle is verifying it: one pass over the file that trusts nothing it has not
 * checked. The archive must be the narrow ustar Lathe writes — `manifest.json`, then
 * `manifest.sig`, then regular files with relative names, each once, each within the file, then
 * the end blocks and nothing after them but zeros (tar pads a record with them, so a bundle
 * unpacked and packed again with `tar --format=ustar` still verifies). The signature must check
 * over the manifest's exact bytes and its key must be trusted; every part's size and SHA-256 must
 * match the manifest, and the parts must be exactly the manifest's (none extra, none missing).
 *
 * Each problem is named (the part, the hashes, the byte where the file ends). A problem in the
 * archive's structure stops the reading there; problems with parts are all collected. Parts a
 * caller asks to keep (serving) are read straight into one buffer each: held once, and handed
 * back only when the whole bundle verified.
 */
export type ProblemKind = 'format' | 'truncated' | 'signature' | 'untrusted' | 'altered' | 'size' | 'missing' | 'extra';

export interface BundleProblem {
  kind: ProblemKind;
  /** The part it is about, when it is about one. */
  part: string | null;
  message: string;
}

export interface PartCheck {
  path: string;
  bytes: number;
  sha256: string | null;
  /** `unchecked`: the reading stopped (a problem in the archive) before this part. */
  status: 'intact' | 'altered' | 'missing' | 'extra' | 'unchecked';
}

export interface BundleVerification {
  file: string;
  bytes: number;
  verified: boolean;
  problems: BundleProblem[];
  manifest: BundleManifest | null;
  signer: { publicKey: string; fingerprint: string; trusted: boolean } | null;
  parts: PartCheck[];
}

export interface VerifyOptions {
  /** Keys whose signatures are accepted. */
  trusted: readonly PublicKeyInfo[];
  /** Parts whose bytes to hand back (when every check passes). */
  keep?: readonly string[];
  /** A kept part larger than this is refused (TOO_LARGE) before it is read. */
  maxKeptBytes?: number;
}

export interface VerifiedBundle extends BundleVerification {
  kept: Map<string, Uint8Array>;
}

/** Entries a bundle may hold: its parts (at most 64) and the manifest and signature. */
const MAX_ENTRIES = 66;
const CHUNK = 4 * 1024 * 1024;
const MAX_KEPT_BYTES = 2 * 1024 ** 3;

export async function verifyBundle(file: string, options: VerifyOptions): Promise<VerifiedBundle> {
  // A folder, a device or a FIFO (which would block the open) is refused before it is opened.
  const info = await stat(file);
  if (!info.isFile()) throw new LatheFailure({ code: 'INVALID_INPUT', message: info.isDirectory() ? `${file} is a folder, not a bundle file.` : `${file} is not a regular file (a device, FIFO or socket); a bundle is a file.`, location: { file, field: 'file' } });
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const check = new BundleCheck(file, size, handle, options);
    await check.run();
    return check.result();
  } finally {
    await handle.close();
  }
}

/** The bundle's problems as one failure, for callers that may go on only with a verified bundle. */
export function verificationFailure(verification: BundleVerification): LatheFailure {
  const first = verification.problems[0];
  const more = verification.problems.length > 1 ? ` (and ${verification.problems.length - 1} more problem${verification.problems.length > 2 ? 's' : ''})` : '';
  const untrusted = first?.kind === 'untrusted';
  return new LatheFailure({
    code: untrusted ? 'FORBIDDEN' : 'DATA_DAMAGED',
    message: `The bundle ${verification.file} did not verify: ${first?.message ?? 'no problem was named'}${more}.`,
    hint: untrusted
      ? 'If you know this key is the signer\'s, pass it with --trust (the signer prints it with `lathe keys show`).'
      : 'Do not use this file: package the model version again, or copy the bundle again from its source. `lathe models verify FILE` lists every problem.',
    location: { file: verification.file, ...(first?.part ? { field: first.part } : {}) },
  });
}

class BundleCheck {
  readonly #problems: BundleProblem[] = [];
  readonly #seen = new Map<string, PartCheck>();
  readonly #kept = new Map<string, Uint8Array>();
  #manifest: BundleManifest | null = null;
  #manifestBytes: Uint8Array | null = null;
  #signer: BundleVerification['signer'] = null;
  #offset = 0;
  #stopped = false;

  readonly file: string;
  readonly size: number;
  readonly handle: FileHandle;
  readonly options: VerifyOptions;

  constructor(file: string, size: number, handle: FileHandle, options: VerifyOptions) {
    this.file = file;
    this.size = size;
    this.handle = handle;
    this.options = options;
  }

  async run(): Promise<void> {
    for (let index = 0; ; index++) {
      const headerAt = this.#offset;
      if (index === 0 && this.size < 2 * BLOCK) return this.#stop('format', null, `the file is ${this.size} bytes, too short to be a bundle (an empty archive alone is ${2 * BLOCK})`);
      if (headerAt + BLOCK > this.size) {
        return this.#stop('truncated', null, `the file ends at byte ${this.size}, ${headerAt === this.size ? `right after ${this.#lastName()}` : `inside the header after ${this.#lastName()}`}, before the end of the archive (truncated)`);
      }
      const block = await this.#read(BLOCK);
      const reading = decodeHeader(block);
      if (reading.kind === 'end') return this.#end(headerAt);
      if (reading.kind === 'refused') return this.#stop('format', null, `the entry at byte ${headerAt} is refused: ${reading.reason}`);
      if (index >= MAX_ENTRIES) return this.#stop('format', null, `the archive holds more than ${MAX_ENTRIES} entries; a bundle holds at most 64 parts`);
      const { name, size } = reading.header;
      const unsafe = unsafeName(name);
      if (unsafe) return this.#stop('format', name, `the entry at byte ${headerAt} is named ${JSON.stringify(name)}: ${unsafe}; the bundle is refused`);
      if (name === MANIFEST_PATH || name === SIGNATURE_PATH ? index > 1 : this.#seen.has(name)) return this.#stop('format', name, `${name} appears twice in the archive (a second copy could replace the checked one); the bundle is refused`);
      const dataEnd = this.#offset + size;
      const paddedEnd = dataEnd + paddingOf(size);
      if (index === 0 && name !== MANIFEST_PATH) return this.#stop('format', name, `the archive starts with ${JSON.stringify(name)}, not ${MANIFEST_PATH}: it is not a Lathe bundle`);
      if (index === 1 && name !== SIGNATURE_PATH) return this.#stop('signature', name, `the archive has no ${SIGNATURE_PATH} after ${MANIFEST_PATH} (found ${JSON.stringify(name)}): the bundle is not signed`);
      if (index <= 1) {
        const limit = index === 0 ? MAX_MANIFEST_BYTES : MAX_SIGNATURE_BYTES;
        if (size > limit) return this.#stop('format', name, `${name} declares ${size} bytes; it may hold at most ${limit}`);
        if (dataEnd > this.size) return this.#truncated(name, size);
        const bytes = await this.#read(size);
        if (!(await this.#padding(name, paddedEnd))) return;
        if (index === 0) this.#manifestBytes = bytes;
        else if (!this.#checkSignature(bytes)) return;
        continue;
      }
      const expected = this.#manifest!.parts.find((part) => part.path === name);
      if (!expected) {
        this.#problem('extra', name, `part ${name} is in the archive but not in the manifest (an added file)`);
        this.#seen.set(name, { path: name, bytes: size, sha256: null, status: 'extra' });
        if (paddedEnd > this.size) return this.#truncated(name, size);
        this.#offset = paddedEnd;
        continue;
      }
      if (size !== expected.bytes) {
        this.#problem('size', name, `part ${name}: the archive holds ${size} bytes, the manifest says ${expected.bytes}`);
        this.#seen.set(name, { path: name, bytes: size, sha256: null, status: 'altered' });
        if (paddedEnd > this.size) return this.#truncated(name, size);
        this.#offset = paddedEnd;
        continue;
      }
      if (dataEnd > this.size) return this.#truncated(name, size);
      await this.#checkPart(expected);
      if (!(await this.#padding(name, paddedEnd))) return;
    }
  }

  result(): VerifiedBundle {
    const parts: PartCheck[] = [...this.#seen.values()];
    for (const part of this.#manifest?.parts ?? []) {
      if (this.#seen.has(part.path)) continue;
      parts.push({ path: part.path, bytes: part.bytes, sha256: null, status: this.#stopped ? 'unchecked' : 'missing' });
      if (!this.#stopped) this.#problem('missing', part.path, `part ${part.path} is in the manifest but not in the archive (removed)`);
    }
    const verified = this.#problems.length === 0 && this.#manifest !== null && this.#signer?.trusted === true;
    return {
      file: this.file,
      bytes: this.size,
      verified,
      problems: this.#problems,
      manifest: this.#manifest,
      signer: this.#signer,
      parts,
      kept: verified ? this.#kept : new Map(),
    };
  }

  /** The signature over the manifest's exact bytes, by a trusted key; then the manifest itself. */
  #checkSignature(bytes: Uint8Array): boolean {
    const manifestBytes = this.#manifestBytes!;
    let signature;
    try {
      signature = bundleSignatureRecord.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), SIGNATURE_PATH);
    } catch (error) {
      return this.#refuse('signature', SIGNATURE_PATH, `${SIGNATURE_PATH} is not a valid signature file (${error instanceof LatheFailure ? error.message.replace(/^manifest\.sig is not a valid bundle signature: /, '') : 'not UTF-8 text'})`);
    }
    const key = publicKeyFromRaw(Buffer.from(signature.publicKey.slice('ed25519:'.length), 'base64'));
    if (!key) return this.#refuse('signature', SIGNATURE_PATH, `${SIGNATURE_PATH} names a public key that is not a valid Ed25519 key`);
    const trusted = this.options.trusted.some((candidate) => candidate.text === key.text);
    this.#signer = { publicKey: key.text, fingerprint: key.fingerprint, trusted };
    if (!verify(null, manifestBytes, key.key, Buffer.from(signature.signature, 'base64'))) {
      this.#signer.trusted = false;
      return this.#refuse('signature', MANIFEST_PATH, `the signature in ${SIGNATURE_PATH} does not match the bytes of ${MANIFEST_PATH}: the manifest or its signature was altered after signing`);
    }
    if (!trusted) this.#problem('untrusted', SIGNATURE_PATH, `signed by key ${key.fingerprint}… (${key.text}), which is not trusted`);
    try {
      this.#manifest = bundleManifestRecord.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes), MANIFEST_PATH);
    } catch (error) {
      return this.#refuse('format', MANIFEST_PATH, error instanceof LatheFailure ? error.message : `${MANIFEST_PATH} is not UTF-8 text`);
    }
    const lacking = REQUIRED_PARTS.filter((path) => !this.#manifest!.parts.some((part) => part.path === path));
    if (lacking.length > 0) return this.#refuse('format', MANIFEST_PATH, `${MANIFEST_PATH} lists no ${lacking.join(', ')}: a bundle holds the model, its preprocessing, signature and card`);
    return true;
  }

  /** Hash a part's bytes as they are read, into the buffer it is kept in when asked for. */
  async #checkPart(expected: BundlePart): Promise<void> {
    const wanted = this.options.keep?.includes(expected.path) ?? false;
    const limit = this.options.maxKeptBytes ?? MAX_KEPT_BYTES;
    if (wanted && expected.bytes > limit) {
      throw new LatheFailure({ code: 'TOO_LARGE', message: `Part ${expected.path} of ${this.file} is ${expected.bytes} bytes; a model loaded for serving may be at most ${limit}.`, location: { file: this.file, field: expected.path } });
    }
    const keep = wanted ? new Uint8Array(expected.bytes) : null;
    const scratch = keep ? null : new Uint8Array(Math.min(CHUNK, Math.max(expected.bytes, 1)));
    const hasher = createHash('sha256');
    for (let done = 0; done < expected.bytes; ) {
      const want = Math.min(CHUNK, expected.bytes - done);
      const target = keep ? keep.subarray(done, done + want) : scratch!.subarray(0, want);
      await this.#readInto(target);
      hasher.update(target);
      done += want;
    }
    const digest = hasher.digest('hex');
    const intact = digest === expected.sha256;
    if (!intact) this.#problem('altered', expected.path, `part ${expected.path}: SHA-256 is ${digest}, the manifest says ${expected.sha256}`);
    else if (keep) this.#kept.set(expected.path, keep);
    this.#seen.set(expected.path, { path: expected.path, bytes: expected.bytes, sha256: digest, status: intact ? 'intact' : 'altered' });
  }

  /** After the first zero block: a second, then the end of the file. */
  async #end(at: number): Promise<void> {
    if (this.#manifest === null) return this.#stop('format', null, this.#manifestBytes === null ? 'the archive is empty: it holds no manifest.json' : `the archive ends after ${MANIFEST_PATH} with no ${SIGNATURE_PATH}: the bundle is not signed`);
    if (at + 2 * BLOCK > this.size) return this.#stop('truncated', null, `the file ends at byte ${this.size}, inside the archive's end marker (truncated)`);
    const second = await this.#read(BLOCK);
    if (!second.every((byte) => byte === 0)) return this.#stop('format', null, `the archive's end marker at byte ${at} is followed by data instead of a second zero block`);
    if (this.size > at + 2 * BLOCK && !(await this.#zeroToTheEnd())) return this.#stop('format', null, `${this.size - (at + 2 * BLOCK)} bytes of trailing data follow the end of the archive at byte ${at + 2 * BLOCK}`);
  }

  /** tar pads an archive with zero blocks to a whole record (10 KiB by default): zeros hide nothing. */
  async #zeroToTheEnd(): Promise<boolean> {
    const scratch = new Uint8Array(Math.min(CHUNK, this.size - this.#offset));
    while (this.#offset < this.size) {
      const chunk = scratch.subarray(0, Math.min(scratch.byteLength, this.size - this.#offset));
      await this.#readInto(chunk);
      if (!chunk.every((byte) => byte === 0)) return false;
    }
    return true;
  }

  async #padding(name: string, paddedEnd: number): Promise<boolean> {
    if (paddedEnd > this.size) {
      return this.#refuse('truncated', name, `the file ends at byte ${this.size} inside the padding after part ${name} (truncated)`);
    }
    const padding = await this.#read(paddedEnd - this.#offset);
    if (!padding.every((byte) => byte === 0)) {
      return this.#refuse('format', name, `the padding after ${name} holds data (hidden bytes between parts)`);
    }
    return true;
  }

  #truncated(name: string, size: number): void {
    const start = this.#offset;
    this.#stop('truncated', name, `the file ends at byte ${this.size} inside part ${name} (truncated: the part declares ${size} bytes from byte ${start}, ${Math.max(0, this.size - start)} are there)`);
  }

  #lastName(): string {
    const names = [...this.#seen.keys()];
    return names.at(-1) ?? (this.#manifest ? SIGNATURE_PATH : MANIFEST_PATH);
  }

  #problem(kind: ProblemKind, part: string | null, message: string): void {
    this.#problems.push({ kind, part, message });
  }

  /** A problem that ends the reading: what follows cannot be located safely. */
  #stop(kind: ProblemKind, part: string | null, message: string): void {
    this.#problem(kind, part, message);
    this.#stopped = true;
  }

  #refuse(kind: ProblemKind, part: string | null, message: string): false {
    this.#stop(kind, part, message);
    return false;
  }

  async #read(length: number): Promise<Uint8Array> {
    const bytes = new Uint8Array(length);
    await this.#readInto(bytes);
    return bytes;
  }

  async #readInto(target: Uint8Array): Promise<void> {
    let filled = 0;
    while (filled < target.byteLength) {
      const { bytesRead } = await this.handle.read(target, filled, target.byteLength - filled, this.#offset + filled);
      if (bytesRead === 0) throw new LatheFailure({ code: 'DATA_DAMAGED', message: `The bundle ${this.file} became shorter while it was read (at byte ${this.#offset + filled}).`, location: { file: this.file } });
      filled += bytesRead;
    }
    this.#offset += target.byteLength;
  }
}

/** Why an entry name is refused, or null: names are relative paths inside the bundle, nothing else. */
function unsafeName(name: string): string | null {
  if (name.length === 0) return 'an empty name';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  if (name.includes('\\')) return 'a name with "\\"';
  if ([...name].some((char) => char < ' ' || char === '\u007f')) return 'a name with control characters';
  if (name.split('/').some((part) => part === '..')) return 'a path that climbs out with ".."';
  if (name.split('/').some((part) => part === '' || part === '.')) return 'a path with empty or "." parts';
  return null;
}
