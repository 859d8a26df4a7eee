import { z } from 'zod';
import { defineCall } from './define.ts';

/** An absolute folder path on the machine that runs the core. */
export const WorkspacePath = z
  .string()
  .min(1, 'a workspace path cannot be empty')
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'a workspace path must be absolute')
  .refine((p) => !p.includes('\0'), 'a workspace path cannot contain a NUL character');

export const WorkspaceInfo = z.object({
  path: z.string(),
  name: z.string(),
  datasets: z.number().int().nonnegative(),
  createdAt: z.string(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export const workspaceOpen = defineCall(
  'workspace:open',
  'Open an existing Lathe workspace (a folder that is a git repository with lathe.json)',
  z.object({ path: WorkspacePath }),
  WorkspaceInfo,
);

export const workspaceCreate = defineCall(
  'workspace:create',
  'Make a folder into a Lathe workspace (creating it if needed); opening one that already is one is fine',
  z.object({
    path: WorkspacePath,
    /** A folder that is already a git repository with history is refused unless this is true: Lathe would commit to its branch. */
    useExistingGitRepository: z.boolean().optional(),
  }),
  WorkspaceInfo,
);

export const workspaceDefault = defineCall(
  'workspace:default',
  'The workspace to show when none is named: the last one opened, else the default one',
  z.object({}),
  WorkspaceInfo,
);

export const FrontDoor = z.enum(['electron', 'browser', 'cli']);

export const AppInfo = z.object({
  version: z.string(),
  frontDoor: FrontDoor,
  platform: z.string(),
  /** Native folder and file dialogs exist (Electron only). */
  nativeDialogs: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appInfo = defineCall('app:info', 'What Lathe is running as', z.object({}), AppInfo);

/** Electron only: the native folder picker. `null` when the user cancels. */
export const dialogPickFolder = defineCall(
  'dialog:pick-folder',
  'Ask the user for a folder with the native dialog',
  z.object({ title: z.string().max(200).optional() }),
  z.string().nullable(),
);

/** Electron only: open another window on a workspace. The browser opens a tab instead. */
export const windowOpenWorkspace = defineCall(
  'window:open-workspace',
  'Open a workspace in a new window',
  z.object({ path: WorkspacePath }),
  z.null(),
);
