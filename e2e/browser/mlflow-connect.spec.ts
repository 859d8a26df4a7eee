import { expect, screenshotPath, test } from '../support/lathe-server.ts';

/**
 * "Log from your code": a user opens the panel on the Experiments page, copies the two export
 * lines, and their own code (here Node's fetch, speaking MLflow's REST protocol as Python's
 * mlflow does with those two variables set) logs a run, which appears in the runs table.
 */
test('the panel gives a tracking URI and token that an outside MLflow client logs a run with, and the run appears in the table', async ({ page, lathe, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(lathe.url).origin });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(lathe.url);
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: /Experiments/ }).click();

  // Wait for the page to know there are no runs yet: until then it shows the runs toolbar, whose
  // own button (and a dialog it opened) goes away when the empty page replaces it.
  await expect(page.getByRole('heading', { name: 'No runs yet' })).toBeVisible();
  await page.getByRole('button', { name: 'Log from your code' }).click();
  const panel = page.getByRole('dialog', { name: 'Log from your code' });
  const environment = panel.getByRole('region', { name: 'Environment' });
  await expect(environment).toContainText(`export MLFLOW_TRACKING_URI=${new URL(lathe.url).origin}`);
  // The token stays masked on screen until asked for.
  await expect(environment).not.toContainText(lathe.token);
  await expect(panel.getByRole('region', { name: 'Python' })).toContainText('mlflow.set_experiment("my-experiment")');
  await expect(panel.getByTestId('mlflow-connect-hint')).toContainText('Runs logged this way appear in this table.');
  // Under lathe serve the token is the session's own: the panel says what else it opens.
  await expect(panel.getByTestId('mlflow-connect-hint')).toContainText('it also opens the whole workspace and runs commands');
  await page.screenshot({ path: screenshotPath('140-mlflow-connect'), animations: 'disabled' });

  await panel.getByRole('button', { name: 'Show token' }).click();
  await expect(environment).toContainText(`export MLFLOW_TRACKING_TOKEN=${lathe.token}`);
  await panel.getByRole('button', { name: 'Copy environment' }).click();
  await expect(panel.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const variables = Object.fromEntries(copied.split('\n').map((line) => line.replace(/^export /, '').split('=', 2) as [string, string]));
  expect(Object.keys(variables)).toEqual(['MLFLOW_TRACKING_URI', 'MLFLOW_TRACKING_TOKEN']);
  await panel.getByRole('button', { name: 'Close' }).click();

  // The user's code, with only what was copied.
  const mlflow = async (path: string, body: unknown) => {
    const response = await fetch(`${variables.MLFLOW_TRACKING_URI}/api/2.0/mlflow/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${variables.MLFLOW_TRACKING_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
  const { experiment_id } = (await mlflow('experiments/create', { name: 'my-experiment' })) as { experiment_id: string };
  const { run } = await mlflow('runs/create', { experiment_id, run_name: 'from-my-notebook', start_time: Date.now() });
  const runId = (run as { info: { run_id: string } }).info.run_id;
  await mlflow('runs/log-batch', { run_id: runId, params: [{ key: 'learning_rate', value: '0.01' }], metrics: [{ key: 'loss', value: 0.42, timestamp: Date.now(), step: 1 }] });
  await mlflow('runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });

  const table = page.getByRole('grid', { name: 'Runs' });
  await expect(table.getByRole('row', { name: /from-my-notebook/ })).toBeVisible();
  await page.screenshot({ path: screenshotPath('141-mlflow-run-in-table'), animations: 'disabled' });
});
