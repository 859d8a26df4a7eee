import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * What only the desktop app remembers between launches, per user: the size of the last window.
 * Kept in `<userData>/desktop-state.json`. (The last workspace opened is the core's to remember,
 * in `state.json` of the same folder, so `lathe serve` and the app agree on it.) A missing,
 * unreadable or corrupt file means "nothing remembered" — it never stops the app from starting.
 */
export const APP_STATE_FILE = 'desktop-state.json';

const WindowSize = z.object({
  width: z.number().int().min(320).max(20_000),
  height: z.number().int().min(240).max(20_000),
});
export type WindowSize = z.infer<typeof WindowSize>;

const AppStateV1 = z.object({
  schemaVersion: z.literal(1),
  windowSize: WindowSize.nullable(),
});
export type AppState = z.infer<typeof AppStateV1>;

export const defaultAppState: AppState = { schemaVersion: 1, windowSize: null };

/** The remembered state, or the defaults when there is none or it cannot be trusted. */
export async function readAppState(stateDir: string): Promise<AppState> {
  let text: string;
  try {
    text = await readFile(path.join(stateDir, APP_STATE_FILE), 'utf8');
  } catch {
    return { ...defaultAppState };
  }
  try {
    const parsed = AppStateV1.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : { ...defaultAppState };
  } catch {
    return { ...defaultAppState };
  }
}

/**
 * Replace the state file atomically: write a temp file beside it, fsync, rename over the old one.
 * A crash leaves the old state or the new one, never half a file.
 */
export async function writeAppState(stateDir: string, state: AppState): Promise<void> {
  const valid = AppStateV1.parse(state);
  await mkdir(stateDir, { recursive: true });
  const target = path.join(stateDir, APP_STATE_FILE);
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const file = await open(temp, 'w', 0o600);
    try {
      await file.writeFile(`${JSON.stringify(valid, null, 2)}\n`, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(stateDir);
}

async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return; // Windows cannot open a folder for fsync.
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Read-modify-write, one at a time: windows closing together must not lose each other's update.
 */
export function createAppStateStore(stateDir: string) {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    read: () => readAppState(stateDir),
    update(change: (state: AppState) => AppState): Promise<AppState> {
      const next = queue.then(async () => {
        const updated = change(await readAppState(stateDir));
        await writeAppState(stateDir, updated);
        return updated;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
export type AppStateStore = ReturnType<typeof createAppStateStore>;
