import { expect, screenshotPath, test } from '../support/lathe-server.ts';

test('a model is trained from a dataset in a few clicks, and the run page follows it to the end', async ({ page, lathe }) => {
  test.setTimeout(120_000);
  await page.goto(lathe.url);
  await page.getByRole('button', { name: 'Import sample data' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'penguins' })).toBeVisible();

  await page.getByRole('button', { name: 'Train a model…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New run' });
  await expect(dialog.getByLabel('Dataset')).toHaveValue('penguins');
  await dialog.getByLabel('Column to predict').selectOption('Species');
  // Before anything runs: what it will learn, from which columns, on how many rows.
  const plan = dialog.getByRole('region', { name: 'What training will do' });
  await expect(plan).toContainText('3 classes');
  await expect(plan).toContainText(/features?:/);
  await expect(plan).toContainText(/to train · \d+ to validate · \d+ to test/);
  await dialog.getByLabel('Linear baseline').check();
  await dialog.getByText(/^Settings/).click();
  await dialog.getByLabel('Epochs').fill('five');
  await dialog.getByRole('button', { name: 'Start training' }).click();
  await expect(dialog.getByText('a whole number')).toBeVisible();
  await dialog.getByLabel('Epochs').fill('8');
  await dialog.getByLabel('Seed').fill('3');
  await page.screenshot({ path: screenshotPath('50-new-run'), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Start training' }).click();

  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#\/experiments\/run\/[0-9a-f]{32}$/);
  await expect(page.getByText('FINISHED').first()).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText(/accuracy/i).first()).toBeVisible();
  await page.screenshot({ path: screenshotPath('51-new-run-finished'), animations: 'disabled' });
});

test('the wizard says why a column cannot be predicted, before anything runs', async ({ page, lathe }) => {
  await page.goto(lathe.url);
  await page.getByRole('button', { name: 'Import sample data' }).click();
  await page.getByRole('button', { name: 'Train a model…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New run' });
  // Sex has missing values in the Palmer Penguins data.
  await dialog.getByLabel('Column to predict').selectOption('Sex');
  await expect(dialog.getByRole('alert')).toContainText('This cannot be trained as it is');
  await expect(dialog.getByRole('button', { name: 'Start training' })).toBeDisabled();
  await page.screenshot({ path: screenshotPath('52-new-run-refused'), animations: 'disabled' });
});
