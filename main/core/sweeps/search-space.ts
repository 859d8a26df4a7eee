import { gridSize, MAX_SWEEP_TRIALS, type ParamSpace, type SweepParamValue, type SweepSpec } from '../../../shared/contract/sweeps.ts';
import { seededRandom } from './seeded-random.ts';

export type TrialParams = Record<string, SweepParamValue>;

/**
 * The trials a sweep will run, in order: a grid's points (every combination, the last param
 * changing fastest), or random draws from each param's distribution. The spec has been checked
 * (shared/contract/sweeps.ts), so every range here is well formed.
 */
export function plannedTrials(spec: Pick<SweepSpec, 'method' | 'parameters' | 'runCap'>, seed: number): TrialParams[] {
  if (spec.method === 'grid') {
    const points = gridPoints(spec.parameters);
    return spec.runCap === undefined ? points : points.slice(0, spec.runCap);
  }
  const draw = randomDrawer(spec.parameters, seed);
  return Array.from({ length: spec.runCap ?? 0 }, draw);
}

export function gridPoints(parameters: Record<string, ParamSpace>): TrialParams[] {
  const size = gridSize(parameters);
  if (size === null) throw new Error('a grid over a continuous range has no points');
  const axes = Object.entries(parameters).map(([name, space]) => [name, valuesOf(space)] as const);
  const points: TrialParams[] = [];
  const limit = Math.min(size, MAX_SWEEP_TRIALS);
  for (let index = 0; index < limit; index += 1) {
    const point: TrialParams = {};
    let rest = index;
    for (let axis = axes.length - 1; axis >= 0; axis -= 1) {
      const [name, values] = axes[axis]!;
      point[name] = values[rest % values.length]!;
      rest = Math.floor(rest / values.length);
    }
    points.push(Object.fromEntries(axes.map(([name]) => [name, point[name]!])));
  }
  return points;
}

function valuesOf(space: ParamSpace): SweepParamValue[] {
  if ('values' in space) return space.values;
  const values: number[] = [];
  for (let value = Math.ceil(space.min); value <= Math.floor(space.max); value += 1) values.push(value);
  return values;
}

/** One draw of every param per call; params are drawn in the spec's order, so the seed fixes them all. */
export function randomDrawer(parameters: Record<string, ParamSpace>, seed: number): () => TrialParams {
  const random = seededRandom(seed);
  const entries = Object.entries(parameters);
  return () => Object.fromEntries(entries.map(([name, space]) => [name, drawOne(space, random)]));
}

export function drawOne(space: ParamSpace, random: () => number): SweepParamValue {
  if ('values' in space) return space.values[Math.floor(random() * space.values.length)]!;
  const { min, max } = space;
  switch (space.distribution ?? 'uniform') {
    case 'uniform':
      return min + random() * (max - min);
    case 'log_uniform':
      return Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min)));
    case 'int_uniform':
      return Math.ceil(min) + Math.floor(random() * (Math.floor(max) - Math.ceil(min) + 1));
  }
}
