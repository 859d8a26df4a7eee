/**
 * One 512-byte POSIX ustar header, written and read. A bundle is a plain ustar archive (so
 * `tar -tf model.lathe` lists it), but Lathe writes and accepts only the narrow part of the
 * format it needs: regular files with short relative names, no links, folders, extended (pax)
 * or GNU headers. Anything else in a header is refused, never interpreted.
 */
export const BLOCK = 512;
/** ustar's size field is 11 octal digits: just under 8 GiB. */
export const MAX_TAR_ENTRY_BYTES = 8 * 1024 ** 3 - 1;
const NAME_BYTES = 100;
/** What GNU tar's own format (its default) writes where ustar's magic and version go. */
const GNU_MAGIC = 'ustar  \u0000';

export interface TarEntryHeader {
  name: string;
  size: number;
  /** Seconds since 1970. */
  mtime: number;
}

export function encodeHeader({ name, size, mtime }: TarEntryHeader): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  if (nameBytes.length > NAME_BYTES) throw new Error(`tar entry name "${name}" is over ${NAME_BYTES} bytes`);
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_TAR_ENTRY_BYTES) throw new Error(`tar entry "${name}" has size ${size}, past ustar's limit`);
  const header = new Uint8Array(BLOCK);
  header.set(nameBytes, 0);
  writeOctal(header, 100, 8, 0o644); // mode
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, mtime);
  header.fill(0x20, 148, 156); // checksum counted as spaces
  header[156] = 0x30; // '0': a regular file
  header.set(new TextEncoder().encode('ustar\u000000'), 257);
  writeOctal(header, 148, 7, checksumOf(header));
  header[155] = 0x20;
  return header;
}

export type HeaderReading = { kind: 'end' } | { kind: 'entry'; header: TarEntryHeader } | { kind: 'refused'; reason: string };

/** What a header block says, or why it is refused. `kind: 'end'` is an all-zero block. */
export function decodeHeader(block: Uint8Array): HeaderReading {
  if (block.every((byte) => byte === 0)) return { kind: 'end' };
  const magic = new TextDecoder().decode(block.subarray(257, 265));
  if (magic === GNU_MAGIC) return { kind: 'refused', reason: 'it is a GNU tar header, not POSIX ustar (pack a bundle with `tar --format=ustar`)' };
  if (!magic.startsWith('ustar\u0000')) return { kind: 'refused', reason: 'it is not a POSIX ustar header' };
  const stored = readOctal(block, 148, 8);
  if (stored === null || stored !== checksumOf(block)) return { kind: 'refused', reason: 'its header checksum does not match (the header is damaged)' };
  const name = readName(block);
  if (name === null) return { kind: 'refused', reason: 'its name is not UTF-8 text' };
  const type = block[156];
  if (type !== 0x30 && type !== 0) {
    const what = TYPE_NAMES[type as number] ?? `type ${JSON.stringify(String.fromCharCode(type as number))}`;
    return { kind: 'refused', reason: `"${name}" is a ${what}; a bundle holds only regular files` };
  }
  const size = readOctal(block, 124, 12);
  if (size === null) return { kind: 'refused', reason: `"${name}" has an unreadable size field` };
  return { kind: 'entry', header: { name, size, mtime: readOctal(block, 136, 12) ?? 0 } };
}

const TYPE_NAMES: Record<number, string> = {
  0x31: 'hard link',
  0x32: 'symbolic link',
  0x33: 'character device',
  0x34: 'block device',
  0x35: 'folder',
  0x36: 'FIFO',
  0x37: 'contiguous file',
  0x78: 'pax extended header',
  0x67: 'pax global header',
  0x4c: 'GNU long name',
  0x4b: 'GNU long link',
};

function readName(block: Uint8Array): string | null {
  const prefix = cString(block.subarray(345, 500));
  const name = cString(block.subarray(0, NAME_BYTES));
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    return prefix.length > 0 ? `${decoder.decode(prefix)}/${decoder.decode(name)}` : decoder.decode(name);
  } catch {
    return null;
  }
}

function cString(bytes: Uint8Array): Uint8Array {
  const end = bytes.indexOf(0);
  return end < 0 ? bytes : bytes.subarray(0, end);
}

function checksumOf(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
  return sum;
}

function writeOctal(block: Uint8Array, at: number, width: number, value: number): void {
  const digits = value.toString(8).padStart(width - 1, '0');
  block.set(new TextEncoder().encode(digits), at);
  block[at + width - 1] = 0;
}

/** An octal field (digits, then NUL or space); null when it holds anything else (base-256 sizes included). */
function readOctal(block: Uint8Array, at: number, width: number): number | null {
  let end = at + width;
  while (end > at && (block[end - 1] === 0 || block[end - 1] === 0x20)) end--;
  const text = new TextDecoder().decode(block.subarray(at, end)).trimStart();
  if (!/^[0-7]{1,12}$/.test(text)) return null;
  const value = parseInt(text, 8);
  return Number.isSafeInteger(value) ? value : null;
}

/** Zero bytes that pad an entry of `size` bytes to a whole block. */
export function paddingOf(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
