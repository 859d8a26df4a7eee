import { endianness } from 'node:os';

/**
 * One block of a metric's points, stored as a single BLOB: the values as raw doubles (NaN and
 * infinities kept bit for bit), the steps and timestamps each in the smallest of three forms:
 *
 *   arithmetic  first, first + stride, … (a step counter, a batch logged with one timestamp): 0 bytes a point
 *   offsets     first + int32 offset (most timestamps within 24 days, most steps): 4 bytes a point
 *   doubles     anything else (exact for every safe integer): 8 bytes a point
 *
 * So a typical point costs 12 bytes, and reading a million of them is a few copies of
 * contiguous memory into typed arrays rather than a million row objects.
 *
 * Layout (little-endian; every section starts on a multiple of 8 bytes):
 *   0   u8  format (1)          1  u8 step form     2  u8 timestamp form     3  u8 0
 *   4   u32 points (n)
 *   8   f64 step first         16  f64 step stride
 *   24  f64 timestamp first    32  f64 timestamp stride
 *   40  f64 × n values, then the steps' section, then the timestamps' section
 */
const FORMAT = 1;
const HEADER_BYTES = 40;
const ARITHMETIC = 0;
const OFFSETS = 1;
const DOUBLES = 2;

if (endianness() !== 'LE') throw new Error('Lathe stores metric blocks little-endian and runs only on little-endian machines.');

/** A metric's points in columns; all three arrays have one length. */
export interface MetricColumns {
  steps: Float64Array;
  values: Float64Array;
  timestamps: Float64Array;
}

export function emptyColumns(length: number): MetricColumns {
  return { steps: new Float64Array(length), values: new Float64Array(length), timestamps: new Float64Array(length) };
}

/** Encode points [from, to) of `columns` as one block. */
export function encodeBlock(columns: MetricColumns, from = 0, to = columns.values.length): Uint8Array {
  const n = to - from;
  const steps = columns.steps.subarray(from, to);
  const timestamps = columns.timestamps.subarray(from, to);
  const stepForm = formOf(steps);
  const timeForm = formOf(timestamps);
  const bytes = new Uint8Array(HEADER_BYTES + n * 8 + sectionBytes(stepForm, n) + sectionBytes(timeForm, n));
  const view = new DataView(bytes.buffer);
  view.setUint8(0, FORMAT);
  view.setUint8(1, stepForm);
  view.setUint8(2, timeForm);
  view.setUint32(4, n, true);
  view.setFloat64(8, n > 0 ? steps[0]! : 0, true);
  view.setFloat64(16, n > 1 ? steps[1]! - steps[0]! : 0, true);
  view.setFloat64(24, n > 0 ? timestamps[0]! : 0, true);
  view.setFloat64(32, n > 1 ? timestamps[1]! - timestamps[0]! : 0, true);
  new Float64Array(bytes.buffer, HEADER_BYTES, n).set(columns.values.subarray(from, to));
  let at = HEADER_BYTES + n * 8;
  at = writeSection(bytes, at, stepForm, steps);
  writeSection(bytes, at, timeForm, timestamps);
  return bytes;
}

/** How many points a block holds, without decoding it. */
export function blockLength(block: Uint8Array): number {
  return new DataView(block.buffer, block.byteOffset, block.byteLength).getUint32(4, true);
}

/** Decode a block into `into` at `offset`; returns how many points it held. */
export function decodeBlockInto(block: Uint8Array, into: MetricColumns, offset: number): number {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  if (view.getUint8(0) !== FORMAT) throw new Error(`unknown metric block format ${view.getUint8(0)}`);
  const n = view.getUint32(4, true);
  const stepForm = view.getUint8(1);
  const timeForm = view.getUint8(2);
  if (block.byteLength !== HEADER_BYTES + n * 8 + sectionBytes(stepForm, n) + sectionBytes(timeForm, n)) {
    throw new Error(`a metric block of ${n} points is ${block.byteLength} bytes long, which its header does not allow`);
  }
  into.values.set(float64At(block, HEADER_BYTES, n), offset);
  let at = HEADER_BYTES + n * 8;
  at = readSection(block, at, stepForm, n, view.getFloat64(8, true), view.getFloat64(16, true), into.steps, offset);
  readSection(block, at, timeForm, n, view.getFloat64(24, true), view.getFloat64(32, true), into.timestamps, offset);
  return n;
}

function formOf(column: Float64Array): number {
  const n = column.length;
  if (n <= 1) return ARITHMETIC;
  const first = column[0]!;
  const stride = column[1]! - first;
  // Each form is checked against exactly what decoding computes, so every value comes back bit for bit.
  let arithmetic = true;
  let offsets = true;
  let expected = first;
  for (let i = 0; i < n && (arithmetic || offsets); i += 1) {
    const value = column[i]!;
    if (arithmetic && !Object.is(value, expected)) arithmetic = false;
    expected += stride;
    if (offsets) {
      const offset = value - first;
      const stored = offset | 0; // what an Int32Array keeps
      if (stored !== offset || !Object.is(first + stored, value)) offsets = false;
    }
  }
  return arithmetic ? ARITHMETIC : offsets ? OFFSETS : DOUBLES;
}

function sectionBytes(form: number, n: number): number {
  if (form === ARITHMETIC) return 0;
  if (form === OFFSETS) return Math.ceil((n * 4) / 8) * 8;
  if (form === DOUBLES) return n * 8;
  throw new Error(`unknown column form ${form} in a metric block`);
}

function writeSection(bytes: Uint8Array, at: number, form: number, column: Float64Array): number {
  const n = column.length;
  if (form === OFFSETS) {
    const offsets = new Int32Array(bytes.buffer, at, n);
    const first = column[0]!;
    for (let i = 0; i < n; i += 1) offsets[i] = column[i]! - first;
  } else if (form === DOUBLES) {
    new Float64Array(bytes.buffer, at, n).set(column);
  }
  return at + sectionBytes(form, n);
}

function readSection(block: Uint8Array, at: number, form: number, n: number, first: number, stride: number, into: Float64Array, offset: number): number {
  if (form === ARITHMETIC) {
    let value = first;
    for (let i = offset, end = offset + n; i < end; i += 1) {
      into[i] = value;
      value += stride;
    }
  } else if (form === OFFSETS) {
    const offsets = int32At(block, at, n);
    for (let i = 0; i < n; i += 1) into[offset + i] = first + offsets[i]!;
  } else {
    into.set(float64At(block, at, n), offset);
  }
  return at + sectionBytes(form, n);
}

// SQLite hands each blob over in a buffer of its own (offset 0), so these views need no copy;
// a blob at an unaligned offset (never seen) is copied first.
function float64At(block: Uint8Array, at: number, n: number): Float64Array {
  const start = block.byteOffset + at;
  return start % 8 === 0 ? new Float64Array(block.buffer, start, n) : new Float64Array(block.slice(at, at + n * 8).buffer);
}

function int32At(block: Uint8Array, at: number, n: number): Int32Array {
  const start = block.byteOffset + at;
  return start % 4 === 0 ? new Int32Array(block.buffer, start, n) : new Int32Array(block.slice(at, at + n * 4).buffer);
}
