import { expect, screenshotPath, test } from '../support/lathe-server.ts';

// A common laptop screen: the size most people will first see Lathe at.
test.use({ viewport: { width: 1440, height: 900 } });

test('an empty workspace invites a first dataset, and one click imports the sample', async ({ page, lathe }) => {
  await page.goto(lathe.url);

  // The token leaves the address bar; the workspace stays in it.
  await expect(page.getByRole('heading', { name: 'Bring in your first dataset' })).toBeVisible();
  expect(page.url()).not.toContain('token=');
  expect(new URL(page.url()).searchParams.get('workspace')).toBe(lathe.workspace);
  await expect(page.getByRole('banner').getByText(lathe.workspace)).toBeVisible();
  await page.screenshot({ path: screenshotPath('01-empty-workspace'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('01b-empty-workspace-dark'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });

  await page.getByRole('button', { name: 'Import sample data' }).click();

  await expect(page.getByText('Version 1 of penguins created')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'penguins' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^penguins/ })).toHaveAttribute('aria-current', 'true');

  // The preview: column names with their types, the first rows, missing values marked.
  const preview = page.getByRole('region', { name: /rows of penguins/ });
  await expect(preview.getByRole('columnheader', { name: /Species/ })).toBeVisible();
  await expect(preview.getByRole('columnheader', { name: /Beak Length \(mm\)/ })).toContainText('number');
  await expect(preview.getByRole('cell', { name: 'Adelie' }).first()).toBeVisible();
  await expect(preview.getByText('null').first()).toBeVisible();
  await expect(page.getByRole('table').first().getByRole('row')).toHaveCount(2); // history: header + v1
  await page.screenshot({ path: screenshotPath('02-sample-preview'), animations: 'disabled' });

  // The profile: a card per column with missing share, statistics and top values.
  await page.getByRole('tab', { name: /Profile/ }).click();
  const species = page.getByRole('article', { name: 'Species' });
  await expect(species).toContainText('Top values');
  await expect(species).toContainText('Adelie');
  const bodyMass = page.getByRole('article', { name: 'Body Mass (g)' });
  await expect(bodyMass).toContainText('Mean');
  await expect(bodyMass).toContainText('Missing');
  // Numeric columns show their distribution as a histogram, not a list of top values.
  await expect(bodyMass.getByRole('img', { name: /^Histogram of Body Mass \(g\): \d+ bins? from/ })).toBeVisible();
  await expect(bodyMass).not.toContainText('Top values');
  await expect(species.getByRole('img', { name: /^Histogram/ })).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('03-sample-profile'), animations: 'disabled' });

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('04-sample-profile-dark'), animations: 'disabled' });
  await page.getByRole('tab', { name: /Preview/ }).click();
  await page.screenshot({ path: screenshotPath('05-sample-preview-dark'), animations: 'disabled' });
});
