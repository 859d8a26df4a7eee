import type { ModelVersion } from '../../../shared/contract/registry.ts';
import { failure } from '../errors.ts';
import type { GitRepo } from '../workspace/git-repo.ts';
import { aliasesPath, aliasesRecord, MODELS_DIR, modelPath, modelRecord, versionPath, versionRecord, versionsDir, type ModelRecord, type VersionRecord } from './model-records.ts';

/**
 * Reading the registry from git, at HEAD or at any commit. Each read parses a versioned record,
 * so a hand-edited file that no longer fits says which file and which field.
 */
export interface RegistryReader {
  readonly git: GitRepo;
}

/** Every registered model's name, in name order. */
export async function modelNames(workspace: RegistryReader, commit?: string): Promise<string[]> {
  const entries = await workspace.git.list(MODELS_DIR, commit);
  return entries.filter((entry) => entry.type === 'tree').map((entry) => entry.path).sort();
}

export async function readModel(workspace: RegistryReader, name: string, commit?: string): Promise<ModelRecord | null> {
  const text = await workspace.git.readFile(modelPath(name), commit);
  return text === null ? null : modelRecord.parse(text, modelPath(name));
}

/** The model, or NOT_FOUND naming the models there are. */
export async function requireModel(workspace: RegistryReader, name: string, commit?: string): Promise<ModelRecord> {
  const model = await readModel(workspace, name, commit);
  if (model) return model;
  const names = await modelNames(workspace, commit);
  const twin = names.find((other) => other.toLowerCase() === name.toLowerCase());
  throw failure('NOT_FOUND', `There is no registered model named "${name}" in this workspace.`, {
    hint: twin
      ? `Model names are case-sensitive: did you mean "${twin}"?`
      : names.length > 0
        ? `Registered models: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}.`
        : 'Register a run\'s model first: Register model… on its page in Experiments, or `lathe models register RUN_ID --name NAME`.',
    location: { field: 'name' },
  });
}

/** alias → version; empty when the model has none. */
export async function readAliases(workspace: RegistryReader, name: string, commit?: string): Promise<Record<string, number>> {
  const text = await workspace.git.readFile(aliasesPath(name), commit);
  return text === null ? {} : aliasesRecord.parse(text, aliasesPath(name)).aliases;
}

/** The model's version numbers, ascending. */
export async function versionNumbers(workspace: RegistryReader, name: string, commit?: string): Promise<number[]> {
  const entries = await workspace.git.list(versionsDir(name), commit);
  return entries
    .map((entry) => /^([1-9][0-9]*)\.json$/.exec(entry.path)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export async function readVersion(workspace: RegistryReader, name: string, version: number, commit?: string): Promise<VersionRecord | null> {
  const path = versionPath(name, version);
  const text = await workspace.git.readFile(path, commit);
  if (text === null) return null;
  const record = versionRecord.parse(text, path);
  if (record.name !== name || record.version !== version) {
    throw failure('PARSE_ERROR', `${path} says it is ${record.name}@${record.version}, not ${name}@${version}; the file was moved or edited by hand.`, {
      hint: `Put it back where it was (git log -- ${path}).`,
      location: { file: path, field: record.name !== name ? 'name' : 'version' },
    });
  }
  return record;
}

/** The aliases that point at `version`, in name order. */
export function aliasesOf(aliases: Record<string, number>, version: number): string[] {
  return Object.entries(aliases)
    .filter(([, pointsAt]) => pointsAt === version)
    .map(([alias]) => alias)
    .sort();
}

/** The stored record as the contract shows it: without its schema version, with its aliases. */
export function versionView(record: VersionRecord, aliases: Record<string, number>): ModelVersion {
  const { schemaVersion: _schemaVersion, ...rest } = record;
  return { ...rest, aliases: aliasesOf(aliases, record.version) };
}
