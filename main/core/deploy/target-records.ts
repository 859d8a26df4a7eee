import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TokenStorage, type DeployTarget } from '../../../shared/contract/deployments.ts';
import { failure } from '../errors.ts';
import { fsyncDirectory, writeFileAtomic } from '../storage/atomic-file.ts';
import { versionedRecord } from '../storage/versioned-record.ts';

/**
 * Deploy targets are the user's, not a workspace's: one record per target in the state folder,
 * `<stateDir>/deploy-targets/<name>.json`, holding its URL and how its token is kept (the token
 * itself is in the secret store, under a fresh id per token, so replacing a target never leaves
 * its record naming a token half-replaced). One file per target means two processes adding different
 * targets never overwrite each other, and adding one that exists is refused by the file system
 * (O_EXCL), not by a read-then-write race.
 */
const TargetV1 = z.object({ schemaVersion: z.literal(1), name: z.string(), url: z.string(), addedAt: z.string(), tokenStorage: TokenStorage, secretId: z.string().regex(/^[a-z0-9_-]+$/) });

/** A target as kept: its record and the name its token is kept under in the secret store. */
export type StoredTarget = DeployTarget & { secretId: string };
const targetRecord = versionedRecord<z.infer<typeof TargetV1>>({ kind: 'deploy target', versions: [TargetV1], migrations: [] });

export function targetsDir(stateDir: string): string {
  return join(stateDir, 'deploy-targets');
}

export function tokensDir(stateDir: string): string {
  return join(stateDir, 'deploy-tokens');
}

export class TargetRecords {
  readonly dir: string;
  constructor(stateDir: string) {
    this.dir = targetsDir(stateDir);
  }

  #file(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  /** Keep a new target; CONFLICT when one of that name exists, unless `replace`. */
  async add(target: StoredTarget, replace: boolean): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const text = targetRecord.serialize({ schemaVersion: 1, ...target });
    if (replace) return writeFileAtomic(this.#file(target.name), text, { mode: 0o600 });
    let handle;
    try {
      handle = await open(this.#file(target.name), 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = await this.get(target.name);
      throw failure('CONFLICT', `There is already a deploy target named ${target.name}${existing ? ` (${existing.url})` : ''}.`, {
        hint: `Pick another name, or replace it with \`lathe targets add ${target.name} URL --token-file F --replace\`.`,
        location: { field: 'name' },
      });
    }
    try {
      await handle.writeFile(text);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(this.#file(target.name), { force: true });
      throw error;
    }
    await handle.close();
    await fsyncDirectory(this.dir);
  }

  async get(name: string): Promise<StoredTarget | null> {
    const file = this.#file(name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const { schemaVersion: _version, ...target } = targetRecord.parse(text, file);
    return target;
  }

  /** The target named, or NOT_FOUND listing the ones there are. */
  async require(name: string): Promise<StoredTarget> {
    const target = await this.get(name);
    if (target) return target;
    const known = (await this.list()).map((t) => t.name);
    throw failure('NOT_FOUND', `There is no deploy target named ${name}.`, {
      hint: known.length > 0 ? `The targets: ${known.join(', ')}.` : 'Add one with `lathe targets add NAME URL --token-file F` (or in the Deployments area).',
      location: { field: 'target' },
    });
  }

  /** Every target, by name. */
  async list(): Promise<StoredTarget[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const targets: StoredTarget[] = [];
    for (const name of names.filter((entry) => /^[a-z0-9][a-z0-9_-]*\.json$/.test(entry)).sort()) {
      const target = await this.get(name.slice(0, -'.json'.length));
      if (target) targets.push(target);
    }
    return targets;
  }

  async remove(name: string): Promise<boolean> {
    const file = this.#file(name);
    try {
      await rm(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    await fsyncDirectory(this.dir);
    return true;
  }
}
