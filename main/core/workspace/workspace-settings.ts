import { z } from 'zod';
import { failure } from '../errors.ts';

/**
 * `lathe.json` at the root of a workspace: its settings, committed to git. Every version of
 * this record stays readable: add a schema, bump CURRENT, and migrate from the one before.
 */
export const WORKSPACE_SETTINGS_FILE = 'lathe.json';
const CURRENT = 1;

const SettingsV1 = z.object({
  schemaVersion: z.literal(1),
  name: z.string().min(1).max(200),
  createdAt: z.string(),
});
export type WorkspaceSettings = z.infer<typeof SettingsV1>;

export function newWorkspaceSettings(name: string, now = new Date()): WorkspaceSettings {
  return { schemaVersion: CURRENT, name, createdAt: now.toISOString() };
}

export function parseWorkspaceSettings(text: string, file: string): WorkspaceSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw failure('PARSE_ERROR', `${file} is not valid JSON: ${(error as Error).message}`, { location: { file } });
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > CURRENT) {
    throw failure('UNAVAILABLE', `${file} was written by a newer Lathe (settings version ${version}; this Lathe reads up to ${CURRENT}).`, {
      hint: 'Update Lathe to open this workspace.',
    });
  }
  const parsed = SettingsV1.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw failure('PARSE_ERROR', `${file} is not valid workspace settings: ${issue?.path.join('.') || 'root'}: ${issue?.message}`, {
      location: { file, field: issue?.path.join('.') },
    });
  }
  return parsed.data;
}

export function serializeWorkspaceSettings(settings: WorkspaceSettings): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}
