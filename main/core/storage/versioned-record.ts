import type { z } from 'zod';
import { failure } from '../errors.ts';

/**
 * A JSON record Lathe persists (a dataset manifest, workspace settings, later runs, model
 * versions, deployments), as tldraw keeps its records: one schema per version, numbered
 * migrations between them, every version ever written readable, a newer version than this
 * Lathe knows refused clearly, and errors that name the file and the field.
 *
 *   const manifest = versionedRecord({ kind: 'dataset manifest', versions: [V1, V2], migrations: [v1ToV2] });
 *   manifest.parse(text, 'datasets/iris/dataset.json')  // → the V2 shape, whatever was on disk
 */
export interface VersionedRecordSpec {
  /** What the record is, in words: "dataset manifest". */
  kind: string;
  /** The schema of version 1, 2, …; each accepts only its own `schemaVersion`. */
  versions: readonly z.ZodType[];
  /** migrations[i] turns a valid version i+1 into version i+2. */
  migrations: readonly ((previous: never) => unknown)[];
}

export interface VersionedRecord<Latest> {
  readonly kind: string;
  readonly currentVersion: number;
  /** Parse any version and bring it up to the latest. */
  parse(text: string, where: string): Latest;
  /** The same, keeping the version that was on disk and its value as it was. */
  parseWithOriginal(text: string, where: string): { value: Latest; version: number; original: unknown };
  /** Check against the latest schema, then write as pretty JSON with a final newline. */
  serialize(value: Latest): string;
}

/** `Latest` is the output type of the last schema in `versions`. */
export function versionedRecord<Latest>(spec: VersionedRecordSpec): VersionedRecord<Latest> {
  const current = spec.versions.length;
  if (spec.migrations.length !== current - 1) throw new Error(`${spec.kind}: ${current} versions need ${current - 1} migrations`);

  function parseWithOriginal(text: string, where: string) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw failure('PARSE_ERROR', `${where} is not valid JSON: ${(error as Error).message}`, { location: { file: where } });
    }
    const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (typeof version === 'number' && Number.isInteger(version) && version > current) {
      throw failure('UNAVAILABLE', `${where} was written by a newer Lathe (${spec.kind} version ${version}; this Lathe reads up to ${current}).`, {
        hint: 'Update Lathe to read it.',
        location: { file: where, field: 'schemaVersion' },
      });
    }
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      throw failure('PARSE_ERROR', `${where} is not a valid ${spec.kind}: schemaVersion: expected a whole number from 1 to ${current}.`, {
        location: { file: where, field: 'schemaVersion' },
      });
    }
    const parsed = spec.versions[version - 1]!.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      throw failure('PARSE_ERROR', `${where} is not a valid ${spec.kind}: ${field || 'root'}: ${issue?.message}`, { location: { file: where, field } });
    }
    let value: unknown = parsed.data;
    for (let from = version; from < current; from += 1) value = spec.migrations[from - 1]!(value as never);
    return { value: value as Latest, version, original: parsed.data };
  }

  const latest = spec.versions[current - 1] as z.ZodType<Latest>;
  return {
    kind: spec.kind,
    currentVersion: current,
    parse: (text, where) => parseWithOriginal(text, where).value,
    parseWithOriginal,
    serialize: (value) => `${JSON.stringify(latest.parse(value), null, 2)}\n`,
  };
}
