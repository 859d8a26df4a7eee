import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { failure } from '../errors.ts';
import { fsyncDirectory, tempPathBeside } from '../storage/atomic-file.ts';

/**
 * The Ed25519 key that signs this user's bundles. It lives in the user's state folder
 * (`<stateDir>/keys/bundle-signing.pem`, mode 0600, its folder 0700), never in a workspace:
 * a workspace is pushed and shared, a signing key must not be. It is made on first use.
 *
 * The public half is what others trust. It is shown as `ed25519:<base64 of its 32 bytes>` (one
 * line, easy to paste into `--trust`) or as PEM; its fingerprint is the first 16 hex digits of
 * the SHA-256 of those 32 bytes.
 */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: PublicKeyInfo;
  file: string;
  /** True when this call made it. */
  created: boolean;
}

export interface PublicKeyInfo {
  key: KeyObject;
  /** `ed25519:` and the key's 32 bytes in base64. */
  text: string;
  pem: string;
  fingerprint: string;
}

const KEY_FILE = 'bundle-signing.pem';
const RAW_PREFIX = 'ed25519:';
/** The DER of an Ed25519 SubjectPublicKeyInfo is this prefix and the 32 key bytes. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function keysDir(stateDir: string): string {
  return join(stateDir, 'keys');
}

/** This user's signing key, made on first use. Two processes making it at once end up with one key. */
export async function loadOrCreateSigningKey(stateDir: string): Promise<SigningKey> {
  const dir = keysDir(stateDir);
  const file = join(dir, KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing !== null) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  // Written beside, then linked into place: link fails if another process got there first, and
  // then its key is the one (a rename would silently replace it).
  const temp = tempPathBeside(file);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(pem);
    await handle.sync();
  } finally {
    await handle.close();
  }
  let created = true;
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
  } finally {
    await rm(temp, { force: true });
  }
  await fsyncDirectory(dir);
  const made = await readKeyFile(file);
  if (made === null) throw failure('INTERNAL', `The signing key ${file} was written but cannot be read back.`);
  return { ...made, created };
}

/** This user's public key, without making a key when there is none yet (null then). */
export async function readOwnPublicKey(stateDir: string): Promise<PublicKeyInfo | null> {
  return (await readKeyFile(join(keysDir(stateDir), KEY_FILE)))?.publicKey ?? null;
}

async function readKeyFile(file: string): Promise<SigningKey | null> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    throw failure('FORBIDDEN', `The signing key ${file} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); Lathe will not sign with a key others may have copied.`, {
      hint: `Run \`chmod 600 ${file}\` if only you could have read it; otherwise delete it, and Lathe makes a new key (bundles signed with the old one then need --trust with its public key).`,
      location: { file },
    });
  }
  const pem = await readFile(file, 'utf8');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw failure('PARSE_ERROR', `The signing key ${file} is not a PEM private key.`, { hint: 'Delete it to have Lathe make a new one.', location: { file } });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw failure('PARSE_ERROR', `The signing key ${file} is a ${privateKey.asymmetricKeyType ?? 'unknown'} key; bundles are signed with Ed25519.`, { hint: 'Delete it to have Lathe make a new one.', location: { file } });
  }
  await chmod(file, 0o600).catch(() => undefined);
  return { privateKey, publicKey: describePublicKey(createPublicKey(privateKey)), file, created: false };
}

export function describePublicKey(key: KeyObject): PublicKeyInfo {
  const raw = rawPublicKey(key);
  return {
    key,
    text: `${RAW_PREFIX}${raw.toString('base64')}`,
    pem: key.export({ type: 'spki', format: 'pem' }) as string,
    fingerprint: fingerprintOf(raw),
  };
}

export function fingerprintOf(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

function rawPublicKey(key: KeyObject): Buffer {
  return (key.export({ type: 'spki', format: 'der' }) as Buffer).subarray(SPKI_PREFIX.length);
}

/** A public key from its 32 raw bytes (as a bundle's signature names its signer). */
export function publicKeyFromRaw(raw: Uint8Array): PublicKeyInfo | null {
  if (raw.length !== 32) return null;
  try {
    return describePublicKey(createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' }));
  } catch {
    return null;
  }
}

/**
 * A public key as a person gives it: `ed25519:BASE64`, the bare base64 of its 32 bytes, or PEM
 * (`-----BEGIN PUBLIC KEY-----`). Null when the text is none of these.
 */
export function parsePublicKey(text: string): PublicKeyInfo | null {
  const trimmed = text.trim();
  if (trimmed.includes('-----BEGIN')) {
    if (trimmed.includes('PRIVATE KEY')) return null;
    try {
      const key = createPublicKey(trimmed);
      return key.asymmetricKeyType === 'ed25519' ? describePublicKey(key) : null;
    } catch {
      return null;
    }
  }
  const base64 = trimmed.startsWith(RAW_PREFIX) ? trimmed.slice(RAW_PREFIX.length) : trimmed;
  if (!/^[A-Za-z0-9+/]{43}=$/.test(base64)) return null;
  return publicKeyFromRaw(Buffer.from(base64, 'base64'));
}

/** At most this much is read from a file named in --trust. */
const MAX_TRUST_FILE_BYTES = 64 * 1024;

/**
 * What `--trust` names — the key's text, or a file holding it — as a key. A private key is
 * refused with a warning: it must never be passed around.
 */
export async function resolveTrustedKey(given: string, index: number): Promise<PublicKeyInfo> {
  const field = `trust.${index}`;
  if (/PRIVATE KEY/.test(given)) throw privateKeyGiven(field);
  const direct = parsePublicKey(given);
  if (direct) return direct;
  if (/^(ed25519:|-----BEGIN)/.test(given.trim())) {
    throw failure('INVALID_INPUT', `--trust ${JSON.stringify(given.slice(0, 60))} is not an Ed25519 public key.`, {
      hint: 'Pass the key as `lathe keys show` prints it (ed25519:… or PEM), or a file holding it.',
      location: { field },
    });
  }
  let text: string;
  try {
    const info = await stat(given);
    if (!info.isFile()) throw failure('INVALID_INPUT', `--trust ${given} is not a file.`, { location: { file: given, field } });
    if (info.size > MAX_TRUST_FILE_BYTES) throw failure('TOO_LARGE', `--trust ${given} is ${info.size} bytes; a public key file is a few hundred.`, { location: { file: given, field } });
    text = await readFile(given, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw failure('INVALID_INPUT', `--trust ${JSON.stringify(given.slice(0, 60))} is neither a public key nor a file that exists.`, {
        hint: 'Pass the key as `lathe keys show` prints it (ed25519:… or PEM), or the path of a file holding it.',
        location: { field },
      });
    }
    throw error;
  }
  if (/PRIVATE KEY/.test(text)) throw privateKeyGiven(field, given);
  const fromFile = parsePublicKey(text);
  if (!fromFile) {
    throw failure('INVALID_INPUT', `${given} does not hold an Ed25519 public key (ed25519:… or PEM).`, {
      hint: 'Ask the signer for the output of `lathe keys show`.',
      location: { file: given, field },
    });
  }
  return fromFile;
}

function privateKeyGiven(field: string, file?: string) {
  return failure('INVALID_INPUT', `--trust was given a PRIVATE key${file ? ` (${file})` : ''}; trust takes the public key only.`, {
    hint: 'Never share a private key: the signer runs `lathe keys show` and shares what it prints. If this private key has been copied around, make a new one.',
    location: { field, ...(file ? { file } : {}) },
  });
}
