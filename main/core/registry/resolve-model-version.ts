import { formatModelRef, readModelRef, type ModelRef } from '../../../shared/contract/model-ref.ts';
import type { ModelVersion } from '../../../shared/contract/registry.ts';
import { failure } from '../errors.ts';
import { aliasesPath } from './model-records.ts';
import { readAliases, readVersion, requireModel, versionNumbers, versionView, type RegistryReader } from './model-reads.ts';

/** Read `NAME@3` / `NAME@alias` / `NAME@latest`, or INVALID_INPUT saying what is wrong with it. */
export function parseModelRef(text: string, field = 'ref'): ModelRef {
  const reading = readModelRef(text);
  if (!reading.ok) throw failure('INVALID_INPUT', `${reading.problem}.`, { location: { field } });
  return reading.ref;
}

/**
 * The version a reference names, as it is at HEAD (or at `commit`): lineage (run, dataset name,
 * version and content hash, workspace commit, environment), metrics, signature, the artifacts by
 * content hash, card fields and the aliases on it. This is what gates, bundles, pipelines and the
 * Models page all start from.
 *
 * Refusals name what is missing: an unknown model (with the models there are), a version that
 * does not exist (with the versions there are), an alias nobody set (with the aliases there are).
 */
export async function resolveModelVersion(workspace: RegistryReader, ref: ModelRef | string, commit?: string): Promise<ModelVersion> {
  const parsed = typeof ref === 'string' ? parseModelRef(ref) : ref;
  await requireModel(workspace, parsed.name, commit);
  const aliases = await readAliases(workspace, parsed.name, commit);
  const number = await versionNumberOf(workspace, parsed, aliases, commit);
  const record = await readVersion(workspace, parsed.name, number, commit);
  if (!record) {
    const numbers = await versionNumbers(workspace, parsed.name, commit);
    throw parsed.kind === 'alias' ? aliasPointsNowhere(parsed.name, parsed.alias, number, numbers) : noSuchVersion(parsed.name, number, numbers);
  }
  return versionView(record, aliases);
}

async function versionNumberOf(workspace: RegistryReader, ref: ModelRef, aliases: Record<string, number>, commit: string | undefined): Promise<number> {
  if (ref.kind === 'version') return ref.version;
  if (ref.kind === 'alias') {
    const version = aliases[ref.alias];
    if (version !== undefined) return version;
    const known = Object.keys(aliases).sort();
    throw failure('NOT_FOUND', `${ref.name} has no alias "${ref.alias}", so ${formatModelRef(ref)} names no version.`, {
      hint: known.length > 0
        ? `Its aliases: ${known.map((alias) => `${alias} → ${aliases[alias]}`).join(', ')}. Set one on a version's page in Models, or with \`lathe models alias ${ref.name}@N ${ref.alias}\`.`
        : `It has no aliases yet. Set one on a version's page in Models, or with \`lathe models alias ${ref.name}@N ${ref.alias}\`.`,
      location: { field: 'ref' },
    });
  }
  const numbers = await versionNumbers(workspace, ref.name, commit);
  const newest = numbers.at(-1);
  if (newest === undefined) throw noSuchVersion(ref.name, null, numbers);
  return newest;
}

export function noSuchVersion(name: string, version: number | null, numbers: readonly number[]) {
  const what = version === null ? `${name} has no versions yet.` : `${name} has no version ${version}.`;
  return failure('NOT_FOUND', what, {
    hint: numbers.length > 0 ? `Its versions: ${describeNumbers(numbers)}.` : `Register one from a run's page in Experiments, or with \`lathe models register RUN_ID --name ${name}\`.`,
    location: { field: 'ref' },
  });
}

/** An alias whose version is not there (aliases.json edited by hand): the alias is what to fix. */
export function aliasPointsNowhere(name: string, alias: string, version: number, numbers: readonly number[]) {
  const file = aliasesPath(name);
  return failure('NOT_FOUND', `${name}@${alias} points at version ${version}, and ${name} has no version ${version} (${file}).`, {
    hint: `${numbers.length > 0 ? `Its versions: ${describeNumbers(numbers)}. ` : ''}Point the alias at one on a version's page in Models, or with \`lathe models alias ${name}@N ${alias}\`.`,
    location: { file, field: `aliases.${alias}` },
  });
}

/** 1–12, or 1, 3, 7: short either way. */
function describeNumbers(numbers: readonly number[]): string {
  const contiguous = numbers.every((number, index) => number === numbers[0]! + index);
  if (contiguous && numbers.length > 2) return `${numbers[0]}–${numbers.at(-1)}`;
  return numbers.length > 12 ? `${numbers.slice(0, 12).join(', ')}, …` : numbers.join(', ');
}
