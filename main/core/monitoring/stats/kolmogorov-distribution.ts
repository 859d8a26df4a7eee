import { logBinomialProbability } from '../../gates/stats/binomial-tail.ts';

/**
 * The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic Dₙ, as scipy's
 * `kstwo.sf(d, n)` computes it (Simard & L'Ecuyer 2011: each region of (n, d) gets the method
 * that is accurate there). `ks_2samp` uses it for large samples with n = round(n₁n₂ / (n₁ + n₂)).
 *
 *   n·d ≤ 1 or ≥ n − 1        Ruben–Gambino closed forms
 *   d ≥ 0.5, or a far tail     2 × Smirnov's one-sided exact sum (Birnbaum–Tingey)
 *   small n·d²                 Durbin's matrix (Marsaglia, Tsang & Wang 2003)
 *   n ≤ 140, n·d² ≤ 4          Pomeranz's recursion (1974)
 *   otherwise                  Pelz–Good's asymptotic series (1976)
 */
export function kolmogorovSurvival(n: number, d: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`kolmogorovSurvival needs a whole n ≥ 1, got ${n}`);
  if (Number.isNaN(d)) throw new RangeError('kolmogorovSurvival: the statistic is NaN');
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    return clip(1 - rubenGambinoLow(n, t));
  }
  if (t >= n - 1) return clip(2 * (1 - d) ** n);
  if (d >= 0.5) return clip(2 * smirnovSurvival(n, d));
  const nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 0.754693) return clip(1 - durbinMatrixCdf(n, d));
    if (nd2 <= 4) return clip(1 - pomeranzCdf(n, d));
    return clip(2 * smirnovSurvival(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip(2 * smirnovSurvival(n, d));
  let cdf: number;
  if (nd2 >= 18) cdf = 1;
  else if (n <= 100_000 && n * d ** 1.5 <= 1.4) cdf = durbinMatrixCdf(n, d);
  else cdf = pelzGoodCdf(n, d);
  return clip(1 - cdf);
}

/**
 * P(D⁺ₙ ≥ d), Smirnov's one-sided statistic, by Birnbaum and Tingey's sum
 * d · Σ_{v ≤ n(1−d)} C(n, v) (d + v/n)^(v−1) (1 − d − v/n)^(n−v). Each term is a binomial
 * probability with p = d + v/n, which Loader's method gives to full precision at any n.
 */
export function smirnovSurvival(n: number, d: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const last = Math.floor(n * (1 - d));
  let sum = 0;
  let carry = 0;
  for (let v = 0; v <= last; v += 1) {
    const p = Math.min(1, d + v / n);
    let term: number;
    if (v === 0) term = (1 - d) ** n;
    else if (p === 1) term = v === n ? d / p : 0;
    else term = (d / p) * Math.exp(logBinomialProbability(v, n, p));
    // Neumaier's compensated sum: thousands of terms of very different sizes.
    const next = sum + term;
    carry += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
    sum = next;
  }
  return sum + carry;
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** P(Dₙ ≤ d) for 1/(2n) < d ≤ 1/n: n! (2d − 1/n)ⁿ / nⁿ⁻ⁿ (Ruben & Gambino 1982), t = n·d. */
function rubenGambinoLow(n: number, t: number): number {
  if (n <= 140) {
    let product = 1;
    for (let i = 1; i <= n; i += 1) product *= i * (1 / n) * (2 * t - 1);
    return product;
  }
  return Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
}

/** Stirling's series for log Γ, highest power first (B₁₆/(16·15) … B₂/(2·1)), as doubles. */
const STIRLING = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417, -0.0005952380952380953,
  0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
];

/** log(n! / nⁿ) by Stirling's series. */
function logFactorialOverPower(n: number): number {
  const r = 1 / n;
  let series = 0;
  for (const c of STIRLING) series = series * (r / n) + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + r * series;
}

const SCALE = 2 ** 128;
const UNSCALE = 2 ** -128;

/** x · 2^exponent without overflowing or underflowing on the way. */
function ldexp(x: number, exponent: number): number {
  let result = x;
  let left = exponent;
  while (left > 500) { result *= 2 ** 500; left -= 500; }
  while (left < -500) { result *= 2 ** -500; left += 500; }
  return result * 2 ** left;
}

/** P(Dₙ ≤ d) by the k-th diagonal entry of Hⁿ (Durbin 1968), H scaled by 2^128 as it grows. */
function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j += 1) {
    v[j - 1] = 1 - h ** j;
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = v[j - 1]! * factorial;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * factorial;
  let power: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i += 1) for (let r = i - 1; r < m; r += 1) power[r * m + i] = w[r - (i - 1)]!;
  for (let r = 0; r < m; r += 1) power[r * m] = v[r]!;
  for (let c = 0; c < m; c += 1) power[(m - 1) * m + c] = v[m - 1 - c]!;
  let result: Float64Array = identity(m);
  let left = n;
  let exponent = 0;
  let powerExponent = 0;
  while (left > 0) {
    if (left % 2) {
      result = multiply(result, power, m);
      exponent += powerExponent;
    }
    power = multiply(power, power, m);
    powerExponent *= 2;
    if (Math.abs(power[(k - 1) * m + (k - 1)]!) > SCALE) {
      for (let i = 0; i < power.length; i += 1) power[i] = power[i]! / SCALE;
      powerExponent += 128;
    }
    left = Math.floor(left / 2);
  }
  let p = result[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i += 1) {
    p = (i * p) / n;
    if (Math.abs(p) < UNSCALE) {
      p *= SCALE;
      exponent -= 128;
    }
  }
  return clip(exponent === 0 ? p : ldexp(p, exponent));
}

