import { dragFilesOver, dropFiles, expect, screenshotPath, test } from '../support/lathe-server.ts';

const scoresV1 = 'id,name,score,passed\n1,Ada,91.5,true\n2,Grace,88,true\n3,Linus,,false\n';
const scoresV2 = `${scoresV1}4,Margaret,95.25,true\n`;
// Line 3 has one field too many.
const ragged = 'id,name,score,passed\n1,Ada,91.5,true\n2,Grace,88,true,extra\n';

test('dropping files makes versions, says when nothing changed, and explains a malformed file', async ({ page, lathe }) => {
  await page.goto(lathe.url);
  await expect(page.getByRole('heading', { name: 'Bring in your first dataset' })).toBeVisible();
  const body = page.locator('body');

  // Dragging a file over the window shows where it will go.
  await dragFilesOver(page, body, [{ name: 'scores.csv', content: scoresV1 }]);
  await expect(page.getByText('Drop to import')).toBeVisible();
  await page.screenshot({ path: screenshotPath('10-drop-overlay'), animations: 'disabled' });

  await dropFiles(page, body, [{ name: 'scores.csv', content: scoresV1 }]);
  await expect(page.getByText('Version 1 of scores created')).toBeVisible();
  await expect(page.getByText('Drop to import')).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'scores' })).toBeVisible();
  const preview = page.getByRole('region', { name: /rows of scores/ });
  await expect(preview.getByRole('cell', { name: 'Grace' })).toBeVisible();
  await expect(preview.getByRole('columnheader', { name: /score/ }).first()).toContainText('number');
  await page.getByRole('tab', { name: /Profile/ }).click();
  await expect(page.getByRole('article', { name: 'score' })).toContainText('33%'); // 1 of 3 rows missing
  await page.getByRole('tab', { name: /Preview/ }).click();

  // A changed file dropped on the dataset becomes its next version.
  const detail = page.getByRole('region', { name: 'Dataset scores' });
  await dragFilesOver(page, detail, [{ name: 'scores.csv', content: scoresV2 }]);
  await expect(page.getByText('Drop to add a version of scores')).toBeVisible();
  await page.screenshot({ path: screenshotPath('10b-drop-overlay-on-dataset'), animations: 'disabled' });
  await dropFiles(page, detail, [{ name: 'scores.csv', content: scoresV2 }]);
  await expect(page.getByText('Version 2 of scores created')).toBeVisible();
  const history = page.getByRole('region', { name: /History/ });
  await expect(history.getByRole('button', { name: /Show version/ })).toHaveCount(2);
  await expect(preview.getByRole('cell', { name: 'Margaret' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('11-second-version'), animations: 'disabled' });

  // The same bytes again make no version.
  await dropFiles(page, detail, [{ name: 'scores.csv', content: scoresV2 }]);
  await expect(page.getByText('No changes: scores.csv is identical to version 2; no new version was made.')).toBeVisible();
  await expect(history.getByRole('button', { name: /Show version/ })).toHaveCount(2);
  await page.screenshot({ path: screenshotPath('12-no-changes'), animations: 'disabled' });

  // A ragged CSV: an error that names the file and line, and nothing else changes.
  await dropFiles(page, detail, [{ name: 'scores.csv', content: ragged }]);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not import scores.csv');
  await expect(alert).toContainText(/scores\.csv:3/);
  await expect(history.getByRole('button', { name: /Show version/ })).toHaveCount(2);
  await expect(page.getByRole('heading', { level: 1, name: 'scores' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('13-parse-error'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('14-parse-error-dark'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });

  // The error stays until dismissed.
  await page.waitForTimeout(500);
  await expect(alert).toBeVisible();
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Choosing an older version shows it.
  await history.getByRole('button', { name: 'Show version 1' }).click();
  await expect(page.getByRole('button', { name: /Newer: v2/ })).toBeVisible();
  await expect(preview.getByRole('cell', { name: 'Margaret' })).toHaveCount(0);
  await expect(preview.getByRole('cell', { name: 'Linus' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('15-older-version'), animations: 'disabled' });
});
