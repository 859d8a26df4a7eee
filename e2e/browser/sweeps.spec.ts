import { expect, screenshotPath, test } from '../support/lathe-server.ts';

test('a user starts a small sweep of the MLP from the Sweeps tab, watches its trials fill the chart, and opens the best run', async ({ page, lathe }) => {
  test.setTimeout(240_000);
  await page.goto(lathe.url);
  await page.getByRole('button', { name: 'Import sample data' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'penguins' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: /Experiments/ }).click();
  await page.getByRole('navigation', { name: 'Experiments' }).getByRole('link', { name: 'Sweeps' }).click();
  await expect(page).toHaveURL(/#\/experiments\/sweeps$/);
  // No sweep yet: the form is there at once, filled from the workspace's data.
  const form = page.getByRole('region', { name: 'New sweep' });
  await expect(form.getByLabel('Dataset')).toHaveValue('penguins');
  await form.getByLabel('Predict').selectOption('Species');
  await expect(form.getByLabel('Metric')).toContainText('val_accuracy');

  // Four trials of the MLP, two epochs each: a grid over two learning rates × two shapes.
  await form.getByLabel('Name').fill('penguins lr × shape');
  await form.getByLabel('Metric').selectOption('val_accuracy');
  await expect(form.getByLabel('Goal')).toHaveValue('maximize');
  await form.getByLabel('Epochs per trial').fill('2');
  await form.getByLabel('Search').selectOption('grid');
  await form.getByLabel('learningRate: values or a range').selectOption('values');
  await form.getByLabel('learningRate values').fill('0.03, 0.003');
  await form.getByRole('button', { name: 'Add a param' }).click();
  await form.locator('[data-param="epochs"]').getByLabel('Param').selectOption('hidden');
  await form.getByLabel('hidden values').fill('8; 16,8');
  await form.getByLabel('Run cap').fill('0');
  await form.getByLabel('In parallel').fill('2');

  // A mistake is shown at its field, and nothing starts.
  await form.getByRole('button', { name: 'Start sweep' }).click();
  await expect(form.getByRole('alert').filter({ hasText: 'runCap is at least 1' })).toBeVisible();
  await expect(form.getByRole('button', { name: 'Start sweep' })).toBeDisabled();
  await page.screenshot({ path: screenshotPath('130-sweep-form-problem'), animations: 'disabled' });
  await form.getByLabel('Run cap').fill('');

  // The same spec as JSON: a pasted mistake is named at its JSON path.
  await form.getByRole('tab', { name: 'JSON' }).click();
  const json = form.getByRole('textbox', { name: 'Sweep spec (JSON)' });
  await expect(json).toHaveValue(/"hidden": \{\s*"values": \[\s*\[\s*8\s*\],/);
  const spec = await json.inputValue();
  await json.fill(spec.replace('"parallel": 2', '"parallel": 0'));
  await expect(form.getByRole('list', { name: 'Problems' })).toContainText('parallel parallel is at least 1');
  await page.screenshot({ path: screenshotPath('131-sweep-json-problem'), animations: 'disabled' });
  await json.fill(spec);
  await expect(form.getByText('The spec is valid.')).toBeVisible();
  await form.getByRole('button', { name: 'Start sweep' }).click();

  // The sweep's page: progress, then the four trials' lines in the chart.
  await expect(page).toHaveURL(/#\/experiments\/sweeps\/sweep-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
  await expect(page.getByRole('heading', { level: 2, name: 'penguins lr × shape' })).toBeVisible();
  const chart = page.getByRole('region', { name: 'Trials in parallel coordinates' });
  await expect(chart.locator('path[data-trial]').first()).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: screenshotPath('132-sweep-running'), animations: 'disabled' });
  await expect(page.getByTestId('sweep-counts')).toContainText('4 of 4 trials ended', { timeout: 180_000 });
  await expect(page.locator('.sweep-status').first()).toHaveText('Finished');
  await expect(chart.locator('path[data-trial]')).toHaveCount(4);
  await expect(chart.locator('[data-axis]')).toHaveCount(3);
  const trials = page.getByRole('table', { name: 'Trials' });
  await expect(trials.getByRole('row')).toHaveCount(5);
  await expect(trials).not.toContainText('Running');
  await page.screenshot({ path: screenshotPath('133-sweep-finished'), animations: 'disabled' });

  // Hovering a line picks its trial out (the pointer goes to a point on the line, near its first axis).
  const onLine = (trial: number) =>
    chart.locator(`path[data-hit="${trial}"]`).evaluate((path: SVGPathElement) => {
      const point = path.getPointAtLength(path.getTotalLength() * 0.1);
      const matrix = path.getScreenCTM()!;
      return { x: point.x * matrix.a + matrix.e, y: point.y * matrix.d + matrix.f };
    });
  const third = await onLine(3);
  await page.mouse.move(third.x, third.y);
  await expect(chart.getByText(/^Trial #3 · learningRate 0\.003 · hidden 8 → val_accuracy/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('134-sweep-hover'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('135-sweep-finished-dark'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });

  // The best run so far is a link to its run page; so is a line in the chart.
  const best = page.getByRole('region', { name: 'Best run so far' });
  await expect(best).toContainText(/Trial #\d val_accuracy \d/);
  await best.getByRole('link').click();
  await expect(page).toHaveURL(/#\/experiments\/run\/[0-9a-f]{32}$/);
  await expect(page.getByRole('heading', { level: 1, name: /^penguins lr × shape #\d/ })).toBeVisible();
  await page.goBack();
  const first = await onLine(1);
  await page.mouse.click(first.x, first.y);
  await expect(page).toHaveURL(/#\/experiments\/run\/[0-9a-f]{32}$/);

  // The sweep is listed in the tab after a reload (main keeps it).
  await page.goto(`${lathe.url}#/experiments/sweeps`);
  await expect(page.getByRole('list', { name: 'Sweeps' })).toContainText('penguins lr × shape');
});
