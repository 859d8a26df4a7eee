import { realpath } from 'node:fs/promises';
import { Workspace } from './workspace.ts';

/**
 * The workspaces a core has open, keyed by their real path. Each use checks first that the
 * folder is still the one that was opened: a workspace deleted under a running server is
 * refused (not served from memory), and one replaced by a new folder is opened afresh.
 */
export class OpenWorkspaces {
  readonly #open = new Map<string, Promise<Workspace>>();

  async at(path: string): Promise<Workspace> {
    const key = await realpath(path).catch(() => path);
    const pending = this.#open.get(key);
    if (pending) {
      const workspace = await pending.catch(() => null);
      if (workspace) {
        const state = await workspace.stillHere().catch((error: unknown) => {
          this.#forget(key, workspace);
          throw error;
        });
        if (state === 'same') return workspace;
        this.#forget(key, workspace);
      }
    }
    const opening = Workspace.open(key);
    this.#open.set(key, opening);
    opening.catch(() => {
      if (this.#open.get(key) === opening) this.#open.delete(key);
    });
    return opening;
  }

  /** Keep a workspace just made, so the next call finds it open. */
  adopt(workspace: Workspace): void {
    const previous = this.#open.get(workspace.dir);
    this.#open.set(workspace.dir, Promise.resolve(workspace));
    void previous?.then((old) => (old === workspace ? undefined : old.close())).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.#open.values()];
    this.#open.clear();
    for (const pending of all) await (await pending.catch(() => null))?.close();
  }

  #forget(key: string, workspace: Workspace): void {
    this.#open.delete(key);
    void workspace.close().catch(() => undefined);
  }
}
