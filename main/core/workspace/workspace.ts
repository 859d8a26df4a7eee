import { mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { WorkspaceInfo } from '../../../shared/contract/workspace.ts';
import { failure } from '../errors.ts';
import { sweepAbandonedTempFiles } from '../storage/atomic-file.ts';
import { BlobStore, isProcessAlive } from '../storage/blob-store.ts';
import { GitRepo } from './git-repo.ts';
import { WorkspaceLock } from './workspace-lock.ts';
import {
  WORKSPACE_SETTINGS_FILE,
  newWorkspaceSettings,
  parseWorkspaceSettings,
  serializeWorkspaceSettings,
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

  private constructor(dir: string, settings: WorkspaceSettings) {
    this.dir = dir;
    this.settings = settings;
    this.git = new GitRepo(dir);
    this.blobs = new BlobStore(join(dir, LATHE_DIR));
    this.lock = new WorkspaceLock(join(dir, LATHE_DIR, 'lock'));
  }

  get latheDir(): string {
    return join(this.dir, LATHE_DIR);
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
    const workspace = new Workspace(dir, parseWorkspaceSettings(committed, join(dir, WORKSPACE_SETTINGS_FILE)));
    await workspace.#recover();
    return workspace;
  }

  /** Make a folder a workspace (creating it if needed). Idempotent: an existing one is opened. */
  static async create(path: string): Promise<Workspace> {
    if (!isAbsolute(path)) throw failure('INVALID_INPUT', `A workspace path must be absolute; got "${path}".`);
    try {
      return await Workspace.open(path);
    } catch (error) {
      const code = (error as { error?: { code?: string } }).error?.code;
      if (code !== 'NOT_A_WORKSPACE' && code !== 'NOT_FOUND') throw error;
    }
    await mkdir(path, { recursive: true });
    const dir = await realpath(path);
    const repo = new GitRepo(dir);
    if (!(await repo.head())) await repo.init();
    const settings = newWorkspaceSettings(basename(dir) || dir);
    const gitignore = await readText(join(dir, '.gitignore'));
    const ignore = gitignore.split(/\r?\n/).some((line) => line.trim() === IGNORE_LINE || line.trim() === '.lathe/' || line.trim() === '.lathe')
      ? gitignore
      : `${gitignore}${gitignore && !gitignore.endsWith('\n') ? '\n' : ''}# Lathe's local state: content-addressed data, runs database, locks\n${IGNORE_LINE}\n`;
    await mkdir(join(dir, LATHE_DIR), { recursive: true });
    await repo.commit(
      [
        { path: WORKSPACE_SETTINGS_FILE, content: serializeWorkspaceSettings(settings) },
        { path: '.gitignore', content: ignore },
      ],
      `Create Lathe workspace "${settings.name}"`,
    );
    return new Workspace(dir, settings);
  }

  info(datasets: number): WorkspaceInfo {
    return { path: this.dir, name: this.settings.name, createdAt: this.settings.createdAt, datasets };
  }

  /**
   * Repair what a crash may have left: temp files (the blob store's, and those of atomic writes
   * into the working tree and .git), and working copies of dataset manifests (machine-written)
   * that lag behind their commit. Hand-edited files are left alone.
   */
  async #recover(): Promise<void> {
    await mkdir(this.latheDir, { recursive: true });
    await this.blobs.sweepAbandoned();
    const datasets = (await this.git.list('datasets')).filter((entry) => entry.type === 'tree').map((entry) => `datasets/${entry.path}`);
    const gitDir = join(this.dir, '.git');
    const objectDirs = (await readdir(join(gitDir, 'objects')).catch(() => [] as string[])).filter((name) => /^[0-9a-f]{2}$/.test(name));
    await sweepAbandonedTempFiles(
      [
        this.dir,
        ...datasets.map((path) => join(this.dir, path)),
        gitDir,
        join(gitDir, 'refs', 'heads'),
        ...objectDirs.map((name) => join(gitDir, 'objects', name)),
      ],
      isProcessAlive,
    );
    await this.git.syncWorkingTree(datasets.map((path) => `${path}/dataset.json`));
  }
}

async function existingFolder(path: string): Promise<string> {
  if (!isAbsolute(path)) throw failure('INVALID_INPUT', `A workspace path must be absolute; got "${path}".`);
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
