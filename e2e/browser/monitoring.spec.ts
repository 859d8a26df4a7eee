import type { Locator, Page } from '@playwright/test';
import { callLathe, expect, screenshotPath, test, type LocalAgent } from '../support/one-agent.ts';

/**
 * Watching a live model, driven as a person would, against `lathe serve` and a real agent on a
 * local port: penguin-species@1 deployed to edge-1 through the wizard; windows of 50 predictions
 * set in Monitoring's settings; clean traffic simulated from the dialog (the column later shifted
 * is not flagged); then traffic with Flipper Length shifted (that column flagged in the heat strip,
 * its distributions overlaid, an alert raised); then traffic with noisy labels (accuracy drops, the
 * accuracy alert starts a retrain by the model's policy: train, gates against the champion,
 * register, and — after one click on Approve — a canary of the challenger on edge-1). The model's
 * timeline shows it all. The model is trained and its policy set through lathe serve's API, as a
 * script would. Every wait is for what the page says, with a timeout; nothing sleeps.
 */

const MODEL = 'penguin-species';
const DEPLOYMENT = `edge-1/${MODEL}`;
const SHIFTED = 'Flipper Length (mm)';

// Long: lathe serve and an agent start from source, a model trains twice, on a machine others share.
test.describe.configure({ timeout: 840_000 });

// lathe serve samples the agent every 2 s instead of 15, so windows reach the page soon.
test.beforeAll(() => {
  process.env.LATHE_METRICS_INTERVAL_MS = '2000';
});
test.afterAll(() => {
  delete process.env.LATHE_METRICS_INTERVAL_MS;
});

async function addTarget(page: Page, agent: LocalAgent): Promise<void> {
  await page.getByRole('button', { name: 'Add target…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add target' });
  await dialog.getByLabel('Name').fill(agent.name);
  await dialog.getByLabel('URL').fill(agent.url);
  await dialog.getByLabel('Admin token').fill(agent.adminToken);
  await dialog.getByRole('button', { name: 'Add target' }).click();
  const added = page.getByRole('dialog', { name: 'Target added' });
  await expect(added.getByText('Reachable')).toBeVisible({ timeout: 30_000 });
  await added.getByRole('button', { name: 'Done' }).click();
}

async function deployFirstVersion(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Deploy…' }).click();
  const wizard = page.getByRole('dialog', { name: 'Deploy a model version' });
  await wizard.getByLabel('Model').selectOption(MODEL);
  await wizard.getByLabel('Version').selectOption('1');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('radio', { name: /^edge-1/ }).check();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Deployment state' })).toHaveText('Succeeded', { timeout: 60_000 });
}

/** Open Simulate traffic, fill it as given, start it and wait until it says Finished; returns the dialog. */
async function simulate(page: Page, options: { duration: number; drift?: { column: string; shift: number }; labelNoisePercent?: number }): Promise<Locator> {
  await page.getByRole('button', { name: 'Simulate traffic…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Simulate traffic' });
  await expect(dialog.getByLabel('Version')).toHaveValue('1');
  await dialog.getByLabel('Requests per second').fill('50');
  await dialog.getByLabel('Duration (seconds)').fill(String(options.duration));
  if (options.drift) {
    await dialog.getByRole('button', { name: 'Add drift' }).click();
    const row = dialog.getByRole('group', { name: 'Drift 1' });
    await row.getByLabel('Column').fill(options.drift.column);
    await row.getByLabel('Change').selectOption('shift');
    await row.getByLabel('By').fill(String(options.drift.shift));
  }
  if (options.labelNoisePercent !== undefined) {
    await dialog.getByLabel('Send the true labels to the feedback endpoint').check();
    await dialog.getByLabel('Labels after (seconds)').fill('0');
    await dialog.getByLabel('Label noise (%)').fill(String(options.labelNoisePercent));
  }
  return dialog;
}

