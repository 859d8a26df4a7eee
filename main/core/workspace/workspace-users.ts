import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../storage/blob-store.ts';

/**
 * Which processes have a workspace open: one empty file per open workspace object, named by its
 * process, in `.lathe/users/`, made on open and removed on close. A file whose process is gone
 * means that process ended without closing — killed, perhaps mid-write — and only then does
 * opening the workspace look for what a crash can leave (temp files, a working tree behind its
 * commit). A clean history opens without that sweep, which is most of the cost of a CLI command.
 */
const PID = /^(\d+)-[0-9a-f]+$/;

export class WorkspaceUsers {
  readonly #dir: string;
  #mine: string | null = null;

  constructor(latheDir: string) {
    this.#dir = join(latheDir, 'users');
  }

  /** Say this process uses the workspace. Returns whether some earlier user ended without closing. */
  async arrive(): Promise<boolean> {
    const names = await readdir(this.#dir).catch(() => null);
    if (names === null) await mkdir(this.#dir);
    const name = `${process.pid}-${randomBytes(4).toString('hex')}`;
    await writeFile(join(this.#dir, name), '');
    this.#mine = name;
    // No folder at all: a workspace made before users were recorded, or its .lathe was cleared.
    return names === null || names.some((other) => !isAlive(other));
  }

  /** After recovery: forget the users that ended without closing. */
  async forgetTheDead(): Promise<void> {
    for (const name of await readdir(this.#dir).catch(() => [] as string[])) {
      if (!isAlive(name)) await rm(join(this.#dir, name), { force: true });
    }
  }

  async leave(): Promise<void> {
    if (this.#mine === null) return;
    await rm(join(this.#dir, this.#mine), { force: true }).catch(() => undefined);
    this.#mine = null;
  }
}

function isAlive(name: string): boolean {
  const pid = Number(PID.exec(name)?.[1]);
  return Number.isInteger(pid) && (pid === process.pid || isProcessAlive(pid));
}
