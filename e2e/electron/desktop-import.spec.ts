import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  answerFolderPicker,
  buildApp,
  dropFilesFromDisk,
  dropFileWithoutPath,
  electronExecutable,
  launchDesktopApp,
  NO_ELECTRON_MESSAGE,
  type DesktopApp,
} from './electron-app.ts';

// The desktop app driven the way a person uses it — the flow of e2e/browser/drop-import.spec.ts,
// but main reads each file from disk by path (no upload) and folders come from the native picker.
// Skipped, saying why, where the Electron binary is not installed.
const executable = electronExecutable();
test.skip(executable === null, NO_ELECTRON_MESSAGE);
// Say it in the run's output too: the list reporter shows skips without their reason.
if (executable === null) console.log(`[electron] skipped: ${NO_ELECTRON_MESSAGE}`);
test.describe.configure({ mode: 'serial' });

const V1 = 'id,name,score,passed\n1,Ada,91.5,true\n2,Grace,88,true\n3,Linus,,false\n';
const V2 = `${V1}4,Margaret,95.25,true\n`;
// Line 3 has one field too many.
const RAGGED = 'id,name,score,passed\n1,Ada,91.5,true\n2,Grace,88,true,extra\n';

let desktop: DesktopApp;
let page: Page;

test.beforeAll(async () => {
  buildApp();
  desktop = await launchDesktopApp(executable ?? '');
  page = desktop.window;
});

test.afterAll(async () => {
  await desktop?.close();
});

/** Write `text` to `<root>/files/<folder>/scores.csv`: the same file name each time, new bytes. */
async function scoresFile(folder: string, text: string): Promise<string> {
  const dir = path.join(desktop.root, 'files', folder);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'scores.csv');
  await writeFile(file, text);
  return file;
}

/** "Choose file…": the window's file input, given a file from disk. */
async function chooseFile(file: string): Promise<void> {
  await page.locator('input[type="file"]').first().setInputFiles(file);
}

const detail = () => page.getByRole('region', { name: 'Dataset scores' });
const history = () => page.getByRole('region', { name: /History/ });
const preview = () => page.getByRole('region', { name: /rows of scores/ });

test('the window shows our UI from lathe://app, sandboxed, on the default workspace', async () => {
  await expect(page.locator('.top-bar__path')).toHaveText(path.join(desktop.root, 'default-workspace'));
  expect(page.url()).toMatch(/^lathe:\/\/app\/index\.html\?workspace=/);
  const surface = await page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    bridgeCalls: Object.keys((window as unknown as { lathe: { calls: object } }).lathe.calls).length,
    popupBlocked: window.open('https://example.com/') === null,
  }));
  expect(surface).toEqual({ require: 'undefined', process: 'undefined', bridgeCalls: expect.any(Number), popupBlocked: true });
  expect(surface.bridgeCalls).toBeGreaterThan(5);
  expect(desktop.app.windows()).toHaveLength(1);
});

test('"New workspace…" takes a folder from the native picker and opens it empty', async () => {
  const folder = path.join(desktop.root, 'churn project');
  await answerFolderPicker(desktop.app, folder);
  await page.locator('.workspace-menu__button').click();
  await page.getByRole('menuitem', { name: 'New workspace…' }).click();
  await expect(page.locator('.top-bar__path')).toHaveText(folder);
  await expect(page.getByRole('heading', { name: 'Bring in your first dataset' })).toBeVisible();
  // The workspace is in the window's address, so a reload keeps it.
  await expect.poll(() => new URL(page.url()).searchParams.get('workspace')).toBe(folder);
});

test('choosing a CSV makes version 1, with its preview and profile', async () => {
  await chooseFile(await scoresFile('v1', V1));
  await expect(page.getByText('Version 1 of scores created')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'scores' })).toBeVisible();
  await expect(preview().getByRole('cell', { name: 'Grace' })).toBeVisible();
  await expect(preview().getByRole('columnheader', { name: /score/ }).first()).toContainText('number');
  // Main read the file where it lies: the version names it.
  await expect(page.getByRole('definition').filter({ hasText: 'scores.csv' })).toBeVisible();

  await page.getByRole('tab', { name: /Profile/ }).click();
  await expect(page.getByRole('article', { name: 'score' })).toContainText('33%'); // 1 of 3 rows missing
  await page.getByRole('tab', { name: /Preview/ }).click();
});

test('a changed file dropped from disk on the dataset becomes version 2', async () => {
  await dropFilesFromDisk(page, detail(), [await scoresFile('v2', V2)]);
  await expect(page.getByText('Version 2 of scores created')).toBeVisible();
  await expect(history().getByRole('button', { name: /Show version/ })).toHaveCount(2);
  await expect(preview().getByRole('cell', { name: 'Margaret' })).toBeVisible();
});

test('the same bytes again make no version, and say so', async () => {
  await dropFilesFromDisk(page, detail(), [await scoresFile('v2-again', V2)]);
  await expect(page.getByText('No changes: scores.csv is identical to version 2; no new version was made.')).toBeVisible();
  await expect(history().getByRole('button', { name: /Show version/ })).toHaveCount(2);
});

test('a malformed file is refused with its file and line, and nothing changes', async () => {
  await chooseFile(await scoresFile('ragged', RAGGED));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not import scores.csv');
  await expect(alert).toContainText(/scores\.csv:3/);
  await expect(history().getByRole('button', { name: /Show version/ })).toHaveCount(2);
  await expect(page.getByRole('heading', { level: 1, name: 'scores' })).toBeVisible();
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a dropped file that is not on disk is explained, not imported', async () => {
  await dropFileWithoutPath(page, detail(), 'scores.csv', V1);
  await expect(page.getByRole('alert')).toContainText("is not a file on this computer's disk");
  await expect(history().getByRole('button', { name: /Show version/ })).toHaveCount(2);
});

test('"Open this workspace in new window" opens a second window on it', async () => {
  const folder = path.join(desktop.root, 'churn project');
  const opened = desktop.app.waitForEvent('window');
  await page.locator('.workspace-menu__button').click();
  await page.getByRole('menuitem', { name: 'Open this workspace in new window' }).click();
  const second = await opened;
  await expect(second.locator('.top-bar__path')).toHaveText(folder);
  await expect(second.getByRole('button', { name: /scores/ }).first()).toBeVisible();
  await second.close();
});
