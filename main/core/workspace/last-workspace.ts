import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import { versionedRecord } from '../storage/versioned-record.ts';

const StateFileV1 = z.object({ schemaVersion: z.literal(1), lastWorkspace: z.string().optional() });
const stateFile = versionedRecord<z.infer<typeof StateFileV1>>({ kind: 'state file', versions: [StateFileV1], migrations: [] });

/** Remembers the last workspace opened, per user, so the next start opens it again. */
export class LastWorkspace {
  readonly #file: string;

  constructor(stateDir: string) {
    this.#file = join(stateDir, 'state.json');
  }

  async get(): Promise<string | undefined> {
    try {
      return stateFile.parse(await readFile(this.#file, 'utf8'), this.#file).lastWorkspace;
    } catch {
      return undefined; // missing or corrupt: start from the default workspace
    }
  }

  async set(path: string): Promise<void> {
    await mkdir(join(this.#file, '..'), { recursive: true });
    await writeFileAtomic(this.#file, stateFile.serialize({ schemaVersion: 1, lastWorkspace: path }));
  }
}
