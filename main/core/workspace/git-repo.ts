import git, { type TreeEntry } from 'isomorphic-git';
import { userInfo } from 'node:os';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withoutUnsafeCharacters } from '../../../shared/contract/text-fields.ts';
import { reachPhase } from '../base/phases.ts';
import { failure } from '../errors.ts';
import { atomicGitFs } from '../storage/atomic-git-fs.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import { mkdirInside } from '../storage/folders.ts';

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
  readonly #fs: ReturnType<typeof atomicGitFs>;
  readonly #cache = {};
  /** Working copies that lag behind HEAD because writing them failed after a commit. */
  readonly #behind = new Set<string>();

  constructor(dir: string) {
    this.dir = dir;
    this.#fs = atomicGitFs(dir);
  }

  async init(): Promise<void> {
    await git.init({ fs: this.#fs, dir: this.dir, defaultBranch: 'main' });
  }

  async head(): Promise<string | null> {
    try {
      return await git.resolveRef({ fs: this.#fs, dir: this.dir, ref: 'HEAD' });
    } catch {
      return null;
    }
  }

  /**
   * Commit new contents for some files on top of HEAD's branch. The branch moves only if it
   * still points where it did when the commit was built (a compare-and-swap), so a commit is
   * never written over one that another writer made meanwhile; the caller holds the workspace
   * lock, which keeps other Lathe processes out, and this catches anything else (a git client).
   * The working tree and index follow after the commit point.
   */
  async commit(changes: readonly FileChange[], message: string): Promise<string> {
    await this.#catchUpWorkingTree();
    const branch = await this.#branch();
    const parent = await this.head();
    let tree = parent ? (await git.readCommit({ fs: this.#fs, dir: this.dir, oid: parent, cache: this.#cache })).commit.tree : null;
    for (const change of changes) {
      const blob = await git.writeBlob({ fs: this.#fs, dir: this.dir, blob: new TextEncoder().encode(change.content) });
      tree = await this.#withEntry(tree, change.path.split('/'), blob);
    }
    const author = await this.#author();
    const oid = await git.commit({
      fs: this.#fs,
      dir: this.dir,
      message: commitMessage(message),
      author,
      tree: tree ?? undefined,
      parent: parent ? [parent] : [],
      noUpdateBranch: true,
      cache: this.#cache,
    });
    await reachPhase('git:commit-written');
    if ((await this.head()) !== parent) {
      throw failure('CONFLICT', `The workspace's branch ${branch.replace('refs/heads/', '')} moved while Lathe was committing to it; nothing was committed.`, {
        hint: 'Another program (a git client?) committed at the same moment. Try again.',
      });
    }
    await git.writeRef({ fs: this.#fs, dir: this.dir, ref: branch, value: oid, force: true });
    await reachPhase('git:branch-moved');
    // The branch now points at the new commit: that was the commit point. Bring the working
    // tree and index along. If that fails (a full disk), the commit still stands: the files are
    // brought up to date before the next commit and when the workspace is next opened.
    try {
      for (const change of changes) await this.#checkoutFile(change.path, change.content);
    } catch {
      for (const change of changes) this.#behind.add(change.path);
    }
    return oid;
  }

  async readFile(path: string, commit?: string): Promise<string | null> {
    const oid = commit ?? (await this.head());
    if (!oid) return null;
    try {
      const { blob } = await git.readBlob({ fs: this.#fs, dir: this.dir, oid, filepath: path, cache: this.#cache });
      return new TextDecoder().decode(blob);
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFoundError') return null;
      throw error;
    }
  }

  /** The entries of a folder at HEAD (or at `commit`). */
  async list(path: string, commit?: string): Promise<TreeEntry[]> {
    const oid = commit ?? (await this.head());
    if (!oid) return [];
    try {
      const { tree } = await git.readTree({ fs: this.#fs, dir: this.dir, oid, filepath: path, cache: this.#cache });
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
      const entries = await git.log({ fs: this.#fs, dir: this.dir, filepath: path, cache: this.#cache, ...(limit ? { depth: limit } : {}) });
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

  /** The entries of a tree, by its id. */
  async entries(treeOid: string): Promise<TreeEntry[]> {
    return (await git.readTree({ fs: this.#fs, dir: this.dir, oid: treeOid, cache: this.#cache })).tree;
  }

  /** A blob's text, by its id. */
  async readBlobText(oid: string): Promise<string> {
    return new TextDecoder().decode((await git.readBlob({ fs: this.#fs, dir: this.dir, oid, cache: this.#cache })).blob);
  }

  /** A commit's parents. */
  async parents(oid: string): Promise<string[]> {
    return (await git.readCommit({ fs: this.#fs, dir: this.dir, oid, cache: this.#cache })).commit.parent;
  }

  /**
   * Every commit a person could still get back to: what HEAD, each branch and each tag point
   * at, and every commit named in git's reflogs (real git keeps them for `git reflog`), so a
   * version dropped by a reset is not treated as unreferenced while git can still restore it.
   */
  async tips(): Promise<string[]> {
    const refs = ['HEAD', ...(await git.listBranches({ fs: this.#fs, dir: this.dir })).map((b) => `refs/heads/${b}`), ...(await git.listTags({ fs: this.#fs, dir: this.dir })).map((t) => `refs/tags/${t}`)];
    const tips = new Set<string>();
    for (const ref of refs) {
      const oid = await git.resolveRef({ fs: this.#fs, dir: this.dir, ref }).catch(() => null);
      const commit = oid ? await this.#peelToCommit(oid) : null;
      if (commit) tips.add(commit);
    }
    for (const oid of await reflogCommits(join(this.dir, '.git', 'logs'))) {
      if (await git.readCommit({ fs: this.#fs, dir: this.dir, oid, cache: this.#cache }).then(() => true, () => false)) tips.add(oid);
    }
    return [...tips];
  }

  async #peelToCommit(oid: string): Promise<string | null> {
    for (let depth = 0; depth < 10; depth += 1) {
      const object = await git.readObject({ fs: this.#fs, dir: this.dir, oid, format: 'parsed', cache: this.#cache }).catch(() => null);
      if (!object) return null;
      if (object.type === 'commit') return oid;
      if (object.type !== 'tag') return null;
      oid = (object.object as { object: string }).object;
    }
    return null;
  }

  /** After a crash between commit and checkout: make the working copies of `paths` match HEAD. */
  async syncWorkingTree(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      const committed = await this.readFile(path);
      if (committed === null) continue;
      const onDisk = await this.#fs.promises.readFile(join(this.dir, path), 'utf8').catch(() => null);
      if (onDisk !== committed) await this.#checkoutFile(path, committed);
      // The file may be right and the index not (a crash between the two writes).
      else if ((await git.status({ fs: this.#fs, dir: this.dir, filepath: path, cache: this.#cache })) !== 'unmodified') {
        await git.add({ fs: this.#fs, dir: this.dir, filepath: path, cache: this.#cache });
      }
    }
  }

  async #catchUpWorkingTree(): Promise<void> {
    if (this.#behind.size === 0) return;
    const paths = [...this.#behind];
    await this.syncWorkingTree(paths).then(() => paths.forEach((path) => this.#behind.delete(path)), () => undefined);
  }

  /** The branch HEAD names (refs/heads/…); a detached HEAD is refused rather than moved. */
  async #branch(): Promise<string> {
    const branch = await git.currentBranch({ fs: this.#fs, dir: this.dir, fullname: true });
    if (!branch) {
      throw failure('CONFLICT', `The workspace's git HEAD is detached (not on a branch), so Lathe will not commit to it.`, {
        hint: `Check out a branch first, e.g. \`git -C ${this.dir} switch main\`.`,
      });
    }
    return branch;
  }

  async #checkoutFile(path: string, content: string): Promise<void> {
    const full = join(this.dir, path);
    await mkdirInside(this.dir, dirname(full));
    await writeFileAtomic(full, content);
    await git.add({ fs: this.#fs, dir: this.dir, filepath: path, cache: this.#cache });
  }

  async #withEntry(treeOid: string | null, segments: string[], blobOid: string): Promise<string> {
    const [name, ...rest] = segments;
    if (!name) throw new Error('empty path');
    const entries = treeOid ? (await git.readTree({ fs: this.#fs, dir: this.dir, oid: treeOid, cache: this.#cache })).tree : [];
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
    return git.writeTree({ fs: this.#fs, dir: this.dir, tree: [...others, entry] });
  }

  async #author(): Promise<{ name: string; email: string }> {
    const configured = async (path: string) => {
      const value = (await git.getConfig({ fs: this.#fs, dir: this.dir, path }).catch(() => undefined)) as unknown;
      return typeof value === 'string' && value.trim() ? value.trim() : undefined;
    };
    const user = identityPart(safeUserName()) || 'lathe';
    return {
      name: identityPart(process.env.GIT_AUTHOR_NAME ?? (await configured('user.name')) ?? user) || user,
      email: identityPart(process.env.GIT_AUTHOR_EMAIL ?? (await configured('user.email')) ?? `${user}@localhost`) || `${user}@localhost`,
    };
  }
}

/** The commit ids named in the reflogs under `logsDir` (none when git never wrote any). */
async function reflogCommits(logsDir: string): Promise<string[]> {
  const files = await readdir(logsDir, { recursive: true, withFileTypes: true }).catch(() => []);
  const oids = new Set<string>();
  for (const file of files) {
    if (!file.isFile()) continue;
    const text = await readFile(join(file.parentPath, file.name), 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      const match = /^([0-9a-f]{40}) ([0-9a-f]{40}) /.exec(line);
      if (!match) continue;
      for (const oid of [match[1]!, match[2]!]) if (!/^0+$/.test(oid)) oids.add(oid);
    }
  }
  return [...oids];
}

function safeUserName(): string {
  try {
    return userInfo().username || 'lathe';
  } catch {
    return 'lathe';
  }
}

/**
 * What git accepts in a commit message: no NUL (git fsck: nulInCommit; clones with
 * fetch.fsckObjects refuse it) and no other control character but line breaks and tabs. Inputs
 * are checked at the boundary with a clear error; this is the last line of defence.
 */
export function commitMessage(text: string): string {
  const clean = withoutUnsafeCharacters(text, true);
  return clean.endsWith('\n') ? clean : `${clean}\n`;
}

/** A name or email in an author line: no `<`, `>`, line breaks or control characters. */
function identityPart(text: string): string {
  return withoutUnsafeCharacters(text, false).replace(/[<>]/g, '').trim();
}
