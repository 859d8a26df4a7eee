import { countCategories } from './clean-values.ts';
import { OTHER_CATEGORY, type CategoricalSketch, type CategoricalValues } from './column-sample.ts';
import type { DriftMethod } from './drift-methods.ts';
import { categoryShares } from './evidently-binning.ts';
import { jensenShannon } from './jensen-shannon.ts';
import { scoreChiSquare, type Scored } from './numeric-drift.ts';
import { psi } from './psi.ts';
import { proportionsZTest } from './z-test.ts';

/** A categorical reference as counts per category (a sketch's rest as "(other)"). */
export interface CategoricalReference {
  counts: Map<string, number>;
  count: number;
  missing: number;
  /** Categories the sketch did not keep (0 for raw values). */
  otherCategories: number;
}

export function categoricalReference(sample: CategoricalValues | CategoricalSketch): CategoricalReference {
  if (sample.form === 'values') return { ...countCategories(sample.values), otherCategories: 0 };
  const counts = new Map(sample.categories);
  if (sample.other.count > 0) counts.set(OTHER_CATEGORY, (counts.get(OTHER_CATEGORY) ?? 0) + sample.other.count);
  return { counts, count: sample.count, missing: sample.missing, otherCategories: sample.other.categories };
}

/**
 * The window's counts in the reference's terms: when the reference sketch lumped its rarest
 * categories into "(other)", a window category it did not keep counts there too (it may be one
 * of them, or new; the sketch cannot tell).
 */
export function windowCounts(reference: CategoricalReference, current: Map<string, number>, notes: string[]): Map<string, number> {
  if (reference.otherCategories === 0) return current;
  const folded = new Map<string, number>();
  let unknown = 0;
  for (const [category, n] of current) {
    const key = reference.counts.has(category) ? category : OTHER_CATEGORY;
    if (key === OTHER_CATEGORY && category !== OTHER_CATEGORY) unknown += 1;
    folded.set(key, (folded.get(key) ?? 0) + n);
  }
  if (unknown > 0) notes.push(`the reference sketch kept its ${(reference.counts.size - 1).toLocaleString('en')} most common categories; ${unknown.toLocaleString('en')} window ${unknown === 1 ? 'category outside them counts' : 'categories outside them count'} as "${OTHER_CATEGORY}"`);
  return folded;
}

export function scoreCategorical(method: DriftMethod, reference: CategoricalReference, current: Map<string, number>, currentTotal: number, notes: string[]): Scored {
  switch (method) {
    case 'chisquare': {
      const keys = [...new Set([...reference.counts.keys(), ...current.keys()])];
      return scoreChiSquare(keys, (key) => reference.counts.get(key) ?? 0, reference.count, (key) => current.get(key) ?? 0, currentTotal, notes);
    }
    case 'z':
      return { score: proportionsZTest(reference.counts, current).pValue, notes };
    case 'jensenshannon':
    case 'psi': {
      const shares = categoryShares(reference.counts, reference.count, current, currentTotal);
      return { score: method === 'psi' ? psi(shares.reference, shares.current) : jensenShannon(shares.reference, shares.current), notes };
    }
    case 'ks':
    case 'wasserstein':
      throw new RangeError(`${method} needs numbers`);
  }
}