function identity(m: number): Float64Array {
  const matrix = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) matrix[i * m + i] = 1;
  return matrix;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) {
    for (let l = 0; l < m; l += 1) {
      const ail = a[i * m + l]!;
      if (ail === 0) continue;
      for (let j = 0; j < m; j += 1) out[i * m + j] = out[i * m + j]! + ail * b[l * m + j]!;
    }
  }
  return out;
}

/** Row i's column range in Pomeranz's recursion. */
function pomeranzRange(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(Dₙ ≤ d) by Pomeranz's recursion over 2n + 2 rows of truncated exponential sums. */
function pomeranzCdf(n: number, d: number): number {
  const t = n * d;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const powers = 2 * (ll + 1);
  const gPower = new Float64Array(powers);
  const twoGPower = new Float64Array(powers);
  const oneMinusTwoGPower = new Float64Array(powers);
  gPower[0] = 1;
  twoGPower[0] = 1;
  oneMinusTwoGPower[0] = 1;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < powers; m += 1) {
    gPower[m] = (gPower[m - 1]! * gOverN) / m;
    twoGPower[m] = (twoGPower[m - 1]! * twoGOverN) / m;
    oneMinusTwoGPower[m] = (oneMinusTwoGPower[m - 1]! * oneMinusTwoGOverN) / m;
  }
  let previous = new Float64Array(powers);
  let row = new Float64Array(powers);
  row[0] = 1;
  let previousStart = 0;
  let rowStart = 0;
  let exponent = 0;
  let j1 = pomeranzRange(0, n, ll, ceilf, roundf)[0];
  let j2: number;
  for (let i = 1; i < 2 * n + 2; i += 1) {
    const k1 = j1;
    [previous, row] = [row, previous];
    [previousStart, rowStart] = [rowStart, previousStart];
    row.fill(0);
    [j1, j2] = pomeranzRange(i, n, ll, ceilf, roundf);
    const weights = i === 1 || i === 2 * n + 1 ? gPower : i % 2 ? twoGPower : oneMinusTwoGPower;
    const span = j2 - k1 + 1;
    if (span > 0) {
      const from = k1 - previousStart;
      const length = Math.min(span, powers - from);
      const convStart = j1 - k1;
      const convLength = j2 - j1 + 1;
      for (let c = 0; c < convLength; c += 1) {
        const index = convStart + c;
        let sum = 0;
        const low = Math.max(0, index - Math.min(span, powers) + 1);
        const high = Math.min(index, length - 1);
        for (let a = low; a <= high; a += 1) sum += previous[from + a]! * weights[index - a]!;
        row[c] = sum;
      }
      let largest = 0;
      for (const value of row) largest = Math.max(largest, value);
      if (largest > 0 && largest < UNSCALE) {
        for (let c = 0; c < row.length; c += 1) row[c] = row[c]! * SCALE;
        exponent -= 128;
      }
      rowStart = previousStart + j1 - k1;
    }
  }
  let answer = row[n - rowStart]!;
  for (let m = 1; m <= n; m += 1) {
    if (Math.abs(answer) > SCALE) {
      answer *= UNSCALE;
      exponent += 128;
    }
    answer *= m;
  }
  return clip(exponent === 0 ? answer : ldexp(answer, exponent));
}

const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** P(Dₙ ≤ d) by Pelz and Good's series in z = d√n, its terms to 1/n^1.5. */
function pelzGoodCdf(n: number, d: number): number {
  if (d <= 0) return 0;
  if (d >= 1) return 1;
  const z = Math.sqrt(n) * d;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k -= 1) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qPower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i += 1) terms[i] = terms[i]! * qPower + coefficients[i]!;
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i += 1) terms[i] = ((terms[i]! * q) * SQRT_2PI) / divisors[i]!;
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k > 0; k -= 1) {
    const k2 = k * k;
    const qk = q ** k2;
    k2extra += k2 * qk;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
  }
  terms[2] = terms[2]! + k2extra * ((PI2 * SQRT_2PI) / (-36 * z3));
  terms[3] = terms[3]! + k3extra * ((PI2 * SQRT_2PI) / (216 * z6));
  let sum = 0;
  for (let i = 0; i < 4; i += 1) sum += terms[i]! / n ** (i / 2);
  return sum;
}
