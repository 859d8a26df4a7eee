import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../storage/atomic-file.ts';

const StateFile = z.object({ schemaVersion: z.literal(1), lastWorkspace: z.string().optional() });

/** Remembers the last workspace opened, per user, so the next start opens it again. */
export class LastWorkspace {
  readonly #file: string;

  constructor(stateDir: string) {
    this.#file = join(stateDir, 'state.json');
  }

  async get(): Promise<string | undefined> {
    try {
      const parsed = StateFile.safeParse(JSON.parse(await readFile(this.#file, 'utf8')));
      return parsed.success ? parsed.data.lastWorkspace : undefined;
    } catch {
      return undefined; // missing or corrupt: start from the default workspace
    }
  }

  async set(path: string): Promise<void> {
    await mkdir(join(this.#file, '..'), { recursive: true });
    await writeFileAtomic(this.#file, `${JSON.stringify({ schemaVersion: 1, lastWorkspace: path }, null, 2)}\n`);
  }
}
