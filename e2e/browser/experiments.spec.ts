import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, screenshotPath, test, type LatheServer } from '../support/lathe-server.ts';

/**
 * The Experiments area, driven as a person would, on runs made by the real core: three training
 * runs of the sample penguins table (two of its versions) through lathe serve's HTTP API, then a
 * fourth that trains while its page is open.
 */
const samplePenguins = resolve(import.meta.dirname, '../../resources/samples/penguins.csv');

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Call lathe serve the way the page does: JSON, with the session token. */
async function call<T>(lathe: LatheServer, name: string, input: Record<string, unknown>): Promise<T> {
  const origin = new URL(lathe.url).origin;
  const response = await fetch(`${origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${lathe.token}`, origin },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as Result<T>;
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** A second version of penguins: the rows with a missing value left out. */
async function importCompleteRows(lathe: LatheServer): Promise<void> {
  const text = await readFile(samplePenguins, 'utf8');
  const complete = text
    .split('\n')
    .filter((line, index) => index === 0 || (line !== '' && !/(^|,)(NA)?(,|$)/.test(line)))
    .join('\n');
  const origin = new URL(lathe.url).origin;
  const query = new URLSearchParams({ workspace: lathe.workspace, fileName: 'penguins.csv', name: 'penguins', message: 'Only complete rows', importId: 'complete-rows' });
  const response = await fetch(`${origin}/api/upload/datasets:import-upload?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${lathe.token}`, origin },
    body: `${complete}\n`,
  });
  const result = (await response.json()) as Result<unknown>;
  if (!result.ok) throw new Error(`importing the complete rows failed: ${result.error.message}`);
}

interface Started {
  runId: string;
}

async function train(lathe: LatheServer, knobs: Record<string, unknown>): Promise<string> {
  const { runId } = await call<Started>(lathe, 'training:start', { workspace: lathe.workspace, dataset: 'penguins', target: 'Species', seed: 7, ...knobs });
  await call(lathe, 'training:wait', { workspace: lathe.workspace, runId });
  return runId;
}

