import { isIP } from 'node:net';

/**
 * Which addresses a webhook may be sent to. An alert's webhook is a URL the user typed, but the
 * name in it is resolved at send time, and a name can point anywhere: at this machine's own
 * services (loopback), the office network (RFC 1918, fc00::/7), or the cloud's metadata service
 * (169.254.169.254), which hands out credentials to whoever asks. So every resolved address is
 * checked, and the connection goes to the address that was checked.
 *
 * - Always refused: unspecified (0.0.0.0, ::), multicast, broadcast and reserved addresses, and
 *   the cloud metadata addresses — no webhook receiver lives there.
 * - Refused unless the user allowed private targets (`allowPrivate`): loopback, private,
 *   shared (100.64/10) and link-local addresses — for a receiver on their own network.
 */
export interface AddressVerdict {
  allowed: boolean;
  /** Why not, to follow the address: "is a loopback address (this machine); a webhook goes there only …". */
  reason: string | null;
}

type Kind = 'unspecified' | 'multicast' | 'reserved' | 'metadata' | 'loopback' | 'private' | 'link-local' | 'public';

const ALWAYS_REFUSED: ReadonlySet<Kind> = new Set(['unspecified', 'multicast', 'reserved', 'metadata']);

const WORDS: Record<Exclude<Kind, 'public'>, string> = {
  unspecified: 'the unspecified address (it means "any" and reaches this machine)',
  multicast: 'a multicast or broadcast address',
  reserved: 'a reserved address',
  metadata: "the cloud metadata service's address (it hands out the machine's credentials)",
  loopback: 'a loopback address (this machine)',
  private: 'a private network address',
  'link-local': 'a link-local address',
};

export function checkAddress(address: string, allowPrivate: boolean): AddressVerdict {
  const kind = classify(address);
  if (kind === 'public') return { allowed: true, reason: null };
  if (ALWAYS_REFUSED.has(kind)) return { allowed: false, reason: `is ${WORDS[kind]}; a webhook is never sent there` };
  if (allowPrivate) return { allowed: true, reason: null };
  return { allowed: false, reason: `is ${WORDS[kind]}; a webhook goes there only when you allow private targets (--allow-private)` };
}

export function classify(address: string): Kind {
  const family = isIP(address);
  if (family === 4) return classifyV4(v4Bytes(address));
  if (family === 6) return classifyV6(v6Words(address));
  return 'reserved';
}

type Octets = [number, number, number, number];

function classifyV4([a, b, c, d]: Octets): Kind {
  if (a === 169 && b === 254 && c === 169 && d === 254) return 'metadata';
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // shared address space (carrier-grade NAT)
  if (a === 169 && b === 254) return 'link-local';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return a === 255 && b === 255 && c === 255 && d === 255 ? 'multicast' : 'reserved';
  if (a === 192 && b === 0 && c === 0) return 'reserved'; // IETF protocol assignments
  if (a === 198 && (b === 18 || b === 19)) return 'private'; // benchmarking networks
  return 'public';
}

function classifyV6(words: number[]): Kind {
  const [w0, , , , , w5, w6, w7] = words as [number, number, number, number, number, number, number, number];
  const zeroTo = (n: number) => words.slice(0, n).every((word) => word === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && w7 === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses reach the IPv4 address inside.
  if (zeroTo(5) && (w5 === 0xffff || w5 === 0)) return classifyV4([w6 >> 8, w6 & 0xff, w7 >> 8, w7 & 0xff]);
  // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits.
  if (w0 === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((word) => word === 0)) return classifyV4([w6 >> 8, w6 & 0xff, w7 >> 8, w7 & 0xff]);
  if (w0 === 0xfd00 && words[1] === 0x0ec2 && words.slice(2, 7).every((word) => word === 0) && w7 === 0x254) return 'metadata'; // AWS's IPv6 metadata service
  if ((w0 & 0xfe00) === 0xfc00) return 'private'; // unique local, fc00::/7
  if ((w0 & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((w0 & 0xffc0) === 0xfec0) return 'private'; // site-local (deprecated), fec0::/10
  if ((w0 & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

function v4Bytes(address: string): Octets {
  return address.split('.').map(Number) as Octets;
}

/** The eight 16-bit words of an IPv6 address (with "::" expanded and a trailing dotted IPv4 part folded in). */
function v6Words(address: string): number[] {
  let text = address.replace(/%.*$/, '').toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a, b, c, d] = v4Bytes(dotted);
    text = `${text.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headWords = head ? head.split(':') : [];
  const tailWords = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - headWords.length - tailWords.length).fill('0');
  return [...headWords, ...fill, ...tailWords].map((word) => parseInt(word, 16));
}
