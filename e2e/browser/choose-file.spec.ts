import { expect, screenshotPath, test } from '../support/lathe-server.ts';

const sales = 'region\tmonth\trevenue\n' + ['north', 'south', 'east', 'west'].flatMap((region, r) => ['2024-01-01', '2024-02-01', '2024-03-01'].map((month, m) => `${region}\t${month}\t${1000 + r * 250 + m * 75}`)).join('\n') + '\n';

test('"Choose file…" imports a file, named after it, and column widths are remembered', async ({ page, lathe }) => {
  await page.goto(lathe.url);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose file…' }).click();
  await (await chooser).setFiles({ name: 'Sales Q1.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(sales) });

  await expect(page.getByText('Version 1 of sales-q1 created')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'sales-q1' })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /^TSV$/ })).toBeVisible();
  const preview = page.getByRole('region', { name: /rows of sales-q1/ });
  await expect(preview.getByRole('cell', { name: 'north' }).first()).toBeVisible();
  await expect(preview.getByRole('row')).toHaveCount(13);

  // Widen a column from the keyboard; the width survives a reload.
  const resizer = preview.getByRole('separator', { name: 'Resize column region' });
  const before = Number(await resizer.getAttribute('aria-valuenow'));
  await resizer.focus();
  await page.keyboard.press('Shift+ArrowRight');
  await expect(resizer).toHaveAttribute('aria-valuenow', String(before + 64));
  await page.waitForTimeout(300);
  await page.reload();
  await expect(page.getByRole('separator', { name: 'Resize column region' })).toHaveAttribute('aria-valuenow', String(before + 64));
  await page.screenshot({ path: screenshotPath('20-chosen-tsv'), animations: 'disabled' });
});

test('"New version…" imports a chosen file into the dataset on screen, with a message', async ({ page, lathe }) => {
  await page.goto(lathe.url);
  await page.getByRole('button', { name: 'Import sample data' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'penguins' })).toBeVisible();

  await page.getByRole('button', { name: 'New version…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a file' });
  await expect(dialog.getByLabel('Dataset')).toHaveValue('penguins');
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Choose file…' }).click();
  await (await chooser).setFiles({ name: 'penguins-cleaned.csv', mimeType: 'text/csv', buffer: Buffer.from('Species,Island\nAdelie,Torgersen\nGentoo,Biscoe\n') });
  await expect(dialog.getByText('Adds version 2 of penguins')).toBeVisible();
  await dialog.getByLabel(/Message/).fill('Keep only species and island');
  await page.screenshot({ path: screenshotPath('21-import-dialog'), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Import' }).click();

  await expect(page.getByText('Version 2 of penguins created')).toBeVisible();
  const history = page.getByRole('region', { name: /History/ });
  await expect(history.getByRole('row', { name: /Keep only species and island/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'penguins' })).toBeVisible();
});
