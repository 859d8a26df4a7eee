/**
 * The statistics an A/B rollout reports per arm, written out so the agent needs no library:
 * Wilson's interval and the two-proportion z-test for accuracy (label feedback), the t interval
 * and Welch's t-test for rewards, and the sample size each arm needs for 80 % power at α = 0.05
 * (two-sided) at the effect observed so far. The tests check them against SciPy.
 */
export interface ProportionArm {
  n: number;
  successes: number;
}

export interface MeanArm {
  n: number;
  mean: number;
  /** Sample variance (n − 1 in the denominator). */
  variance: number;
}

export interface TestResult {
  statistic: number;
  pValue: number;
  /** candidate − stable */
  effect: number;
}

const Z_975 = 1.959963984540054;
const Z_80 = 0.8416212335729143;

/** The complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** P(|Z| ≥ |z|) for a standard normal Z. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

function logGamma(x: number): number {
  const c = [76.18009172947146, -86.50532032941678, 24.01409824083091, -1.231739572450155, 0.001208650973866179, -0.000005395239384953];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const coefficient of c) ser += coefficient / ++y;
  return -tmp + Math.log((2.5066282746310007 * ser) / x);
}

/** The continued fraction of the regularized incomplete beta function (Lentz's method). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-12) break;
  }
  return h;
}

/** I_x(a, b), the regularized incomplete beta function. */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(|T| ≥ |t|) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's is). */
export function twoSidedTP(t: number, df: number): number {
  return Math.min(1, incompleteBeta(df / (df + t * t), df / 2, 0.5));
}

/** The t value with P(|T| ≥ t) = 0.05, by bisection. */
function t975(df: number): number {
  let low = 0;
  let high = 1000;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (twoSidedTP(mid, df) > 0.05) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** Wilson's 95 % score interval for a proportion; null with no outcomes. */
export function wilsonInterval(arm: ProportionArm): [number, number] | null {
  if (arm.n === 0) return null;
  const p = arm.successes / arm.n;
  const z2 = Z_975 * Z_975;
  const denominator = 1 + z2 / arm.n;
  const centre = (p + z2 / (2 * arm.n)) / denominator;
  const half = (Z_975 / denominator) * Math.sqrt((p * (1 - p)) / arm.n + z2 / (4 * arm.n * arm.n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** The t 95 % interval of a mean; null below two outcomes. */
export function meanInterval(arm: MeanArm): [number, number] | null {
  if (arm.n < 2) return null;
  const half = t975(arm.n - 1) * Math.sqrt(arm.variance / arm.n);
  return [arm.mean - half, arm.mean + half];
}

/** Two-sided two-proportion z-test with the pooled proportion; null when it cannot be computed. */
export function twoProportionZ(stable: ProportionArm, candidate: ProportionArm): TestResult | null {
  if (stable.n === 0 || candidate.n === 0) return null;
  const pooled = (stable.successes + candidate.successes) / (stable.n + candidate.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / stable.n + 1 / candidate.n));
  const effect = candidate.successes / candidate.n - stable.successes / stable.n;
  if (se === 0) return null;
  const statistic = effect / se;
  return { statistic, pValue: twoSidedNormalP(statistic), effect };
}

/** Two-sided Welch's t-test; null below two outcomes per arm or with no variance at all. */
export function welchT(stable: MeanArm, candidate: MeanArm): TestResult | null {
  if (stable.n < 2 || candidate.n < 2) return null;
  const a = stable.variance / stable.n;
  const b = candidate.variance / candidate.n;
  if (a + b === 0) return null;
  const effect = candidate.mean - stable.mean;
  const statistic = effect / Math.sqrt(a + b);
  const df = (a + b) ** 2 / (a * a / (stable.n - 1) + b * b / (candidate.n - 1));
  return { statistic, pValue: twoSidedTP(statistic, df), effect };
}

/** Outcomes per arm for 80 % power to detect the observed difference of proportions; null when there is none. */
export function proportionSampleSize(stable: ProportionArm, candidate: ProportionArm): number | null {
  if (stable.n === 0 || candidate.n === 0) return null;
  const p1 = stable.successes / stable.n;
  const p2 = candidate.successes / candidate.n;
  if (p1 === p2) return null;
  const mean = (p1 + p2) / 2;
  const root = Z_975 * Math.sqrt(2 * mean * (1 - mean)) + Z_80 * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((root * root) / ((p1 - p2) * (p1 - p2)));
}

/** Outcomes per arm for 80 % power to detect the observed difference of means; null when there is none. */
export function meanSampleSize(stable: MeanArm, candidate: MeanArm): number | null {
  if (stable.n < 2 || candidate.n < 2 || stable.mean === candidate.mean) return null;
  const delta = candidate.mean - stable.mean;
  return Math.ceil(((Z_975 + Z_80) ** 2 * (stable.variance + candidate.variance)) / (delta * delta));
}
