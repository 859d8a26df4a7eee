/**
 * The sample generator of scipy-golden.py, in TypeScript: a 32-bit LCG whose integer steps are
 * exact in doubles (1664525 · 2³² < 2⁵³), and samples built from it with one IEEE operation at a
 * time in the same order as the Python, so both languages hold bit-identical inputs.
 */
export type SampleSpec =
  | { kind: 'normal'; n: number; seed: number; mu: number; sigma: number }
  | { kind: 'integers'; n: number; seed: number; k: number; offset: number }
  | { kind: 'skewed'; n: number; seed: number; scale: number };

export interface Fingerprint {
  n: number;
  first: number[];
  last: number;
}

const TWO_32 = 4_294_967_296;

class Lcg {
  private state: number;
  constructor(seed: number) {
    this.state = seed % TWO_32;
  }
  next24(): number {
    this.state = (1_664_525 * this.state + 1_013_904_223) % TWO_32;
    return Math.floor(this.state / 256);
  }
}

export function generate(spec: SampleSpec): Float64Array {
  const rng = new Lcg(spec.seed);
  const out = new Float64Array(spec.n);
  for (let i = 0; i < spec.n; i += 1) {
    if (spec.kind === 'normal') {
      const total = rng.next24() + rng.next24() + rng.next24() + rng.next24() - 2 ** 25;
      out[i] = spec.mu + spec.sigma * (total / 8_388_608);
    } else if (spec.kind === 'integers') {
      out[i] = spec.offset + (rng.next24() % spec.k);
    } else {
      const u = rng.next24() / 16_777_216;
      out[i] = spec.scale * (u * u * u);
    }
  }
  return out;
}

export function fingerprint(values: Float64Array): Fingerprint {
  return { n: values.length, first: [...values.subarray(0, 3)], last: values[values.length - 1]! };
}

/** scipy-golden.py's categories: c0, c1, … */
export function asCategories(values: Float64Array): string[] {
  return Array.from(values, (value) => `c${value}`);
}
