import git, { type TreeEntry } from 'isomorphic-git';
import { userInfo } from 'node:os';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { atomicGitFs } from '../storage/atomic-git-fs.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';

const fs = atomicGitFs;

export interface FileChange {
  /** Path inside the repository, with forward slashes. */
  path: string;
  content: string;
}

export interface CommitInfo {
  oid: string;
  message: string;
  /** ISO 8601 */
  date: string;
}

/**
 * The workspace's git repository, read and written with isomorphic-git through an fs whose
 * writes are atomic. Commits are built from HEAD's tree (not from the index), so a crash or a
 * concurrent edit can never sweep an unrelated staged change into a Lathe commit.
 */
export class GitRepo {
  readonly dir: string;
  readonly #cache = {};

  constructor(dir: string) {
    this.dir = dir;
  }

  async init(): Promise<void> {
    await git.init({ fs, dir: this.dir, defaultBranch: 'main' });
  }

  async head(): Promise<string | null> {
    try {
      return await git.resolveRef({ fs, dir: this.dir, ref: 'HEAD' });
    } catch {
      return null;
    }
  }

  /** Commit new contents for some files; the working tree and index follow after the commit. */
  async commit(changes: readonly FileChange[], message: string): Promise<string> {
    const parent = await this.head();
    let tree = parent ? (await git.readCommit({ fs, dir: this.dir, oid: parent, cache: this.#cache })).commit.tree : null;
    for (const change of changes) {
      const blob = await git.writeBlob({ fs, dir: this.dir, blob: new TextEncoder().encode(change.content) });
      tree = await this.#withEntry(tree, change.path.split('/'), blob);
    }
    const author = await this.#author();
    const oid = await git.commit({ fs, dir: this.dir, message, author, tree: tree ?? undefined, parent: parent ? [parent] : [], cache: this.#cache });
    // The ref now points at the new commit: that was the commit point. Bring the working tree
    // and index along; if we crash here, `syncWorkingTree` repairs it on the next open.
    for (const change of changes) await this.#checkoutFile(change.path, change.content);
    return oid;
  }

  async readFile(path: string, commit?: string): Promise<string | null> {
    const oid = commit ?? (await this.head());
    if (!oid) return null;
    try {
      const { blob } = await git.readBlob({ fs, dir: this.dir, oid, filepath: path, cache: this.#cache });
      return new TextDecoder().decode(blob);
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFoundError') return null;
      throw error;
    }
  }

  /** Names of the entries of a folder at HEAD. */
  async list(path: string): Promise<TreeEntry[]> {
    const oid = await this.head();
    if (!oid) return [];
    try {
      const { tree } = await git.readTree({ fs, dir: this.dir, oid, filepath: path, cache: this.#cache });
      return tree;
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFoundError') return [];
      throw error;
    }
  }

  /** Commits that changed a file, newest first (only the newest `limit` of them, if given). */
  async history(path: string, limit?: number): Promise<CommitInfo[]> {
    if (!(await this.head())) return [];
    try {
      const entries = await git.log({ fs, dir: this.dir, filepath: path, cache: this.#cache, ...(limit ? { depth: limit } : {}) });
      return entries.map((entry) => ({
        oid: entry.oid,
        message: entry.commit.message,
        date: new Date(entry.commit.committer.timestamp * 1000).toISOString(),
      }));
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFoundError') return [];
      throw error;
    }
  }

  /** After a crash between commit and checkout: make the working copies of `paths` match HEAD. */
  async syncWorkingTree(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      const committed = await this.readFile(path);
      if (committed === null) continue;
      const onDisk = await atomicGitFs.promises.readFile(join(this.dir, path), 'utf8').catch(() => null);
      if (onDisk !== committed) await this.#checkoutFile(path, committed);
    }
  }

  async #checkoutFile(path: string, content: string): Promise<void> {
    const full = join(this.dir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFileAtomic(full, content);
    await git.add({ fs, dir: this.dir, filepath: path, cache: this.#cache });
  }

  async #withEntry(treeOid: string | null, segments: string[], blobOid: string): Promise<string> {
    const [name, ...rest] = segments;
    if (!name) throw new Error('empty path');
    const entries = treeOid ? (await git.readTree({ fs, dir: this.dir, oid: treeOid, cache: this.#cache })).tree : [];
    const existing = entries.find((entry) => entry.path === name);
    const others = entries.filter((entry) => entry.path !== name);
    const entry: TreeEntry =
      rest.length === 0
        ? { mode: '100644', path: name, oid: blobOid, type: 'blob' }
        : {
            mode: '040000',
            path: name,
            oid: await this.#withEntry(existing?.type === 'tree' ? existing.oid : null, rest, blobOid),
            type: 'tree',
          };
    return git.writeTree({ fs, dir: this.dir, tree: [...others, entry] });
  }

  async #author(): Promise<{ name: string; email: string }> {
    const configured = async (path: string) => {
      const value = (await git.getConfig({ fs, dir: this.dir, path }).catch(() => undefined)) as unknown;
      return typeof value === 'string' && value.trim() ? value.trim() : undefined;
    };
    const user = safeUserName();
    return {
      name: process.env.GIT_AUTHOR_NAME ?? (await configured('user.name')) ?? user,
      email: process.env.GIT_AUTHOR_EMAIL ?? (await configured('user.email')) ?? `${user}@localhost`,
    };
  }
}

function safeUserName(): string {
  try {
    return userInfo().username || 'lathe';
  } catch {
    return 'lathe';
  }
}
