import { expect, screenshotPath, test } from '../support/lathe-server.ts';

test('a user edits the pipeline, sees a mistake at its line, runs it and watches each step; a failing step stops the run there', async ({ page, lathe }) => {
  test.setTimeout(180_000);
  await page.goto(lathe.url);
  await page.getByRole('button', { name: 'Import sample data' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'penguins' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: /Pipelines/ }).click();
  const editor = page.getByRole('textbox', { name: 'lathe.pipeline.json' });
  // No pipeline yet: a starting point made from the workspace's data, not saved until the user says so.
  await expect(editor).toHaveValue(/"target": "Species"/);
  await expect(page.getByText('a starting point built from your data — not saved yet')).toBeVisible();
  const steps = page.getByRole('list', { name: 'Steps' });
  await expect(steps.getByRole('listitem')).toHaveCount(4);
  await expect(page.getByText('No problems: the pipeline can run.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('80-pipeline-starter'), animations: 'disabled' });

  // A typo in a step reference: the problem names the line and the step ids, and Run waits.
  const starter = await editor.inputValue();
  await editor.fill(starter.replace('"from": "data"', '"from": "dta"').replace('"epochs": 30', '"epochs": 4'));
  const problems = page.getByRole('list', { name: 'Problems' });
  await expect(problems).toContainText('There is no step "dta"; steps are "data", "train", "register", "gates".');
  await expect(problems).toContainText(/line \d+\s*steps\.1\.from/);
  await expect(page.getByRole('button', { name: /Save and run/ })).toBeDisabled();
  await page.screenshot({ path: screenshotPath('81-pipeline-problem'), animations: 'disabled' });

  // Fixed, saved and run: each step goes running → passed, with its duration and what it made.
  await editor.fill((await editor.inputValue()).replace('"from": "dta"', '"from": "data"'));
  await page.getByRole('button', { name: /Save and run/ }).click();
  await expect(page.getByText('saved and committed')).toBeVisible();
  await expect(steps.getByRole('listitem', { name: 'Step train: Running' })).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: screenshotPath('82-pipeline-running'), animations: 'disabled' });
  await expect(steps.getByRole('listitem', { name: 'Step gates: Passed' })).toBeVisible({ timeout: 90_000 });
  for (const id of ['data', 'train', 'register']) await expect(steps.getByRole('listitem', { name: `Step ${id}: Passed` })).toBeVisible();
  // Every line each step logged reached the page, the first ones included.
  await steps.getByRole('listitem', { name: 'Step data: Passed' }).getByRole('button', { name: /^Log/ }).click();
  await expect(page.getByLabel('Log of data')).toContainText('Using penguins@1: 344 rows');
  await steps.getByRole('listitem', { name: 'Step train: Passed' }).getByRole('button', { name: /^Log/ }).click();
  await expect(page.getByLabel('Log of train')).toContainText('epoch 4 of 4');
  await expect(steps.getByRole('listitem', { name: 'Step register: Passed' })).toContainText('penguins@1');
  await steps.getByRole('listitem', { name: 'Step gates: Passed' }).getByRole('button', { name: /^Log/ }).click();
  await expect(page.getByLabel('Log of gates')).toContainText('Worst slice');
  await page.screenshot({ path: screenshotPath('83-pipeline-passed'), animations: 'disabled' });

  // A step that fails: the run is FAILED there, what came before is kept, nothing after runs.
  await editor.fill((await editor.inputValue()).replace('"target": "Species"', '"target": "Wingspan"'));
  await page.getByRole('button', { name: /Save and run/ }).click();
  await expect(steps.getByRole('listitem', { name: 'Step train: Failed' })).toBeVisible({ timeout: 60_000 });
  await expect(steps.getByRole('listitem', { name: 'Step register: Skipped' })).toBeVisible();
  await expect(steps.getByRole('listitem', { name: 'Step data: Passed' })).toBeVisible();
  await expect(steps.getByRole('listitem', { name: 'Step train: Failed' })).toContainText('Wingspan');
  const history = page.getByRole('table', { name: 'Pipeline runs' });
  await expect(history.getByRole('row')).toHaveCount(3);
  await page.screenshot({ path: screenshotPath('84-pipeline-failed'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('85-pipeline-failed-dark'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });

  // The earlier run is still there, whole.
  await history.getByRole('button', { name: 'passed' }).click();
  await expect(steps.getByRole('listitem', { name: 'Step gates: Passed' })).toBeVisible();
  // What a step made is a link to it: the model version it registered opens in Models.
  await steps.getByRole('listitem', { name: 'Step register: Passed' }).getByRole('link', { name: 'penguins@1' }).click();
  await expect(page).toHaveURL(/#\/models\/penguins\/1$/);
});
