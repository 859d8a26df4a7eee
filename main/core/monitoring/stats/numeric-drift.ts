import { chiSquare } from './chi-square.ts';
import type { DriftMethod } from './drift-methods.ts';
import { numericShares, VALUE_BINS_LIMIT } from './evidently-binning.ts';
import { jensenShannon } from './jensen-shannon.ts';
import { ksFromStatistic } from './ks-test.ts';
import { ksAgainst, wassersteinAgainst, type NumericReference } from './numeric-reference.ts';
import { psi } from './psi.ts';
import { proportionsZTest } from './z-test.ts';

/** Evidently's floor for the reference's standard deviation in the normed Wasserstein distance. */
export const STD_FLOOR = 0.001;

export interface Scored {
  score: number;
  notes: string[];
}

/** A numeric column's score by one method, the window sorted and free of missing values. */
export function scoreNumeric(method: DriftMethod, reference: NumericReference, current: Float64Array): Scored {
  const notes: string[] = [];
  if (reference.quantiles && method !== 'chisquare' && method !== 'z') {
    notes.push(`the reference is a sketch of ${reference.count.toLocaleString('en')} values (${reference.quantiles.values.length.toLocaleString('en')} quantiles), so the score is approximate`);
  }
  switch (method) {
    case 'ks':
      return { score: ksFromStatistic(ksAgainst(reference, current), reference.count, current.length).pValue, notes };
    case 'wasserstein': {
      if (reference.std < STD_FLOOR) notes.push(`the reference's standard deviation is ${reference.std}, so the distance is divided by Evidently's floor ${STD_FLOOR} instead`);
      return { score: wassersteinAgainst(reference, current) / Math.max(reference.std, STD_FLOOR), notes };
    }
    case 'jensenshannon':
    case 'psi': {
      const shares = numericShares(reference, current);
      if (!reference.exact && reference.distinct <= VALUE_BINS_LIMIT) notes.push(`the reference sketch keeps quantiles, not a count per value, so its ${reference.distinct} values go into Sturges bins rather than one bin each`);
      return { score: method === 'psi' ? psi(shares.reference, shares.current) : jensenShannon(shares.reference, shares.current), notes };
    }
    case 'chisquare':
    case 'z':
      return scoreByValue(method, reference, current, notes);
  }
}

/** Chi-square or Z on a numeric column's values as categories: it needs the reference's exact counts. */
function scoreByValue(method: 'chisquare' | 'z', reference: NumericReference, current: Float64Array, notes: string[]): Scored {
  const exact = reference.exact;
  if (!exact) throw new RangeError(`${method} compares counts per value, and this reference has ${reference.distinct.toLocaleString('en')} distinct values (only quantiles kept)`);
  const referenceCounts = new Map<number, number>();
  exact.values.forEach((value, i) => referenceCounts.set(value, exact.counts[i]!));
  const currentCounts = new Map<number, number>();
  for (const value of current) currentCounts.set(value, (currentCounts.get(value) ?? 0) + 1);
  const keys = [...new Set([...referenceCounts.keys(), ...currentCounts.keys()])];
  if (method === 'z') {
    const asText = (counts: Map<number, number>) => new Map([...counts].map(([value, n]) => [String(value), n]));
    return { score: proportionsZTest(asText(referenceCounts), asText(currentCounts)).pValue, notes };
  }
  return scoreChiSquare(keys, (key) => referenceCounts.get(key) ?? 0, reference.count, (key) => currentCounts.get(key) ?? 0, current.length, notes);
}

/**
 * Evidently's chi-square: the window's counts against the reference's scaled to the window's
 * size. One value or category in all gives nothing to compare: p = 1, said in a note.
 */
export function scoreChiSquare<K>(keys: K[], referenceCount: (key: K) => number, referenceTotal: number, currentCount: (key: K) => number, currentTotal: number, notes: string[]): Scored {
  if (keys.length < 2) {
    notes.push(`reference and window hold one and the same value (${String(keys[0])}), so chi-square has nothing to compare`);
    return { score: 1, notes };
  }
  const scale = currentTotal / referenceTotal;
  const unseen = keys.filter((key) => referenceCount(key) === 0 && currentCount(key) > 0);
  if (unseen.length > 0) notes.push(`the window has ${unseen.length === 1 ? 'a value' : `${unseen.length} values`} the reference never had (${unseen.slice(0, 3).map((key) => JSON.stringify(key)).join(', ')}${unseen.length > 3 ? ', …' : ''}), which alone makes chi-square's p-value 0`);
  const result = chiSquare(keys.map(currentCount), keys.map((key) => referenceCount(key) * scale));
  return { score: result.pValue, notes };
}
