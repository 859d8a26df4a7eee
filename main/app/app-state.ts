import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/storage/atomic-file.ts';
import { versionedRecord } from '../core/storage/versioned-record.ts';

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

const appState = versionedRecord<AppState>({ kind: 'desktop state file', versions: [AppStateV1], migrations: [] });

/** The remembered state, or the defaults when there is none or it cannot be trusted. */
export async function readAppState(stateDir: string): Promise<AppState> {
  try {
    return appState.parse(await readFile(path.join(stateDir, APP_STATE_FILE), 'utf8'), APP_STATE_FILE);
  } catch {
    return { ...defaultAppState };
  }
}

/** Replace the state file with core's atomic writer: a crash leaves the old state or the new one. */
export async function writeAppState(stateDir: string, state: AppState): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFileAtomic(path.join(stateDir, APP_STATE_FILE), appState.serialize(state), { mode: 0o600 });
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
