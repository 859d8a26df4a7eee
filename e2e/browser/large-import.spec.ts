import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { expect, screenshotPath, test } from '../support/lathe-server.ts';

/** A CSV of about `megabytes` MB, written in chunks. */
async function writeLargeCsv(path: string, megabytes: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,sensor,reading,status\n');
  let id = 0;
  let written = 0;
  while (written < megabytes * 1_000_000) {
    let chunk = '';
    for (let i = 0; i < 10_000; i++, id++) chunk += `${id},sensor-${id % 97},${((id * 7919) % 10_000) / 100},${id % 13 === 0 ? 'fault' : 'ok'}\n`;
    written += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

test('a large import shows its progress, then its result', async ({ page, lathe }) => {
  test.setTimeout(120_000);
  const file = join(lathe.root, 'sensor-readings.csv');
  await writeLargeCsv(file, 120);

  await page.goto(lathe.url);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose file…' }).click();
  await (await chooser).setFiles(file);

  await expect(page.getByRole('progressbar', { name: 'Importing sensor-readings.csv' })).toBeVisible();
  await expect(page.getByText(/Importing sensor-readings\.csv/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('22-import-progress'), animations: 'disabled' });

  await expect(page.getByText('Version 1 of sensor-readings created')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'sensor-readings' })).toBeVisible();
});

test('a large import can be cancelled from its progress toast, and nothing is kept', async ({ page, lathe }) => {
  test.setTimeout(120_000);
  const file = join(lathe.root, 'sensor-readings.csv');
  await writeLargeCsv(file, 120);

  await page.goto(lathe.url);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose file…' }).click();
  await (await chooser).setFiles(file);

  const toast = page.locator('.toast--progress');
  await toast.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Import of sensor-readings.csv cancelled; nothing was kept.')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Bring in your first dataset' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('23-import-cancelled'), animations: 'disabled' });
});
