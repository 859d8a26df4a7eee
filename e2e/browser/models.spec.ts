import { readFile } from 'node:fs/promises';
import { expect, screenshotPath, test, type LatheServer } from '../support/lathe-server.ts';

/**
 * The Models area, driven as a person would, on runs made by the real training: two runs of the
 * sample penguins table (set up through lathe serve's HTTP API, as a script would), both
 * registered from their run pages, then lineage, the model card, aliases and promotion.
 */

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

async function train(lathe: LatheServer, knobs: Record<string, unknown>): Promise<string> {
  const { runId } = await call<{ runId: string }>(lathe, 'training:start', { workspace: lathe.workspace, dataset: 'penguins', target: 'Species', seed: 7, ...knobs });
  await call(lathe, 'training:wait', { workspace: lathe.workspace, runId });
  return runId;
}

test('two runs registered from their pages; lineage, the model card, aliases and promotion on the Models page', async ({ page, lathe }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(lathe.url);
  const nav = page.getByRole('navigation', { name: 'Areas' });

  // No models yet: the page says what a registered model is and the two ways to make one.
  await nav.getByRole('link', { name: /Models/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'No models yet' })).toBeVisible();
  await expect(page.getByText('lathe models register RUN_ID --name NAME')).toBeVisible();
  await page.screenshot({ path: screenshotPath('70-models-empty'), animations: 'disabled' });

  await call(lathe, 'datasets:import-sample', { workspace: lathe.workspace, importId: 'sample' });
  const first = await train(lathe, { model: 'mlp', hidden: [16], learningRate: 0.01, epochs: 15, runName: 'mlp-first' });
  const second = await train(lathe, { model: 'linear', learningRate: 0.0005, epochs: 1, runName: 'linear-weak' });

  // Register the first run's model from its page, as a new model.
  await page.evaluate((runId) => (window.location.hash = `#/experiments/run/${runId}`), first);
  await expect(page.getByRole('heading', { level: 1, name: 'mlp-first' })).toBeVisible();
  await page.getByRole('button', { name: 'Register model…' }).click();
  let dialog = page.getByRole('dialog', { name: 'Register model' });
  const nameField = dialog.getByLabel('Model');
  await nameField.fill('CON');
  await dialog.getByRole('button', { name: 'Register' }).click();
  await expect(dialog.getByText(/device names on Windows/)).toBeVisible();
  await nameField.fill('penguin-species');
  await expect(dialog.getByText('A new model, penguin-species; this run becomes penguin-species@1.')).toBeVisible();
  await dialog.getByLabel('Description (optional)').fill('An MLP on every measurement.');
  await page.screenshot({ path: screenshotPath('71-register-model'), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Register' }).click();
  dialog = page.getByRole('dialog', { name: 'Model registered' });
  await expect(dialog.getByRole('heading', { name: 'Registered penguin-species@1' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The second run becomes the next version of the same model, and its link opens it.
  await page.evaluate((runId) => (window.location.hash = `#/experiments/run/${runId}`), second);
  await expect(page.getByRole('heading', { level: 1, name: 'linear-weak' })).toBeVisible();
  await page.getByRole('button', { name: 'Register model…' }).click();
  dialog = page.getByRole('dialog', { name: 'Register model' });
  await dialog.getByLabel('Model').fill('penguin-species');
  await expect(dialog.getByText('Becomes penguin-species@2, the next version of penguin-species.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('dialog', { name: 'Model registered' }).getByRole('link', { name: 'Open penguin-species@2' }).click();

  // The version's page: lineage from the dataset version to this version, every step a link.
  await expect(page).toHaveURL(/#\/models\/penguin-species\/2$/);
  await expect(page.getByRole('heading', { level: 1, name: 'penguin-species@2' })).toBeVisible();
  const lineage = page.getByRole('list', { name: 'Lineage' });
  await expect(lineage.getByRole('link', { name: 'penguins@1' })).toBeVisible();
  await expect(lineage.getByRole('link', { name: 'linear-weak' })).toHaveAttribute('href', `#/experiments/run/${second}`);
  await expect(lineage.getByRole('button', { name: "Copy the run's commit" })).toBeVisible();
  const card = page.getByRole('region', { name: 'Model card' });
  await expect(card.getByRole('table', { name: 'Test metrics' })).toContainText('accuracy');
  await expect(card.getByRole('table', { name: 'Signature' })).toContainText('Adelie');
  await page.screenshot({ path: screenshotPath('72-model-version'), fullPage: true, animations: 'disabled' });
  // Each step opens where that thing lives: the run in Experiments, the dataset version in Datasets.
  await lineage.getByRole('link', { name: 'linear-weak' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'linear-weak' })).toBeVisible();
  await page.goBack();
  await lineage.getByRole('link', { name: 'penguins@1' }).click();
  await expect(page).toHaveURL(/#\/datasets/);
  await expect(page.getByRole('heading', { level: 1, name: 'penguins' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'penguin-species@2' })).toBeVisible();

  // Edit what only a person knows; it is saved as a commit and shows in the history.
  await card.getByRole('button', { name: 'Edit the card…' }).click();
  const form = card.getByRole('form', { name: 'Edit the model card' });
  await form.getByLabel('Intended use').fill('Telling Adelie, Chinstrap and Gentoo penguins apart from field measurements.');
  await form.getByLabel('Limitations').fill('Trained on three islands of the Palmer Archipelago only.');
  await page.screenshot({ path: screenshotPath('73-model-card-edit'), animations: 'disabled' });
  await form.getByRole('button', { name: 'Save the card' }).click();
  await expect(card.getByText('Trained on three islands of the Palmer Archipelago only.')).toBeVisible();
  const history = page.getByRole('list', { name: 'History' });
  await expect(history.getByRole('listitem')).toHaveCount(3);
  await expect(history.getByRole('listitem').first()).toContainText('Edit penguin-species@2: intendedUse, limitations');

  // Export Markdown: the card as main writes it, with what was just written.
  const download = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Export Markdown' }).click();
  const markdown = await readFile((await (await download).path())!, 'utf8');
  expect(markdown).toContain('Telling Adelie, Chinstrap and Gentoo penguins apart');
  expect((await download).suggestedFilename()).toBe('penguin-species-v2-model-card.md');

  // An alias: point challenger here, then move it to version 1.
  const aliases = page.getByRole('region', { name: 'Aliases' });
  const aliasField = aliases.getByLabel('Point an alias here');
  await aliasField.fill('Latest!');
  await expect(aliases.getByText(/is not an alias name/)).toBeVisible();
  // From the keyboard: type the alias and press Enter.
  await aliasField.fill('challenger');
  await aliasField.press('Enter');
  await expect(aliases.getByRole('button', { name: 'Remove the alias challenger' })).toBeVisible();
  await page.getByRole('link', { name: 'penguin-species', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'penguin-species' })).toBeVisible();
  const versions = page.getByRole('table', { name: 'Versions' });
  await expect(versions.getByRole('row', { name: /penguin-species@2/ })).toContainText('@challenger');
  await expect(versions.getByRole('row', { name: /penguin-species@1/ })).toContainText('mlp-first');
  await page.screenshot({ path: screenshotPath('74a-model-versions'), animations: 'disabled' });
  // The gate spec, every default spelled out; a spec that does not check is refused, saying where.
  const spec = page.getByRole('region', { name: 'Gate spec' });
  await expect(spec).toContainText('"floor": 0.7');
  await spec.getByRole('button', { name: 'Edit the gate spec…' }).click();
  const specText = spec.getByLabel('gates.json');
  await specText.fill((await specText.inputValue()).replace('"minRows": 30', '"minRows": "thirty"'));
  await spec.getByRole('button', { name: 'Save the gate spec' }).click();
  await expect(spec.getByRole('alert')).toContainText('minRows');
  await page.screenshot({ path: screenshotPath('74b-gate-spec-refused'), fullPage: true, animations: 'disabled' });
  await spec.getByRole('button', { name: 'Cancel' }).click();
  // The model's own description, edited in place.
  await page.getByRole('button', { name: 'Edit description…' }).click();
  const describe = page.getByRole('form', { name: 'Edit the description of penguin-species' });
  await describe.getByLabel('Description').fill('Penguin species from field measurements.');
  await describe.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.model-header').getByText('Penguin species from field measurements.')).toBeVisible();
  await versions.getByRole('link', { name: 'penguin-species@1' }).click();
  await aliases.getByLabel('Point an alias here').fill('challenger');
  await expect(aliases.getByText('Moves @challenger from version 2 to this one.')).toBeVisible();
  await aliases.getByRole('button', { name: 'Move here' }).click();
  await expect(aliases.getByRole('button', { name: 'Remove the alias challenger' })).toBeVisible();

  // Promote version 1 to champion: its checks pass, and the history says so.
  await page.getByRole('button', { name: 'Promote to champion…' }).click();
  dialog = page.getByRole('dialog', { name: 'Promote penguin-species@1 to champion' });
  await dialog.getByRole('button', { name: 'Check and promote' }).click();
  await expect(dialog.getByText('penguin-species@1 is champion.')).toBeVisible({ timeout: 120_000 });
  await page.screenshot({ path: screenshotPath('74-promoted'), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.locator('.model-header').getByText('@champion')).toBeVisible();
  await expect(history.getByRole('listitem').first()).toContainText(/champion/);
  await page.screenshot({ path: screenshotPath('75-version-champion'), fullPage: true, animations: 'disabled' });

  // Gates for version 2 against the champion: the weak linear model passes some checks and fails its slices.
  await page.getByRole('link', { name: 'penguin-species', exact: true }).click();
  await page.getByRole('table', { name: 'Versions' }).getByRole('link', { name: 'penguin-species@2' }).click();
  const gates = page.getByRole('region', { name: 'Gates' });
  await expect(gates.getByText('The gates have not run on this version yet.')).toBeVisible();
  await gates.getByRole('button', { name: 'Run gates against penguin-species@1' }).click();
  const checks = gates.getByRole('table', { name: 'Checks' });
  await expect(checks).toBeVisible({ timeout: 120_000 });
  await expect(checks.locator('tr[data-status="pass"]').first()).toBeVisible();
  await expect(checks.getByRole('row', { name: /slice/i })).toContainText('Fail');
  await expect(gates.locator('.gate-report')).toHaveAttribute('data-outcome', 'fail');
  await page.screenshot({ path: screenshotPath('77-gate-results'), fullPage: true, animations: 'disabled' });

  // Promoting it is refused, saying why; an override needs a written reason, which the history keeps.
  await page.getByRole('button', { name: 'Promote to champion…' }).click();
  dialog = page.getByRole('dialog', { name: 'Promote penguin-species@2 to champion' });
  await dialog.getByRole('button', { name: 'Check and promote' }).click();
  await expect(dialog.getByText('penguin-species@2 was not promoted to champion: its check failed')).toBeVisible({ timeout: 120_000 });
  await page.screenshot({ path: screenshotPath('78-promote-refused'), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Override…' }).click();
  await dialog.getByRole('button', { name: 'Promote anyway' }).click();
  await expect(dialog.getByText('Write why this version should be champion although its checks failed.')).toBeVisible();
  await dialog.getByLabel('Why promote it anyway?').fill('Demo for the field team: the champion is being retrained.');
  await page.screenshot({ path: screenshotPath('79-promote-override'), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Promote anyway' }).click();
  await expect(dialog.getByText('penguin-species@2 is champion (it was version 1).')).toBeVisible({ timeout: 120_000 });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(history.getByRole('listitem').first()).toContainText('Reason: “Demo for the field team: the champion is being retrained.”');
  await page.screenshot({ path: screenshotPath('79b-overridden-history'), fullPage: true, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('79c-version-dark'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });

  // The list of models: latest version, aliases as chips, description.
  await nav.getByRole('link', { name: /Models/ }).click();
  const models = page.getByRole('table', { name: 'Registered models' });
  const row = models.getByRole('row', { name: /penguin-species/ });
  await expect(row.getByRole('link', { name: 'penguin-species@2' })).toBeVisible();
  await expect(row).toContainText('Penguin species from field measurements.');
  await expect(row.getByTitle('alias champion → version 2')).toHaveText('@championv2');
  await expect(row.getByTitle('alias challenger → version 1')).toHaveText('@challengerv1');
  await page.screenshot({ path: screenshotPath('76-models-list'), animations: 'disabled' });
});