test('runs listed, filtered, opened, compared and explained; a run followed live as it trains', async ({ page, lathe }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(lathe.url);
  const nav = page.getByRole('navigation', { name: 'Areas' });

  // No runs yet: the page says what a run is and how to make one.
  await nav.getByRole('link', { name: /Experiments/ }).click();
  await expect(page.getByRole('heading', { name: 'No runs yet' })).toBeVisible();
  await expect(page.getByText('lathe train --dataset penguins --target Species')).toBeVisible();
  await page.screenshot({ path: screenshotPath('50-experiments-empty'), animations: 'disabled' });

  // Three runs through the real core: penguins v1 and v2 (complete rows only), MLP and linear.
  await call(lathe, 'datasets:import-sample', { workspace: lathe.workspace, importId: 'sample' });
  await importCompleteRows(lathe);
  const first = await train(lathe, { version: 1, model: 'mlp', hidden: [16], learningRate: 0.01, epochs: 12, runName: 'mlp-small-v1' });
  const second = await train(lathe, { version: 2, model: 'mlp', hidden: [32, 16], learningRate: 0.003, epochs: 12, runName: 'mlp-wide-v2' });
  const third = await train(lathe, { version: 2, model: 'linear', learningRate: 0.05, epochs: 12, runName: 'linear-v2' });

  // They appear as they are made (main's events), without a reload.
  const table = page.getByRole('grid', { name: 'Runs' });
  await expect(table.getByRole('row', { name: /mlp-small-v1/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /linear-v2/ })).toBeVisible();
  await expect(page.getByText('3 runs', { exact: true })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: /val_accuracy/ })).toBeVisible();
  await page.screenshot({ path: screenshotPath('51-runs-table'), animations: 'disabled' });

  // A filter main cannot read: the error says where, under the box.
  const filter = page.getByRole('textbox', { name: 'Filter runs' });
  await filter.fill("metrics.val_accuracy > high AND params.model = 'mlp'");
  await filter.press('Enter');
  const problem = page.getByRole('alert');
  await expect(problem).toContainText('Character 24');
  await expect(problem).toContainText('a number');
  await expect(problem.locator('mark')).toHaveText('high');
  await expect(table.getByRole('row', { name: /linear-v2/ })).toBeVisible();
  await page.screenshot({ path: screenshotPath('52-filter-error'), animations: 'disabled' });

  // A good one, with OR and parentheses (which MLflow lacks).
  await filter.fill("(params.model = 'mlp' AND metrics.val_accuracy >= 0) OR params.learningRate = '0.05'");
  await filter.press('Enter');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByText('3 runs', { exact: true })).toBeVisible();
  await filter.fill("params.model = 'mlp'");
  await filter.press('Enter');
  await expect(page.getByText('2 runs', { exact: true })).toBeVisible();
  await expect(table.getByRole('row', { name: /linear-v2/ })).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('53-filter-mlp'), animations: 'disabled' });
  await page.getByRole('button', { name: 'Clear the filter' }).click();
  await expect(page.getByText('3 runs', { exact: true })).toBeVisible();

  // Sorting by a column.
  await table.getByRole('button', { name: /Run$/ }).click();
  await expect(table.getByRole('columnheader', { name: /Run/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(table.getByRole('row').nth(1)).toContainText('linear-v2');

  // A run's page: status, params, data, curves and its evaluation on the test split.
  await table.getByRole('link', { name: 'mlp-wide-v2' }).click();
  await expect(page).toHaveURL(new RegExp(`#/experiments/run/${second}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'mlp-wide-v2' })).toBeVisible();
  await expect(page.getByText('Finished', { exact: true })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'loss by step' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'accuracy by step' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'loss by step' }).locator('.recharts-line-curve')).toHaveCount(2);
  await expect(page.getByRole('link', { name: 'penguins@2' })).toBeVisible();
  await expect(page.getByText('Accuracy', { exact: true })).toBeVisible();
  const matrix = page.getByRole('table', { name: 'Confusion matrix' });
  await expect(matrix.getByRole('columnheader', { name: 'Gentoo' })).toBeVisible();
  await expect(page.getByRole('table').filter({ hasText: 'Macro average' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('54-run-page'), fullPage: true, animations: 'disabled' });
  // Reload keeps the run (its id is in the address).
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'mlp-wide-v2' })).toBeVisible();
  await page.goBack();
  await expect(table).toBeVisible();

  // Three runs ticked → Compare.
  for (const name of ['mlp-small-v1', 'mlp-wide-v2', 'linear-v2']) await table.getByRole('checkbox', { name: `Select ${name}` }).check();
  await page.getByRole('button', { name: 'Compare 3' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Comparing 3 runs' })).toBeVisible();
  for (const metric of ['loss', 'val_loss', 'accuracy', 'val_accuracy']) {
    await expect(page.locator(`figure.compare-chart[data-metric="${metric}"]`)).toHaveAttribute('data-state', 'drawn');
    await expect(page.locator(`figure.compare-chart[data-metric="${metric}"] path.compare-chart__line`)).toHaveCount(3);
  }
  await page.screenshot({ path: screenshotPath('55-compare-curves'), animations: 'disabled' });

  // Params: only what differs.
  await page.getByRole('tab', { name: 'Params' }).click();
  const params = page.getByRole('region', { name: 'Params side by side' });
  await expect(params.getByRole('row', { name: /^seed/ })).toBeVisible();
  await params.getByRole('switch', { name: 'Show only what differs' }).check();
  await expect(params.getByRole('row', { name: /^seed/ })).toHaveCount(0);
  await expect(params.getByRole('row', { name: /^learningRate/ })).toBeVisible();
  await expect(params.getByRole('row', { name: /^dataset penguins/ })).toContainText('penguins@1');
  await page.screenshot({ path: screenshotPath('56-compare-params-differ'), animations: 'disabled' });

  await page.getByRole('tab', { name: 'Parallel coordinates' }).click();
  await expect(page.getByRole('img', { name: /Params against val_accuracy/ })).toBeVisible();
  await expect(page.locator('.parallel__line')).toHaveCount(3);
  await page.screenshot({ path: screenshotPath('57-parallel-coordinates'), animations: 'disabled' });

  await page.getByRole('tab', { name: 'Confusion matrices' }).click();
  await expect(page.getByRole('table', { name: /Confusion matrix of / })).toHaveCount(3);
  await page.screenshot({ path: screenshotPath('58-confusion-matrices'), animations: 'disabled' });

  // Why did these differ: params, the data between penguins v1 and v2, code and environment.
  await page.getByRole('tab', { name: 'Why did these differ' }).click();
  const why = page.getByRole('region', { name: 'Why did these differ' });
  await expect(why.getByRole('region', { name: 'Params' })).toContainText('learningRate');
  await expect(why.getByRole('region', { name: 'Params' })).toContainText('0.003');
  const data = why.getByRole('region', { name: 'Data' });
  await expect(data).toContainText('v1 → v2');
  await expect(data).toContainText('344');
  await expect(data).toContainText('334');
  await expect(why.getByRole('region', { name: 'Code and environment' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('59-why-differ'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('tab', { name: 'Curves' }).click();
  await expect(page.locator('figure.compare-chart[data-metric="loss"]')).toHaveAttribute('data-state', 'drawn');
  await page.screenshot({ path: screenshotPath('60-compare-dark'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });

  // A run followed live: its page opens while it trains, the curves grow, Cancel stops it.
  const { runId: live } = await call<Started>(lathe, 'training:start', {
    workspace: lathe.workspace,
    dataset: 'penguins',
    target: 'Species',
    model: 'mlp',
    // Long enough that it is still training whatever the machine's load: Cancel ends it.
    epochs: 10_000,
    batchSize: 8,
    earlyStoppingPatience: 0,
    runName: 'mlp-long',
  });
  await page.evaluate((runId) => {
    window.location.hash = `#/experiments/run/${runId}`;
  }, live);
  await expect(page.getByRole('heading', { level: 1, name: 'mlp-long' })).toBeVisible();
  await expect(page.getByText('Running', { exact: true })).toBeVisible();
  const lossPlot = page.getByRole('figure', { name: 'loss by step' }).locator('.metric-chart__plot');
  await expect.poll(async () => Number(await lossPlot.getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(3);
  const seen = Number(await lossPlot.getAttribute('data-points'));
  await expect.poll(async () => Number(await lossPlot.getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(seen + 3);
  await page.screenshot({ path: screenshotPath('61-run-live'), animations: 'disabled' });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Killed', { exact: true })).toBeVisible();
  await page.screenshot({ path: screenshotPath('62-run-cancelled'), animations: 'disabled' });

  // Reproduce a finished run: trained again with the same data, knobs and seed, and checked.
  await page.evaluate((runId) => {
    window.location.hash = `#/experiments/run/${runId}`;
  }, first);
  await expect(page.getByRole('heading', { level: 1, name: 'mlp-small-v1' })).toBeVisible();
  await page.getByRole('button', { name: 'Reproduce' }).click();
  const reproduction = page.getByRole('region', { name: /^Reproduction/ });
  await expect(reproduction).toContainText('Training the reproduction');
  await expect(reproduction).toContainText('Reproduced exactly', { timeout: 60_000 });
  await expect(reproduction.getByRole('row', { name: /test_accuracy/ })).toContainText('yes');
  await page.screenshot({ path: screenshotPath('63-reproduced'), fullPage: true, animations: 'disabled' });
  expect(new Set([first, second, third, live]).size).toBe(4);
});
