/**
 * A generated five-column table for drift tests — two continuous numbers, a whole number with
 * many values, a five-way category and a yes/no flag, about 2% missing in each — and drift
 * injected into one column of some of its rows. Deterministic for a seed.
 */
export type DriftColumn = 'bill' | 'mass' | 'age' | 'species' | 'tagged';
export const DRIFT_COLUMNS: readonly DriftColumn[] = ['bill', 'mass', 'age', 'species', 'tagged'];

export interface DriftTable {
  bill: (number | null)[];
  mass: (number | null)[];
  age: (number | null)[];
  species: (string | null)[];
  tagged: (string | null)[];
}

const SPECIES = ['Adelie', 'Gentoo', 'Chinstrap', 'Emperor', 'King'];

export function driftTable(rows: number, seed: number): DriftTable {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const missing = () => random() < 0.02;
  const table: DriftTable = { bill: [], mass: [], age: [], species: [], tagged: [] };
  for (let i = 0; i < rows; i += 1) {
    table.bill.push(missing() ? null : 44 + 5 * normal());
    table.mass.push(missing() ? null : 4200 * Math.exp(0.2 * normal()));
    table.age.push(missing() ? null : Math.floor(random() * 40));
    table.species.push(missing() ? null : SPECIES[Math.floor(random() * SPECIES.length)]!);
    table.tagged.push(missing() ? null : random() < 0.5 ? 'yes' : 'no');
  }
  return table;
}

/** Rows [start, start + count) of a table. */
export function rowsOf(table: DriftTable, start: number, count: number): DriftTable {
  const slice = <T>(values: T[]) => values.slice(start, start + count);
  return { bill: slice(table.bill), mass: slice(table.mass), age: slice(table.age), species: slice(table.species), tagged: slice(table.tagged) };
}

/**
 * The table with one column drifted, as `lathe simulate traffic --drift` does to a dataset's rows:
 * bill shifted by half a standard deviation (+2.5), mass 15% heavier, age 5 years older, 60% of
 * the Adelie turned King, 40% of the "no" turned "yes" (a 50% share becomes 70%).
 */
export function withDrift(table: DriftTable, column: DriftColumn, seed: number): DriftTable {
  const random = mulberry32(seed);
  const drifted = { ...table };
  if (column === 'bill') drifted.bill = table.bill.map((value) => (value === null ? null : value + 2.5));
  if (column === 'mass') drifted.mass = table.mass.map((value) => (value === null ? null : value * 1.15));
  if (column === 'age') drifted.age = table.age.map((value) => (value === null ? null : value + 5));
  if (column === 'species') drifted.species = table.species.map((value) => (value === 'Adelie' && random() < 0.6 ? 'King' : value));
  if (column === 'tagged') drifted.tagged = table.tagged.map((value) => (value === 'no' && random() < 0.4 ? 'yes' : value));
  return drifted;
}

export function kindOf(column: DriftColumn): 'numeric' | 'categorical' {
  return column === 'species' || column === 'tagged' ? 'categorical' : 'numeric';
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
