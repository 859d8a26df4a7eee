import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedElectron } from '../../main/scripts/electron-binary.ts';
import { _electron, type ElectronApplication, type Locator, type Page } from '@playwright/test';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The Electron executable, or null when it was never downloaded (decided by files, not by launching). */
export function electronExecutable(): string | null {
  return installedElectron(projectRoot);
}

export const NO_ELECTRON_MESSAGE =
  'Electron binary not installed (node_modules/electron/dist missing): the desktop e2e runs where `npx install-electron` has been run; browser e2e covers the same flow against lathe serve.';

/** `npm run build`, so the app under test is the source under test. */
export function buildApp(): void {
  const built = spawnSync(process.execPath, [path.join(projectRoot, 'main', 'scripts', 'build.ts')], { cwd: projectRoot, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}\n${built.stderr}`);
}

export interface DesktopApp {
  app: ElectronApplication;
  /** The first window, showing the default workspace. */
  window: Page;
  /** A scratch folder for this launch: config, home, workspaces and data files all live in it. */
  root: string;
  close(): Promise<void>;
}

/** Launch the built app with its own config folder, home and default workspace, all temporary. */
export async function launchDesktopApp(executablePath: string): Promise<DesktopApp> {
  const root = await mkdtemp(path.join(tmpdir(), 'lathe-desktop-e2e-'));
  const home = path.join(root, 'home');
  await mkdir(home, { recursive: true });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.ELECTRON_RUN_AS_NODE;
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    LATHE_CONFIG_DIR: path.join(root, 'config'),
    LATHE_DEFAULT_WORKSPACE: path.join(root, 'default-workspace'),
  });
  const app = await _electron.launch({
    executablePath,
    // The project folder: Electron runs package.json's "main", main/dist/app.cjs.
    args: [projectRoot, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    cwd: projectRoot,
    env,
    timeout: 30_000,
  });
  const window = await app.firstWindow();
  return {
    app,
    window,
    root,
    async close() {
      await app.close().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Answer the next native folder pickers with `folder`, as a person choosing it would. */
export async function answerFolderPicker(app: ElectronApplication, folder: string): Promise<void> {
  await app.evaluate(({ dialog }, chosen) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [chosen] })) as typeof dialog.showOpenDialog;
  }, folder);
}

/**
 * Drop files from disk on `target`, as a person dragging them from their file manager: the
 * File objects come from a file input (so they are backed by the real files and Electron's
 * webUtils.getPathForFile knows their paths), then travel in the drop's DataTransfer.
 */
export async function dropFilesFromDisk(page: Page, target: Locator, files: string[]): Promise<void> {
  await page.evaluate(() => {
    if (document.getElementById('e2e-disk-files')) return;
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = 'e2e-disk-files';
    input.hidden = true;
    document.body.append(input);
  });
  await page.locator('#e2e-disk-files').setInputFiles(files);
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    for (const file of (document.getElementById('e2e-disk-files') as HTMLInputElement).files ?? []) transfer.items.add(file);
    return transfer;
  });
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
}

/** Drop a file made in the page from bytes: it has no path on disk. */
export async function dropFileWithoutPath(page: Page, target: Locator, name: string, content: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ fileName, text }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], fileName, { type: 'text/csv' }));
      return transfer;
    },
    { fileName: name, text: content },
  );
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
}
