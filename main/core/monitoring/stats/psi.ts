/**
 * The population stability index, Evidently's `psi`: Σ (r − c) · ln(r / c) over bins, each side
 * given as the share of its rows per bin. An empty bin would make it infinite, so, as Evidently's
 * `get_binned_data` does, each side's empty bins get a floor: 0.0001, or a millionth of that
 * side's smallest non-empty share when that share is itself at most 0.0001.
 */
export function psi(referencePercents: readonly number[], currentPercents: readonly number[]): number {
  if (referencePercents.length !== currentPercents.length) throw new RangeError(`psi: ${referencePercents.length} reference bins but ${currentPercents.length} current bins`);
  if (referencePercents.length === 0) throw new RangeError('psi: no bins');
  const reference = floorEmptyBins(referencePercents, 'reference');
  const current = floorEmptyBins(currentPercents, 'current');
  let sum = 0;
  for (let i = 0; i < reference.length; i += 1) sum += (reference[i]! - current[i]!) * Math.log(reference[i]! / current[i]!);
  return sum;
}

/** Evidently's floor for empty bins (`feel_zeroes`), which PSI needs and Jensen–Shannon does not. */
export function floorEmptyBins(percents: readonly number[], name: string): number[] {
  let smallest = Infinity;
  for (let i = 0; i < percents.length; i += 1) {
    const share = percents[i]!;
    if (!(share >= 0 && Number.isFinite(share))) throw new RangeError(`psi: ${name} bin ${i} is ${share}; shares must be finite and ≥ 0`);
    if (share > 0) smallest = Math.min(smallest, share);
  }
  if (smallest === Infinity) throw new RangeError(`psi: every ${name} bin is empty`);
  // Never below the smallest double, where a subnormal share would make the floor 0 and PSI NaN.
  const floor = smallest <= 0.0001 ? Math.max(smallest / 10 ** 6, Number.MIN_VALUE) : 0.0001;
  return percents.map((share) => (share === 0 ? floor : share));
}
