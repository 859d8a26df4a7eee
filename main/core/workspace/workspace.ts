import { mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { WorkspaceInfo } from '../../../shared/contract/workspace.ts';
import { failure } from '../errors.ts';
import { sweepAbandonedTempFiles } from '../storage/atomic-file.ts';
import { BlobChecks } from '../storage/blob-checks.ts';
import { BlobStore, isProcessAlive } from '../storage/blob-store.ts';
import { mkdirInside } from '../storage/folders.ts';
import { WorkspaceDb } from '../storage/workspace-db.ts';
import { GitRepo } from './git-repo.ts';
import { WorkspaceLock } from './workspace-lock.ts';
import { WorkspaceUsers } from './workspace-users.ts';
import { refuseKernelFileSystem } from './workspace-place.ts';
import {
  WORKSPACE_SETTINGS_FILE,
  newWorkspaceSettings,
  workspaceSettings,
  type WorkspaceSettings,
} from './workspace-settings.ts';

const LATHE_DIR = '.lathe';
const IGNORE_LINE = '/.lathe/';

/**
 * A Lathe workspace: a folder that is a git repository holding `lathe.json`. Declarative state
 * (manifests, settings) is committed; bytes live in `.lathe/objects`, local state in `.lathe/`.
 */
export class Workspace {
  readonly dir: string;
  readonly git: GitRepo;
  readonly blobs: BlobStore;
  readonly lock: WorkspaceLock;
  settings: WorkspaceSettings;
  /** The folder's identity when it was opened: a folder deleted and made again is another one. */
  readonly #identity: string;
  #db: WorkspaceDb | null = null;
  #users: WorkspaceUsers;

  private constructor(dir: string, settings: WorkspaceSettings, identity: string) {
    this.dir = dir;
    this.settings = settings;
    this.#identity = identity;
    this.git = new GitRepo(dir);
    this.blobs = new BlobStore(dir, join(dir, LATHE_DIR), new BlobChecks(() => this.#cacheDb()));
    this.lock = new WorkspaceLock(join(dir, LATHE_DIR, 'write.lock'));
    this.#users = new WorkspaceUsers(join(dir, LATHE_DIR));
  }

  get latheDir(): string {
    return join(this.dir, LATHE_DIR);
  }

  /** The workspace database (`.lathe/lathe.db`), opened on first use. */
  get db(): WorkspaceDb {
    this.#db ??= WorkspaceDb.open(join(this.latheDir, 'lathe.db'));
    return this.#db;
  }

  /** The database where it only caches: null when it cannot be opened (work goes on without). */
  #cacheDb(): WorkspaceDb | null {
    try {
      return this.db;
    } catch {
      return null;
    }
  }

  /**
   * Is this still the folder that was opened? 'replaced' when a new folder now stands at the
   * path (the caller opens that one afresh); a folder that is gone, or is no longer a git
   * repository, is refused here, before any call reads a stale cache or writes half a workspace.
   */
  async stillHere(): Promise<'same' | 'replaced'> {
    const identity = await folderIdentity(this.dir).catch(() => null);
    if (identity === null) {
      throw failure('NOT_FOUND', `The workspace ${this.dir} is gone: it was deleted or moved while Lathe had it open.`, {
        hint: 'Open it where it is now, or make a new workspace.',
      });
    }
    if (identity !== this.#identity) return 'replaced';
    if (!(await stat(join(this.dir, '.git')).then(() => true, () => false))) {
      throw failure('NOT_A_WORKSPACE', `${this.dir} is no longer a Lathe workspace: its .git folder was removed while Lathe had it open.`, {
        hint: 'Restore the .git folder, or make the folder a workspace again.',
      });
    }
    return 'same';
  }

  /** Let go of the database and the lock file; the object is not used again. */
  async close(): Promise<void> {
    await this.lock.close();
    await this.#users.leave();
    this.#db?.close();
    this.#db = null;
  }

  /** Open a folder that already is a workspace. */
  static async open(path: string): Promise<Workspace> {
    const dir = await existingFolder(path);
    const repo = new GitRepo(dir);
    const committed = (await repo.head()) ? await repo.readFile(WORKSPACE_SETTINGS_FILE) : null;
    if (committed === null) {
      throw failure('NOT_A_WORKSPACE', `${dir} is not a Lathe workspace (it has no committed ${WORKSPACE_SETTINGS_FILE}).`, {
        hint: `Run \`lathe init ${dir}\` or choose "New workspace…" to make it one.`,
      });
    }
    const workspace = new Workspace(dir, workspaceSettings.parse(committed, join(dir, WORKSPACE_SETTINGS_FILE)), await folderIdentity(dir));
    await mkdirInside(dir, workspace.latheDir);
    if (await workspace.#users.arrive()) {
      await workspace.#recover();
      await workspace.#users.forgetTheDead();
    }
    return workspace;
  }

  /**
   * Make a folder a workspace (creating it if needed). Idempotent: an existing one is opened.
   * A folder that already is a git repository with history is left alone unless the user says
   * to use it (`useExistingGitRepository`): Lathe would add its commits to that branch.
   */
  static async create(path: string, options: { useExistingGitRepository?: boolean } = {}): Promise<Workspace> {
    if (!isAbsolute(path)) throw failure('INVALID_INPUT', `A workspace path must be absolute; got "${path}".`);
    await refuseKernelFileSystem(path);
    try {
      return await Workspace.open(path);
    } catch (error) {
      const code = (error as { error?: { code?: string } }).error?.code;
      if (code !== 'NOT_A_WORKSPACE' && code !== 'NOT_FOUND') throw error;
    }
    await mkdir(path, { recursive: true });
    const dir = await realpath(path);
    const repo = new GitRepo(dir);
    const head = await repo.head();
    if (head && !options.useExistingGitRepository) {
      throw failure('INVALID_INPUT', `${dir} is already a git repository with its own history. Making it a Lathe workspace adds Lathe's commits (lathe.json, then one per dataset version) to its current branch.`, {
        hint: `If that is what you want, say so: \`lathe init ${dir} --use-git-repo\`, or "Use this repository" in the app. Otherwise choose an empty folder.`,
        issues: [{ path: 'useExistingGitRepository', message: 'the folder is a git repository with history; set this to use it' }],
      });
    }
    if (!head) await repo.init();
    const settings = newWorkspaceSettings(basename(dir) || dir);
    const gitignore = await readText(join(dir, '.gitignore'));
    const ignore = gitignore.split(/\r?\n/).some((line) => line.trim() === IGNORE_LINE || line.trim() === '.lathe/' || line.trim() === '.lathe')
      ? gitignore
      : `${gitignore}${gitignore && !gitignore.endsWith('\n') ? '\n' : ''}# Lathe's local state: content-addressed data, runs database, locks\n${IGNORE_LINE}\n`;
    await mkdirInside(dir, join(dir, LATHE_DIR));
    // Made with the workspace: a crash from here on leaves a user behind, so the next open sweeps.
    const users = new WorkspaceUsers(join(dir, LATHE_DIR));
    await users.arrive();
    await repo.commit(
      [
        { path: WORKSPACE_SETTINGS_FILE, content: workspaceSettings.serialize(settings) },
        { path: '.gitignore', content: ignore },
      ],
      `Create Lathe workspace "${settings.name}"`,
    );
    const workspace = new Workspace(dir, settings, await folderIdentity(dir));
    workspace.#users = users;
    return workspace;
  }

  info(datasets: number): WorkspaceInfo {
    return { path: this.dir, name: this.settings.name, createdAt: this.settings.createdAt, datasets };
  }

  /**
   * Repair what a crash may have left: temp files (the blob store's, and those of atomic writes
   * into the working tree and .git), and working copies of dataset manifests and registry records
   * (machine-written) that lag behind their commit. Hand-edited files (a gate spec) are left alone.
   */
  async #recover(): Promise<void> {
    await this.blobs.sweepAbandoned();
    const datasets = (await this.git.list('datasets')).filter((entry) => entry.type === 'tree').map((entry) => `datasets/${entry.path}`);
    const registry = await this.#registryRecords();
    const gitDir = join(this.dir, '.git');
    const objectDirs = (await readdir(join(gitDir, 'objects')).catch(() => [] as string[])).filter((name) => /^[0-9a-f]{2}$/.test(name));
    await sweepAbandonedTempFiles(
      [
        this.dir,
        ...datasets.map((path) => join(this.dir, path)),
        ...registry.folders.map((path) => join(this.dir, path)),
        gitDir,
        join(gitDir, 'refs', 'heads'),
        ...objectDirs.map((name) => join(gitDir, 'objects', name)),
      ],
      isProcessAlive,
    );
    // Every file Lathe writes in a dataset's folder (dataset.json, profile.json) is machine-written.
    const written = await Promise.all(
      datasets.map(async (path) => (await this.git.list(path)).filter((entry) => entry.type === 'blob').map((entry) => `${path}/${entry.path}`)),
    );
    await this.git.syncWorkingTree([...written.flat(), ...registry.files]);
  }

  /** The registry's machine-written files: models/<name>/model.json, aliases.json and versions/<n>.json. */
  async #registryRecords(): Promise<{ folders: string[]; files: string[] }> {
    const folders: string[] = [];
    const files: string[] = [];
    for (const model of (await this.git.list('models')).filter((entry) => entry.type === 'tree')) {
      const dir = `models/${model.path}`;
      folders.push(dir, `${dir}/versions`);
      const entries = await this.git.entries(model.oid);
      files.push(...entries.filter((entry) => entry.type === 'blob' && (entry.path === 'model.json' || entry.path === 'aliases.json')).map((entry) => `${dir}/${entry.path}`));
      const versions = entries.find((entry) => entry.path === 'versions' && entry.type === 'tree');
      if (versions) files.push(...(await this.git.entries(versions.oid)).filter((entry) => entry.type === 'blob').map((entry) => `${dir}/versions/${entry.path}`));
    }
    return { folders, files };
  }
}

async function folderIdentity(dir: string): Promise<string> {
  const info = await stat(dir, { bigint: true });
  return `${info.dev}:${info.ino}`;
}

async function existingFolder(path: string): Promise<string> {
  if (!isAbsolute(path)) throw failure('INVALID_INPUT', `A workspace path must be absolute; got "${path}".`);
  await refuseKernelFileSystem(path);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw failure('NOT_FOUND', `There is no folder at ${resolve(path)}.`, { hint: 'Check the path, or create a new workspace there.' });
  }
  if (!info.isDirectory()) throw failure('NOT_A_WORKSPACE', `${path} is a file, not a folder.`);
  return realpath(path);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}
