import { z } from 'zod';
import { withoutUnsafeCharacters } from '../../../shared/contract/text-fields.ts';
import { versionedRecord } from '../storage/versioned-record.ts';

/**
 * `lathe.json` at the root of a workspace: its settings, committed to git. Every version of
 * this record stays readable: add a schema, and a migration from the one before.
 */
export const WORKSPACE_SETTINGS_FILE = 'lathe.json';

const SettingsV1 = z.object({
  schemaVersion: z.literal(1),
  name: z.string().min(1).max(200),
  createdAt: z.string(),
});
export type WorkspaceSettings = z.infer<typeof SettingsV1>;

export const workspaceSettings = versionedRecord<WorkspaceSettings>({ kind: 'workspace settings file', versions: [SettingsV1], migrations: [] });

/** A new workspace is named after its folder, minus what a name cannot hold (control characters). */
export function newWorkspaceSettings(folderName: string, now = new Date()): WorkspaceSettings {
  const name = withoutUnsafeCharacters(folderName, false).trim().slice(0, 200) || 'workspace';
  return { schemaVersion: 1, name, createdAt: now.toISOString() };
}
