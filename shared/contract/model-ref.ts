import { z } from 'zod';

/**
 * How a person, a script or a pipeline names one version of a registered model, everywhere
 * (CLI, gates, bundles, pipelines, the Models page): `churn@3` (version 3), `churn@champion`
 * (whatever version the alias points at now) or `churn@latest` (the newest version).
 *
 * Model names are held to the rules of dataset names, for the same reason: each becomes a folder
 * in git (`models/<name>/`) that must open on Windows and macOS too. Alias names are lowercase
 * words; a number is never an alias (so `churn@3` can only mean version 3), and MLflow's reserved
 * `latest` and `v<digits>` are refused as aliases too, so a user moving from MLflow meets the same
 * rules.
 */

/** Windows refuses these as folder names, with any extension. */
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

export const ModelName = z
  .string()
  .min(1, 'a model name cannot be empty')
  .max(100, 'a model name is at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-", starting with a letter or digit')
  .refine((name) => !name.includes('..'), 'a model name cannot contain ".."')
  .refine((name) => !name.endsWith('.'), 'a model name cannot end with "." (Windows drops it, so the folder would change name)')
  .refine(
    (name) => !WINDOWS_DEVICE_NAMES.test(name.split('.')[0] ?? ''),
    'CON, PRN, AUX, NUL, COM0–9 and LPT0–9 are device names on Windows (with any extension after a "."), so no folder there can have this name',
  );
export type ModelName = z.infer<typeof ModelName>;

export const MAX_ALIAS_LENGTH = 64;

/** Why `alias` cannot be an alias name, or null when it can. */
export function aliasNameProblem(alias: string): string | null {
  if (alias.length === 0) return 'an alias cannot be empty';
  if (alias.length > MAX_ALIAS_LENGTH) return `an alias is at most ${MAX_ALIAS_LENGTH} characters (this one has ${alias.length})`;
  if (/^[0-9]+$/.test(alias)) return `"${alias}" is a number, and a number after @ means a version; an alias starts with a letter, like "champion"`;
  if (!/^[a-z][a-z0-9_-]*$/.test(alias)) return `"${alias}" is not an alias name: use lowercase letters, digits, "_" and "-", starting with a letter (like "champion")`;
  if (alias === 'latest') return '"latest" is reserved: NAME@latest always means the newest version';
  if (/^v[0-9]+$/.test(alias)) return `"${alias}" is reserved (as in MLflow, v<digits> reads like a version number); choose another alias`;
  return null;
}

export const AliasName = z.string().superRefine((alias, context) => {
  const problem = aliasNameProblem(alias);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});
export type AliasName = z.infer<typeof AliasName>;

/** The largest version number a reference may name (keeps `churn@99999999999` a clear refusal). */
export const MAX_MODEL_VERSION = 999_999_999;

export const ModelVersionNumber = z.number().int().positive().max(MAX_MODEL_VERSION);

export type ModelRef =
  | { name: string; kind: 'version'; version: number }
  | { name: string; kind: 'alias'; alias: string }
  | { name: string; kind: 'latest' };

export type ModelRefReading = { ok: true; ref: ModelRef } | { ok: false; problem: string };

/**
 * Read `NAME@3`, `NAME@alias` or `NAME@latest`. The name is everything before the last "@"
 * (a model name holds no "@", so there is only one). A problem says what is wrong in words.
 */
export function readModelRef(text: string): ModelRefReading {
  const at = text.lastIndexOf('@');
  if (at === -1) return { ok: false, problem: `"${text}" names no version: write NAME@3 for version 3, NAME@champion for an alias, or NAME@latest` };
  const name = text.slice(0, at);
  const after = text.slice(at + 1);
  const parsedName = ModelName.safeParse(name);
  if (!parsedName.success) return { ok: false, problem: `"${name}" is not a model name: ${parsedName.error.issues[0]?.message}` };
  if (after === '') return { ok: false, problem: `"${text}": put a version number or an alias after the @ (like ${name}@2 or ${name}@champion)` };
  if (/^[0-9]+$/.test(after)) {
    const version = Number(after);
    if (!/^[1-9][0-9]*$/.test(after) || version > MAX_MODEL_VERSION) {
      return { ok: false, problem: `"${text}": a version number is a whole number from 1 to ${MAX_MODEL_VERSION}, without leading zeros` };
    }
    return { ok: true, ref: { name, kind: 'version', version } };
  }
  if (after === 'latest') return { ok: true, ref: { name, kind: 'latest' } };
  const aliasProblem = aliasNameProblem(after);
  if (aliasProblem) return { ok: false, problem: `"${text}": ${aliasProblem}` };
  return { ok: true, ref: { name, kind: 'alias', alias: after } };
}

/** `churn@3`, `churn@champion`, `churn@latest`. */
export function formatModelRef(ref: ModelRef): string {
  if (ref.kind === 'version') return `${ref.name}@${ref.version}`;
  if (ref.kind === 'alias') return `${ref.name}@${ref.alias}`;
  return `${ref.name}@latest`;
}

/** A model reference as text at a boundary (a call's input, a flag): checked, kept as the text. */
export const ModelRefText = z.string().max(200, 'a model reference is at most 200 characters').superRefine((text, context) => {
  const reading = readModelRef(text);
  if (!reading.ok) context.addIssue({ code: 'custom', message: reading.problem });
});

