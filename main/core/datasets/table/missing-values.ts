/**
 * CSV/TSV cells that count as missing, as pandas reads them by default (a subset: the tokens
 * people actually write). An empty field is missing too. In JSON only `null` (or an absent
 * key) is missing: there "NA" is a string like any other.
 */
export const MISSING_VALUE_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None'];

/** Whether bytes[start, end) is one of MISSING_VALUE_TOKENS. */
export function isMissingBytes(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length === 0) return true;
  if (length > 4 || length < 2) return false;
  const first = bytes[start] as number;
  const second = bytes[start + 1] as number;
  if (first === 78 /* N */) {
    if (length === 2) return second === 65; // NA
    const third = bytes[start + 2] as number;
    if (length === 3) return (second === 47 && third === 65) /* N/A */ || (second === 97 && third === 78); /* NaN */
    const fourth = bytes[start + 3] as number;
    return (second === 85 && third === 76 && fourth === 76) /* NULL */ || (second === 111 && third === 110 && fourth === 101); /* None */
  }
  if (first === 110 /* n */) {
    const third = bytes[start + 2] as number;
    if (length === 3) return second === 97 && third === 110; // nan
    if (length === 4) return second === 117 && third === 108 && bytes[start + 3] === 108; // null
  }
  return false;
}
