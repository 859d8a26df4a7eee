import { dropFiles, expect, test } from '../support/lathe-server.ts';

test('a second window sees what the first imports, without reloading', async ({ page, context, lathe }) => {
  await page.goto(lathe.url);
  const second = await context.newPage();
  await second.goto(lathe.url);
  await expect(second.getByRole('heading', { name: 'Bring in your first dataset' })).toBeVisible();

  await dropFiles(page, page.locator('body'), [{ name: 'labels.csv', content: 'id,label\n1,cat\n2,dog\n' }]);
  await expect(page.getByText('Version 1 of labels created')).toBeVisible();

  // The other window was told (datasets:changed over its WebSocket) and shows the new dataset.
  await expect(second.getByRole('button', { name: /^labels/ })).toBeVisible();
  await expect(second.getByRole('heading', { level: 1, name: 'labels' })).toBeVisible();

  await dropFiles(page, page.getByRole('region', { name: 'Dataset labels' }), [{ name: 'labels.csv', content: 'id,label\n1,cat\n2,dog\n3,bird\n' }]);
  await expect(page.getByText('Version 2 of labels created')).toBeVisible();
  await expect(second.getByRole('region', { name: /History/ }).getByRole('button', { name: /Show version/ })).toHaveCount(2);
  // It was following the latest version, so it moves to v2.
  await expect(second.getByRole('cell', { name: 'bird' })).toBeVisible();
});
