import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, screenshotPath, test } from '../support/lathe-server.ts';

test('areas that are not built say so, and the workspace menu opens and makes workspaces', async ({ page, lathe }) => {
  await page.goto(lathe.url);
  await expect(page.getByRole('heading', { name: 'Bring in your first dataset' })).toBeVisible();

  const nav = page.getByRole('navigation', { name: 'Areas' });
  for (const area of ['Features']) {
    await nav.getByRole('link', { name: new RegExp(area) }).click();
    await expect(page.getByRole('heading', { level: 1, name: area })).toBeVisible();
    await expect(page.getByText('This area is not built yet.')).toBeVisible();
  }
  await page.screenshot({ path: screenshotPath('30-not-built'), animations: 'disabled' });
  await nav.getByRole('link', { name: /Datasets/ }).click();

  // A folder that is not a workspace: the error says so and offers to make it one.
  const other = join(lathe.root, 'other-project');
  await mkdir(other);
  await page.getByRole('button', { name: 'Workspace: workspace' }).click();
  await expect(page.getByRole('menu', { name: 'Workspace' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('31-workspace-menu'), animations: 'disabled' });
  await page.getByRole('menuitem', { name: 'Open workspace…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open workspace' });
  await dialog.getByLabel('Folder path').fill(other);
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await page.screenshot({ path: screenshotPath('32-not-a-workspace'), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Make it a workspace' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('banner').getByText(other)).toBeVisible();
  expect(new URL(page.url()).searchParams.get('workspace')).toBe(other);

  // The first workspace is now a recent one.
  await page.getByRole('button', { name: 'Workspace: other-project' }).click();
  await expect(page.getByRole('menuitem', { name: new RegExp(lathe.workspace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })).toBeVisible();
  await page.screenshot({ path: screenshotPath('34-workspace-menu-recent'), animations: 'disabled' });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Workspace: other-project' })).toBeFocused();
});

test('a window opened on a folder that is not a workspace says so and offers to make it one', async ({ page, lathe }) => {
  await page.goto(lathe.url);
  await expect(page.getByRole('heading', { name: 'Bring in your first dataset' })).toBeVisible();
  const folder = join(lathe.root, 'notes');
  await mkdir(folder);

  // The token stays with the tab, so an address with only ?workspace= works in it.
  await page.goto(new URL(`/?workspace=${encodeURIComponent(folder)}`, lathe.url).href);
  await expect(page.getByRole('heading', { name: 'Lathe could not open this workspace' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('not a Lathe workspace');
  await page.screenshot({ path: screenshotPath('33-start-page-error'), animations: 'disabled' });

  await page.getByRole('button', { name: 'Make it a workspace' }).click();
  await expect(page.getByRole('heading', { name: 'Bring in your first dataset' })).toBeVisible();
  await expect(page.getByRole('banner').getByText(folder)).toBeVisible();
});

test('a git repository with its own history becomes a workspace only when the user says so', async ({ page, lathe }) => {
  const { execFileSync } = await import('node:child_process');
  const { writeFile } = await import('node:fs/promises');
  const project = join(lathe.root, 'training-code');
  await mkdir(project);
  await writeFile(join(project, 'train.py'), 'print("hello")\n');
  const git = (...args: string[]) => execFileSync('git', ['-C', project, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'the team’s own first commit');

  await page.goto(lathe.url);
  await page.getByRole('button', { name: 'Workspace: workspace' }).click();
  await page.getByRole('menuitem', { name: 'New workspace…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New workspace' });
  await dialog.getByLabel('Folder path').fill(project);
  await dialog.getByRole('button', { name: 'Create workspace' }).click();
  await expect(dialog.getByRole('alert')).toContainText('already a git repository with its own history');
  expect(git('rev-list', '--count', 'HEAD').trim()).toBe('1');
  await page.screenshot({ path: screenshotPath('35-git-repository-consent'), animations: 'disabled' });

  await dialog.getByRole('button', { name: 'Use this repository' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Workspace: training-code' })).toBeVisible();
  expect(git('log', '--format=%s').trim().split('\n')).toEqual([expect.stringContaining('Create Lathe workspace'), 'the team’s own first commit']);
});
