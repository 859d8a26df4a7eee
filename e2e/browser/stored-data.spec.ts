import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dropFiles, expect, screenshotPath, test } from '../support/lathe-server.ts';

const scores = 'id,name,score,passed\n1,Ada,91.5,true\n2,Grace,88,true\n3,Linus,,false\n';

/** The one blob in the store: .lathe/objects/sha256/ab/cdef… */
async function onlyBlob(workspace: string): Promise<string> {
  const root = join(workspace, '.lathe/objects/sha256');
  const [fan] = await readdir(root);
  const [rest] = await readdir(join(root, fan!));
  return join(root, fan!, rest!);
}

test('damaged bytes are refused, found by "Stored data…", and repaired by dropping the file again; unused data can be removed', async ({ page, lathe }) => {
  await page.goto(lathe.url);
  await dropFiles(page, page.locator('body'), [{ name: 'scores.csv', content: scores }]);
  await expect(page.getByText('Version 1 of scores created')).toBeVisible();

  // Someone (or a failing disk) changes one byte of the stored file: "Grace" becomes "Grade".
  const blob = await onlyBlob(lathe.workspace);
  await chmod(blob, 0o644);
  await writeFile(blob, (await readFile(blob, 'utf8')).replace('Grace', 'Grade'));
  await chmod(blob, 0o444);
  await page.reload();
  const detail = page.getByRole('region', { name: 'Dataset scores' });
  await expect(detail.getByRole('alert')).toContainText('The stored bytes of scores@1 were altered');
  await expect(detail.getByRole('alert')).toContainText('Import the original file again');
  await expect(page.getByRole('cell', { name: 'Grade' })).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('40-damaged-bytes'), animations: 'disabled' });

  // The workspace menu checks every stored blob and says which version is hurt.
  await page.getByRole('button', { name: 'Workspace: workspace' }).click();
  await page.getByRole('menuitem', { name: /Stored data/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Stored data' });
  await dialog.getByRole('button', { name: 'Check all stored data' }).click();
  await expect(dialog.getByText('1 blob of 1 is damaged or missing.')).toBeVisible();
  const row = dialog.getByRole('row', { name: /scores@1/ });
  await expect(row).toContainText('Altered');
  await page.screenshot({ path: screenshotPath('41-stored-data-check'), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Dropping the original file again repairs the stored copy, and says so.
  await dropFiles(page, detail, [{ name: 'scores.csv', content: scores }]);
  await expect(page.getByText('No changes: scores.csv is identical to version 1; no new version was made. The stored copy of these bytes was damaged, and this import repaired it.')).toBeVisible();
  await expect(page.getByRole('region', { name: /rows of scores/ }).getByRole('cell', { name: 'Grace' })).toBeVisible();

  // Bytes no version needs (an interrupted import's) can be removed from the same dialog.
  await mkdir(join(lathe.workspace, '.lathe/objects/sha256/00'), { recursive: true });
  await writeFile(join(lathe.workspace, '.lathe/objects/sha256/00', '1'.repeat(62)), 'x'.repeat(2048));
  await page.getByRole('button', { name: 'Workspace: workspace' }).click();
  await page.getByRole('menuitem', { name: /Stored data/ }).click();
  await expect(dialog.getByText(/1 blob \(2(\.0)? kB\) is needed by no version/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('42-stored-data-unused'), animations: 'disabled' });
  await dialog.getByRole('button', { name: /Remove unused data/ }).click();
  await expect(dialog.getByText(/Removed 1 blob/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Check all stored data' }).click();
  await expect(dialog.getByText(/All 1 blob \(.*\) match their hashes\./)).toBeVisible();
  await page.screenshot({ path: screenshotPath('43-stored-data-clean'), animations: 'disabled' });
});
