import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, screenshotPath, test, type LatheServer } from '../support/lathe-server.ts';

/**
 * "Run a script": a person's own training script, started from the Experiments page, tracked as
 * a run. The script (written here into the workspace) speaks MLflow's REST protocol with nothing
 * but fetch, as a script using MLflow's client would: it logs its params and a metric per epoch,
 * prints as it goes, and then waits for a file the test writes, so the run is watched while it
 * is RUNNING without any timing in the test. Then it is compared with a built-in training run.
 */
const TRAIN_SCRIPT = `
import { existsSync } from 'node:fs';
const { MLFLOW_TRACKING_URI: uri, MLFLOW_TRACKING_TOKEN: token, MLFLOW_RUN_ID: run_id } = process.env;
const post = async (path, body) => {
  const response = await fetch(uri + '/api/2.0/mlflow/' + path, { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' }, body: JSON.stringify({ run_id, ...body }) });
  if (!response.ok) throw new Error(path + ' answered ' + response.status + ': ' + (await response.text()));
};
const lr = Number(process.argv[process.argv.indexOf('--lr') + 1]);
await post('runs/log-batch', { params: [{ key: 'lr', value: String(lr) }, { key: 'model', value: 'node-logistic' }] });
let loss = 1.2;
for (let epoch = 1; epoch <= 12; epoch++) {
  loss = loss * (1 - lr * 4);
  const accuracy = 1 - loss / 2;
  await post('runs/log-batch', { metrics: [
    { key: 'loss', value: loss, timestamp: Date.now(), step: epoch },
    { key: 'val_accuracy', value: accuracy, timestamp: Date.now(), step: epoch },
  ] });
  console.log('epoch ' + epoch + ': loss ' + loss.toFixed(4) + '  val_accuracy ' + accuracy.toFixed(3));
}
console.error('waiting for the file "finish"');
while (!existsSync('finish')) await new Promise((resolve) => setTimeout(resolve, 100));
console.log('done');
`;

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

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

test('a script started from the dialog streams its log and metrics, finishes, and compares with a built-in run', async ({ page, lathe }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });

  // A built-in training run to compare with, and the user's script in the workspace.
  await call(lathe, 'datasets:import-sample', { workspace: lathe.workspace, importId: 'sample' });
  const { runId: builtIn } = await call<{ runId: string }>(lathe, 'training:start', { workspace: lathe.workspace, dataset: 'penguins', target: 'Species', model: 'linear', epochs: 12, seed: 7, runName: 'built-in-linear' });
  await call(lathe, 'training:wait', { workspace: lathe.workspace, runId: builtIn });
  await writeFile(join(lathe.workspace, 'train.mjs'), TRAIN_SCRIPT);

  await page.goto(lathe.url);
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: /Experiments/ }).click();
  const table = page.getByRole('grid', { name: 'Runs' });
  await expect(table.getByRole('row', { name: /built-in-linear/ })).toBeVisible();

  // The dialog: a command line split into words as typed; what needs a shell is refused, saying why.
  await page.getByRole('button', { name: 'Run a script…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run a script' });
  const command = dialog.getByRole('textbox', { name: 'Command' });
  await command.fill('node train.mjs --lr 0.05 | tee log.txt');
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog.getByText(/“\|” at character 26 needs a shell/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('120-script-dialog-refused'), animations: 'disabled' });

  // A program that is not there: main says so, and nothing is recorded.
  await command.fill('nodejs-not-installed train.mjs');
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog.getByRole('alert')).toContainText('The program "nodejs-not-installed" was not found on PATH; nothing was run and no run was recorded.');
  await page.screenshot({ path: screenshotPath('121-script-dialog-not-found'), animations: 'disabled' });

  await command.fill("node train.mjs --lr 0.05 --note 'first try'");
  await expect(dialog.getByLabel('The words the program gets').locator('code')).toHaveText(['node', 'train.mjs', '--lr', '0.05', '--note', 'first try']);
  await dialog.getByRole('combobox', { name: 'Experiment' }).fill('scripts');
  await dialog.getByRole('textbox', { name: 'Run name (optional)' }).fill('node-script');
  await page.screenshot({ path: screenshotPath('122-script-dialog'), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Start' }).click();

  // Its page: the output as it prints, the metrics as they are logged, while it runs.
  await expect(page.getByRole('heading', { level: 1, name: 'node-script' })).toBeVisible();
  await expect(page.getByText('Running', { exact: true })).toBeVisible();
  const output = page.getByLabel('Script output');
  await expect(output).toContainText('epoch 12: loss', { timeout: 60_000 });
  await expect(output).toContainText('waiting for the file "finish"');
  const lossPlot = page.getByRole('figure', { name: 'loss by step' }).locator('.metric-chart__plot');
  await expect.poll(async () => Number(await lossPlot.getAttribute('data-points')), { timeout: 60_000 }).toBe(12);
  await expect(page.getByText("node train.mjs --lr 0.05 --note 'first try'", { exact: true })).toBeVisible();
  await page.screenshot({ path: screenshotPath('123-script-run-live'), fullPage: true, animations: 'disabled' });

  // Let it finish: FINISHED, with its exit code and the whole log.
  await writeFile(join(lathe.workspace, 'finish'), '');
  await expect(page.getByText('Finished', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(output).toContainText('done');
  await expect(page.getByText('code 0', { exact: true })).toBeVisible();
  await page.screenshot({ path: screenshotPath('124-script-run-finished'), fullPage: true, animations: 'disabled' });

  // Beside the built-in run: the same metric keys on the same charts.
  await page.getByRole('link', { name: 'Runs' }).first().click();
  for (const name of ['built-in-linear', 'node-script']) await table.getByRole('checkbox', { name: `Select ${name}` }).check();
  await page.getByRole('button', { name: 'Compare 2' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Comparing 2 runs' })).toBeVisible();
  for (const metric of ['loss', 'val_accuracy']) {
    await expect(page.locator(`figure.compare-chart[data-metric="${metric}"]`)).toHaveAttribute('data-state', 'drawn');
    await expect(page.locator(`figure.compare-chart[data-metric="${metric}"] path.compare-chart__line`)).toHaveCount(2);
  }
  await page.screenshot({ path: screenshotPath('125-script-vs-built-in'), animations: 'disabled' });

  // One that waits forever: Cancel stops it (and what it started); the run is KILLED.
  await rm(join(lathe.workspace, 'finish'));
  await page.getByRole('link', { name: 'Runs' }).first().click();
  await page.getByRole('button', { name: 'Run a script…' }).click();
  await page.getByRole('dialog', { name: 'Run a script' }).getByRole('textbox', { name: 'Command' }).fill('node train.mjs --lr 0.01');
  await page.getByRole('dialog', { name: 'Run a script' }).getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'train.mjs' })).toBeVisible();
  await expect(output).toContainText('waiting for the file "finish"', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Killed', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^Stopped: Cancelled after .* was stopped by SIGTERM\.$/)).toBeVisible();
  await expect(page.getByText('ended by SIGTERM', { exact: true })).toBeVisible();
  await page.screenshot({ path: screenshotPath('126-script-run-cancelled'), fullPage: true, animations: 'disabled' });
});