async function startAndFinish(page: Page, dialog: Locator, shot?: string): Promise<void> {
  await dialog.getByRole('button', { name: 'Start' }).click();
  const status = dialog.getByRole('status', { name: 'Simulation status' });
  await expect(status).toContainText('Finished', { timeout: 120_000 });
  if (shot) await page.screenshot({ path: screenshotPath(shot), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Close' }).click();
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The heat strip's cells of one row (a feature's name, or "prediction"). */
const stripRow = (page: Page, name: string) => page.getByRole('figure', { name: 'Drift per feature over windows' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

test('a deployment watched: clean traffic, one column shifted and flagged with an alert, noisy labels that retrain a challenger out as a canary; all on the timeline', async ({ page, lathe, agent }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(lathe.url);
  const nav = page.getByRole('navigation', { name: 'Areas' });

  // Nothing deployed: the page says so and where to start.
  await nav.getByRole('link', { name: /Monitoring/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'No deployments yet — deploy a model from Models' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('150-monitoring-empty'), animations: 'disabled' });

  // penguin-species@1, the champion; its policy retrains on an accuracy alert, asking before it deploys.
  await callLathe(lathe, 'datasets:import-sample', { workspace: lathe.workspace, importId: 'sample' });
  const { runId } = await callLathe<{ runId: string }>(lathe, 'training:start', { workspace: lathe.workspace, dataset: 'penguins', target: 'Species', seed: 7, model: 'mlp', hidden: [16], learningRate: 0.01, epochs: 15 });
  await callLathe(lathe, 'training:wait', { workspace: lathe.workspace, runId });
  await callLathe(lathe, 'models:register', { workspace: lathe.workspace, runId, name: MODEL });
  await callLathe(lathe, 'models:set-alias', { workspace: lathe.workspace, ref: `${MODEL}@1`, alias: 'champion' });
  await callLathe(lathe, 'gates:run', { workspace: lathe.workspace, ref: `${MODEL}@1`, against: 'none' });
  // Alert rules as a team would write them: a feature drifting three windows in a row (a clean
  // window is red by chance one time in twenty per feature, so two in a row would still fire now
  // and then on clean traffic), and labelled
  // accuracy under a fixed floor of 70 % in a window.
  await callLathe(lathe, 'alerts:save-rules', {
    workspace: lathe.workspace,
    rules: [
      { id: 'feature-drift', kind: 'feature-drift', feature: '*', windows: 3 },
      { id: 'accuracy-floor', kind: 'accuracy-below', floor: 0.7, useEstimate: false, windows: 1, severity: 'critical' },
    ],
  });
  await callLathe(lathe, 'retrain:save-policy', {
    workspace: lathe.workspace,
    policy: {
      schemaVersion: 1,
      model: MODEL,
      enabled: true,
      triggers: { alerts: ['accuracy-below'], newData: false, everyHours: null },
      plan: 'built-in',
      deploy: { target: 'edge-1', strategy: 'canary', steps: [50, 100], intervalMs: 2000 },
      approval: { train: 'auto', register: 'auto', deploy: 'ask' },
      caps: { maxRunsPerDay: 1, cooldownMinutes: 0 },
    },
  });

  // The target and the deployment, through the Deployments area.
  await nav.getByRole('link', { name: /Deployments/ }).click();
  await addTarget(page, agent);
  await deployFirstVersion(page);

  // Monitoring names it TARGET/MODEL; windows of 50 predictions, judged from 20 rows.
  await nav.getByRole('link', { name: /Monitoring/ }).click();
  const list = page.getByRole('navigation', { name: 'Deployments' });
  await expect(list.getByRole('link', { name: new RegExp(`^${DEPLOYMENT}`) })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: DEPLOYMENT })).toBeVisible();
  await expect(page.getByText('penguins@1 (')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Settings…' }).click();
  const settings = page.getByRole('dialog', { name: 'Monitoring settings' });
  await settings.getByLabel('Close a window').selectOption('count');
  await settings.getByLabel('Predictions per window').fill('50');
  await settings.getByLabel('Rows needed to judge').fill('20');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('every 50 predictions; judged with at least 20 rows per column')).toBeVisible();

  // Clean traffic: 150 rows as they are, three windows judged; no alert (a feature would have to
  // drift three windows in a row). A single cell may still be red by
  // chance: at p < 0.05, about one cell in twenty of clean data is.
  const clean = await simulate(page, { duration: 3 });
  await page.screenshot({ path: screenshotPath('151-simulate-dialog'), animations: 'disabled' });
  await startAndFinish(page, clean);
  const shiftedRow = stripRow(page, SHIFTED);
  await expect(shiftedRow.getByRole('button', { name: new RegExp(`^${escaped(SHIFTED)}, window 2: (drifted|no drift)`) })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Open alerts' }).getByText('0 open')).toBeVisible();
  await page.screenshot({ path: screenshotPath('152-monitoring-clean'), animations: 'disabled' });

  // Flipper Length shifted by +40 mm: that column drifts, window after window, and an alert is raised.
  // 200 rows: at least three whole windows of them, even if a clean window was left part-full.
  const shifted = await simulate(page, { duration: 4, drift: { column: SHIFTED, shift: 40 } });
  await startAndFinish(page, shifted, '153-simulate-finished');
  await expect(shiftedRow.locator('[data-verdict="drift"]').first()).toBeVisible({ timeout: 60_000 });
  const alerts = page.getByRole('list', { name: 'Alerts' });
  await expect(alerts.getByRole('listitem').filter({ hasText: SHIFTED })).toBeVisible({ timeout: 60_000 });
  const toast = page.getByRole('region', { name: 'New alerts' }).getByRole('alert').filter({ hasText: SHIFTED });
  await expect(toast).toBeVisible();
  await page.screenshot({ path: screenshotPath('154-drift-flagged'), animations: 'disabled' });
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  // The drifted cell opens both distributions, with method, score, threshold and verdict.
  await shiftedRow.locator('[data-verdict="drift"]').last().click();
  const overlay = page.getByRole('region', { name: new RegExp(`^Distribution of ${escaped(SHIFTED)} in window`) });
  await expect(overlay.getByRole('status', { name: 'Verdict' })).toHaveText('Drift');
  await overlay.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('155-distribution-overlay'), animations: 'disabled' });
  // Someone has seen it.
  await alerts.getByRole('listitem').filter({ hasText: SHIFTED }).first().getByRole('button', { name: 'Acknowledge' }).click();
  await expect(alerts.getByText(/acknowledged/).first()).toBeVisible();

  // Labels arrive, 60 % of them wrong: accuracy drops, the accuracy alert starts the retrain.
  const noisy = await simulate(page, { duration: 3, labelNoisePercent: 60 });
  await startAndFinish(page, noisy);
  const accuracy = page.getByRole('figure', { name: 'Accuracy' });
  await expect(accuracy.locator('[data-line="accuracy"] .time-chart__latest')).not.toHaveText('—', { timeout: 60_000 });
  const retraining = page.getByRole('region', { name: 'Retraining' });
  await expect(retraining.getByRole('list', { name: 'Policy' })).toContainText('retrains on alerts (accuracy-below)');
  const waiting = retraining.getByRole('group', { name: /waits for approval/ });
  await expect(waiting).toBeVisible({ timeout: 180_000 });
  await waiting.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('156-retrain-waiting'), animations: 'disabled' });
  await page.getByRole('region', { name: 'New alerts' }).getByRole('alert').filter({ hasText: 'Accuracy' }).first().getByRole('button', { name: 'Dismiss' }).click();
  await waiting.getByRole('button', { name: 'Approve deploy' }).click();
  await expect(retraining.getByRole('list', { name: 'Timeline' }).getByText('Rollout', { exact: true }).first()).toBeVisible({ timeout: 60_000 });

  // Callers go on sending (clean rows) while the canary is judged on them.
  const during = await simulate(page, { duration: 20 });
  await startAndFinish(page, during);

  // The challenger goes out as a canary on edge-1; the timeline tells it from the alert on.
  const timeline = retraining.getByRole('list', { name: 'Timeline' });
  await expect(timeline).toContainText('Alert', { timeout: 60_000 });
  await expect(timeline.getByText('Gates', { exact: true }).first()).toBeVisible({ timeout: 60_000 });
  await expect(timeline.getByText('Version', { exact: true }).first()).toBeVisible();
  await expect(timeline.getByText('Rollout', { exact: true }).first()).toBeVisible({ timeout: 60_000 });
  await expect(timeline.getByRole('link', { name: 'rollout' }).first()).toBeVisible();
  await expect(timeline.getByText('Outcome', { exact: true }).first()).toBeVisible({ timeout: 120_000 });
  await timeline.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('157-retrain-timeline'), animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('figure', { name: 'Drift per feature over windows' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('158-monitoring-dark'), animations: 'disabled' });
});
