import { DatasetName } from './datasets.ts';

const MAX_LENGTH = 100;

/**
 * The dataset a dropped file becomes when nobody named one: the file's lowercase stem, with
 * anything a folder name in git should not hold turned into "-". Always a valid DatasetName.
 *   "Palmer Penguins (2020).CSV" → "palmer-penguins-2020"
 */
export function datasetNameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  let name = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // é → e
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/[._-]+$/, '');
  if (name.length > MAX_LENGTH) name = name.slice(0, MAX_LENGTH).replace(/[._-]+$/, '');
  // "aux.csv", "con.tsv": a Windows device name as a stem still makes a usable name.
  // The device name is what comes before the first ".", so the suffix goes there.
  if (name && !DatasetName.safeParse(name).success) name = name.replace(/^[^.]*/, (stem) => `${stem}-data`);
  if (!name || !DatasetName.safeParse(name).success) return 'dataset';
  return name;
}

/** Why a name typed by a person is not a valid dataset name, or null when it is. */
export function datasetNameProblem(name: string): string | null {
  const parsed = DatasetName.safeParse(name);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'not a valid dataset name');
}
