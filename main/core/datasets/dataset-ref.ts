import { DatasetName, type DatasetRef } from '../../../shared/contract/datasets.ts';
import { failure } from '../errors.ts';

/** `iris` → latest; `iris@3` → version 3. */
export function parseDatasetRef(text: string): DatasetRef {
  const at = text.lastIndexOf('@');
  const name = at === -1 ? text : text.slice(0, at);
  const versionText = at === -1 ? undefined : text.slice(at + 1);
  const parsedName = DatasetName.safeParse(name);
  if (!parsedName.success) {
    throw failure('INVALID_INPUT', `"${name}" is not a dataset name: ${parsedName.error.issues[0]?.message}.`);
  }
  if (versionText === undefined) return { name: parsedName.data };
  if (!/^[1-9]\d{0,8}$/.test(versionText)) {
    throw failure('INVALID_INPUT', `"${text}": the version after @ must be a whole number from 1 (like ${name}@2).`);
  }
  return { name: parsedName.data, version: Number(versionText) };
}
