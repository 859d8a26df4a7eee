/**
 * The first Wasserstein (earth mover's) distance between two empirical distributions, scipy's
 * `wasserstein_distance(u, v, u_weights, v_weights)`: ∫ |U(x) − V(x)| dx over the two CDFs.
 * Values must be finite (scipy would answer NaN); weights ≥ 0 with a positive finite total.
 */
export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>, uWeights?: ArrayLike<number>, vWeights?: ArrayLike<number>): number {
  const first = weightedSorted(u, uWeights, 'u');
  const second = weightedSorted(v, vWeights, 'v');
  return wassersteinSorted(first.values, first.weights, second.values, second.weights);
}

/**
 * The same on sorted values, each with a weight (null: weight 1 each): the column drift code
 * passes a reference as its distinct values and their counts.
 */
export function wassersteinSorted(u: Float64Array, uWeights: Float64Array | null, v: Float64Array, vWeights: Float64Array | null): number {
  const uTotal = uWeights ? total(uWeights) : u.length;
  const vTotal = vWeights ? total(vWeights) : v.length;
  let i = 0;
  let j = 0;
  let uBelow = 0;
  let vBelow = 0;
  let area = 0;
  let carry = 0;
  let x = Math.min(u[0]!, v[0]!);
  while (i < u.length || j < v.length) {
    while (i < u.length && u[i]! <= x) uBelow += uWeights ? uWeights[i++]! : (i++, 1);
    while (j < v.length && v[j]! <= x) vBelow += vWeights ? vWeights[j++]! : (j++, 1);
    if (i >= u.length && j >= v.length) break;
    const next = i >= u.length ? v[j]! : j >= v.length ? u[i]! : Math.min(u[i]!, v[j]!);
    const term = Math.abs(uBelow / uTotal - vBelow / vTotal) * (next - x);
    // Neumaier's compensated sum: a million small slices.
    const sum = area + term;
    if (Number.isFinite(sum)) carry += Math.abs(area) >= Math.abs(term) ? area - sum + term : term - sum + area;
    area = sum;
    x = next;
  }
  return area + carry;
}

function weightedSorted(values: ArrayLike<number>, weights: ArrayLike<number> | undefined, name: string): { values: Float64Array; weights: Float64Array | null } {
  if (values.length === 0) throw new RangeError(`wassersteinDistance: distribution ${name} is empty`);
  for (let i = 0; i < values.length; i += 1) {
    if (!Number.isFinite(values[i])) throw new RangeError(`wassersteinDistance: ${name}[${i}] is ${values[i]}; values must be finite numbers`);
  }
  if (!weights) return { values: Float64Array.from(values).sort(), weights: null };
  if (weights.length !== values.length) throw new RangeError(`wassersteinDistance: ${values.length} values in ${name} but ${weights.length} weights`);
  let sum = 0;
  for (let i = 0; i < weights.length; i += 1) {
    const weight = weights[i]!;
    if (!(weight >= 0)) throw new RangeError(`wassersteinDistance: ${name}'s weight ${i} is ${weight}; weights must be ≥ 0`);
    sum += weight;
  }
  if (!(sum > 0 && sum < Infinity)) throw new RangeError(`wassersteinDistance: ${name}'s weights total ${sum}; the total must be positive and finite`);
  const order = Uint32Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  return { values: Float64Array.from(order, (i) => values[i]!), weights: Float64Array.from(order, (i) => weights[i]!) };
}

function total(weights: Float64Array): number {
  let sum = 0;
  for (const weight of weights) sum += weight;
  return sum;
}
