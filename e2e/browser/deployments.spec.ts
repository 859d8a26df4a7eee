import type { Page } from '@playwright/test';
import { callLathe, expect, screenshotPath, sendTraffic, test, type LocalAgent } from '../support/agents.ts';
import type { LatheServer } from '../support/lathe-server.ts';

/**
 * Deploying, driven as a person would, against `lathe serve` and two real agents on local ports:
 * both targets added through the UI; penguin-species@1 deployed to both with *replace*; a
 * deliberately bad @2 (a one-epoch linear model that disagrees with @1 on most rows, whose gates
 * fail, deployed over them with a written reason) as a canary on edge-1, which rolls back by
 * itself; a good @3 (@1's recipe again) as a canary on edge-2, which promotes; then @3 as an A/B
 * test on edge-1 with the true labels fed back, which a person aborts. Models are trained
 * and gated through lathe serve's HTTP API, as a script would. Every wait is for what the page
 * says, with a timeout; nothing sleeps.
 */

const MODEL = 'penguin-species';

// Long, and set before the fixtures start: lathe serve and two agents start from source, which on
// a busy machine takes longer than the default minute on its own.
test.describe.configure({ timeout: 480_000 });

// lathe serve samples the agents' /metrics every 2 s instead of 15, so Monitoring has points soon.
// Set before the test's fixtures start lathe serve (with this process's environment), and undone.
test.beforeAll(() => {
  process.env.LATHE_METRICS_INTERVAL_MS = '2000';
});
test.afterAll(() => {
  delete process.env.LATHE_METRICS_INTERVAL_MS;
});

async function trainAndRegister(lathe: LatheServer, knobs: Record<string, unknown>): Promise<number> {
  const { runId } = await callLathe<{ runId: string }>(lathe, 'training:start', { workspace: lathe.workspace, dataset: 'penguins', target: 'Species', seed: 7, ...knobs });
  await callLathe(lathe, 'training:wait', { workspace: lathe.workspace, runId });
  const registered = await callLathe<{ version: number }>(lathe, 'models:register', { workspace: lathe.workspace, runId, name: MODEL });
  return registered.version;
}

async function gate(lathe: LatheServer, version: number, against: string): Promise<string> {
  const report = await callLathe<{ outcome: string }>(lathe, 'gates:run', { workspace: lathe.workspace, ref: `${MODEL}@${version}`, against });
  return report.outcome;
}

async function addTarget(page: Page, agent: LocalAgent): Promise<void> {
  await page.getByRole('button', { name: 'Add target…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add target' });
  await dialog.getByLabel('Name').fill(agent.name);
  await dialog.getByLabel('URL').fill(agent.url);
  await dialog.getByLabel('Admin token').fill(agent.adminToken);
  if (agent.name === 'edge-1') await page.screenshot({ path: screenshotPath('101-add-target'), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Add target' }).click();
  const added = page.getByRole('dialog', { name: 'Target added' });
  await expect(added.getByRole('heading', { name: `Added ${agent.name}` })).toBeVisible({ timeout: 30_000 });
  await expect(added.getByText('Reachable')).toBeVisible();
  await added.getByRole('button', { name: 'Done' }).click();
}

/** Open the wizard and choose the version; returns the dialog. */
async function chooseVersion(page: Page, version: number) {
  await page.getByRole('button', { name: 'Deploy…' }).click();
  const wizard = page.getByRole('dialog', { name: 'Deploy a model version' });
  await wizard.getByLabel('Model').selectOption(MODEL);
  await wizard.getByLabel('Version').selectOption(String(version));
  return wizard;
}

async function chooseTarget(wizard: ReturnType<Page['getByRole']>, target: string) {
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('radio', { name: new RegExp(`^${target}`) }).check();
  await wizard.getByRole('button', { name: 'Next' }).click();
}

async function canary(wizard: ReturnType<Page['getByRole']>) {
  await wizard.getByRole('radio', { name: /^Canary/ }).check();
  const settings = wizard.getByRole('group', { name: 'Canary settings' });
  await settings.getByLabel('Steps (percent of traffic)', { exact: true }).fill('50, 100');
  await settings.getByLabel('Interval', { exact: true }).fill('1');
  return settings;
}

test('two agents: replace, a bad canary that rolls back by itself, a good canary that promotes; targets, rollouts and monitoring on screen', async ({ page, lathe, agents }) => {
  const [edge1, edge2] = agents;
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(lathe.url);
  const nav = page.getByRole('navigation', { name: 'Areas' });

  // Nothing to deploy to yet: the page says what a target is and the command that makes one.
  await nav.getByRole('link', { name: /Deployments/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'No deploy targets yet' })).toBeVisible();
  await expect(page.getByText('npx lathe agent --host 0.0.0.0 --trust KEY')).toBeVisible();
  await page.screenshot({ path: screenshotPath('100-deployments-empty'), animations: 'disabled' });

  // Three versions: @1 a good MLP, @2 a barely trained linear model, @3 @1's recipe again.
  await callLathe(lathe, 'datasets:import-sample', { workspace: lathe.workspace, importId: 'sample' });
  const good = { model: 'mlp', hidden: [16], learningRate: 0.01, epochs: 15 };
  expect(await trainAndRegister(lathe, { ...good, runName: 'mlp-first' })).toBe(1);
  expect(await trainAndRegister(lathe, { model: 'linear', learningRate: 0.0005, epochs: 1, runName: 'linear-weak' })).toBe(2);
  expect(await trainAndRegister(lathe, { ...good, runName: 'mlp-again' })).toBe(3);
  expect(await gate(lathe, 1, 'none')).not.toBe('fail');
  expect(await gate(lathe, 2, `${MODEL}@1`)).toBe('fail');
  expect(await gate(lathe, 3, `${MODEL}@1`)).not.toBe('fail');

  // Both agents, added through the UI with the URL and token each printed.
  await addTarget(page, edge1);
  const targets = page.getByRole('table', { name: 'Targets' });
  await expect(targets.getByRole('row', { name: 'edge-1' })).toContainText('Reachable');
  await addTarget(page, edge2);
  await expect(targets.getByRole('row', { name: 'edge-2' })).toContainText('nothing yet');
  await page.screenshot({ path: screenshotPath('102-targets'), animations: 'disabled' });

  // @1 to both with replace: its gates passed, nothing serves there yet, so replace is the only choice.
  for (const target of ['edge-1', 'edge-2']) {
    const wizard = await chooseVersion(page, 1);
    await expect(wizard.getByRole('status', { name: 'Gate status' })).toContainText(/Pass|Warn/);
    if (target === 'edge-1') await page.screenshot({ path: screenshotPath('103-wizard-version'), animations: 'disabled' });
    await chooseTarget(wizard, target);
    await expect(wizard.getByText('the first deployment replaces')).toBeVisible();
    await expect(wizard.getByRole('radio', { name: /^Canary/ })).toBeDisabled();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect(wizard.getByRole('definition').filter({ hasText: 'Replace: all traffic' })).toBeVisible();
    if (target === 'edge-1') await page.screenshot({ path: screenshotPath('104-wizard-review'), animations: 'disabled' });
    await wizard.getByRole('button', { name: 'Deploy', exact: true }).click();
    await expect(page.getByRole('status', { name: 'Deployment state' })).toHaveText('Succeeded', { timeout: 60_000 });
    await expect(page.getByRole('list', { name: 'Events' })).toContainText(`${MODEL}@1 serves all traffic on ${target}`);
    if (target === 'edge-1') await page.screenshot({ path: screenshotPath('105-replace-succeeded'), animations: 'disabled' });
    await nav.getByRole('link', { name: /Deployments/ }).click();
  }
  await expect(targets.getByRole('row', { name: 'edge-1' })).toContainText('v1');
  await expect(targets.getByRole('row', { name: 'edge-2' })).toContainText('v1');

  // Callers send rows to both agents from here on: a canary is judged on real requests.
  const traffic = sendTraffic([edge1, edge2], MODEL);
  try {
    // @2 as a canary on edge-1: its gates failed, so the wizard asks why before it goes on.
    const wizard = await chooseVersion(page, 2);
    const gateStatus = wizard.getByRole('status', { name: 'Gate status' });
    await expect(gateStatus).toContainText('Fail');
    await expect(wizard.getByRole('button', { name: 'Next' })).toBeDisabled();
    await gateStatus.getByRole('button', { name: 'Deploy anyway…' }).click();
    await gateStatus.getByLabel('Why deploy it anyway?').fill('Checking that a canary of a weak model rolls back by itself.');
    await page.screenshot({ path: screenshotPath('106-wizard-gate-override'), animations: 'disabled' });
    await chooseTarget(wizard, 'edge-1');
    const settings = await canary(wizard);
    await settings.getByLabel('Interval', { exact: true }).fill('soon');
    await expect(settings.getByText('“soon” is not')).toBeVisible();
    await expect(wizard.getByRole('button', { name: 'Next' })).toBeDisabled();
    await settings.getByLabel('Interval', { exact: true }).fill('1');
    await expect(wizard.getByRole('status')).toContainText('all traffic is back on the stable version within 2 s');
    await page.screenshot({ path: screenshotPath('107-wizard-canary'), animations: 'disabled' });
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect(wizard.getByRole('definition').filter({ hasText: 'deployed over its gates' })).toBeVisible();
    await wizard.getByRole('button', { name: 'Deploy', exact: true }).click();

    // The rollout page: half the traffic to @2, then its disagreement with @1 fails the checks and the agent rolls it back.
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`${MODEL}@2`, { timeout: 60_000 });
    await expect(page.getByText('Deployed over its gates')).toBeVisible();
    await expect(page.getByRole('status', { name: 'Deployment state' })).toHaveText('Rolled back', { timeout: 60_000 });
    await expect(page.getByTestId('stable-share')).toContainText('100%');
    await expect(page.getByRole('list', { name: 'Decisions' })).toContainText(/disagreement/i);
    const disagreement = page.getByRole('figure', { name: 'Disagreement with stable' });
    await expect(disagreement).toBeVisible();
    await expect(page.getByRole('button', { name: 'Abort' })).toHaveCount(0);
    await page.mouse.move(0, 0); // no chart tooltip left under the pointer of the last click
    await page.screenshot({ path: screenshotPath('108-canary-rolled-back'), fullPage: true, animations: 'disabled' });

    // @3 as a canary on edge-2: the same recipe as @1 agrees with it, and the agent promotes it.
    await page.getByRole('link', { name: 'edge-1', exact: true }).first().click();
    await expect(page.getByRole('table', { name: 'Deployments to edge-1' })).toContainText('Rolled back');
    await page.screenshot({ path: screenshotPath('109-target-history'), animations: 'disabled' });
    await nav.getByRole('link', { name: /Deployments/ }).click();
    const again = await chooseVersion(page, 3);
    await chooseTarget(again, 'edge-2');
    await canary(again);
    await again.getByRole('button', { name: 'Next' }).click();
    await again.getByRole('button', { name: 'Deploy', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`${MODEL}@3`, { timeout: 60_000 });
    await expect(page.getByRole('button', { name: 'Promote' })).toBeVisible();
    await page.screenshot({ path: screenshotPath('110-canary-progressing'), animations: 'disabled' });
    await expect(page.getByRole('status', { name: 'Deployment state' })).toHaveText('Succeeded', { timeout: 60_000 });
    await expect(page.getByTestId('candidate-share')).toContainText('100%');
    await expect(page.getByRole('list', { name: 'Decisions' })).toContainText('the candidate becomes stable');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath('111-canary-promoted'), fullPage: true, animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: screenshotPath('112-canary-promoted-dark'), fullPage: true, animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'light' });

    // What runs where now: @1 on edge-1 (the canary gone), @3 on edge-2.
    await nav.getByRole('link', { name: /Deployments/ }).click();
    await expect(targets.getByRole('row', { name: 'edge-1' })).toContainText('v1');
    await expect(targets.getByRole('row', { name: 'edge-1' })).not.toContainText('candidate');
    await expect(targets.getByRole('row', { name: 'edge-2' })).toContainText('v3');
    await expect(page.getByRole('table', { name: 'Recent deployments' }).getByRole('row')).toHaveCount(5);
    await page.screenshot({ path: screenshotPath('113-targets-after'), fullPage: true, animations: 'disabled' });

    // An A/B test of @3 against @1 on edge-1, the true labels fed back; then a person aborts it.
    traffic.giveFeedback(true);
    const ab = await chooseVersion(page, 3);
    await chooseTarget(ab, 'edge-1');
    await ab.getByRole('radio', { name: /^A\/B test/ }).check();
    const abSettings = ab.getByRole('group', { name: 'A/B settings' });
    await abSettings.getByLabel('New version’s share', { exact: true }).fill('50');
    await abSettings.getByLabel('Measure every', { exact: true }).fill('1');
    await ab.getByRole('button', { name: 'Next' }).click();
    await expect(ab.getByRole('definition').filter({ hasText: 'A/B test: 50% to the new version' })).toBeVisible();
    await ab.getByRole('button', { name: 'Deploy', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`${MODEL}@3`, { timeout: 60_000 });
    const verdict = page.getByRole('status', { name: 'Experiment verdict' });
    // Outcomes come in; once each arm has a few, the page tests the difference.
    await expect(verdict).toContainText('two-proportion z-test', { timeout: 90_000 });
    await expect(page.getByRole('table', { name: 'Arms' }).getByRole('row', { name: /Candidate/ })).toContainText('%');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath('114-ab-experiment'), animations: 'disabled' });
    await page.getByRole('button', { name: 'Abort' }).click();
    const confirm = page.getByRole('dialog', { name: `Abort the rollout of ${MODEL}@3?` });
    await expect(confirm).toContainText('All traffic goes back to the stable version, v1');
    await page.screenshot({ path: screenshotPath('115-abort-confirm'), animations: 'disabled' });
    await confirm.getByRole('button', { name: 'Abort and roll back' }).click();
    await expect(page.getByRole('status', { name: 'Deployment state' })).toHaveText('Rolled back', { timeout: 30_000 });
    await expect(page.getByRole('list', { name: 'Decisions' })).toContainText(/abort/i);
    traffic.giveFeedback(false);

    // Monitoring: the traffic the agents served, as the app sampled their /metrics.
    await nav.getByRole('link', { name: /Monitoring/ }).click();
    await expect(page.getByRole('heading', { level: 2 })).toContainText(`edge-1/${MODEL}`);
    const requests = page.getByRole('figure', { name: 'Requests per second' });
    await expect(requests.locator('.recharts-line').first()).toBeVisible({ timeout: 90_000 });
    await page.screenshot({ path: screenshotPath('116-monitoring'), animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: screenshotPath('117-monitoring-dark'), animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'light' });

    // Forgetting a target keeps what it served serving and its history here.
    await nav.getByRole('link', { name: /Deployments/ }).click();
    await targets.getByRole('link', { name: 'edge-2' }).click();
    await page.getByRole('button', { name: 'Forget target…' }).click();
    await page.getByRole('dialog', { name: 'Forget edge-2?' }).getByRole('button', { name: 'Forget edge-2' }).click();
    await expect(targets.getByRole('row')).toHaveCount(2);
    await expect(page.getByRole('table', { name: 'Recent deployments' })).toContainText('edge-2');
  } finally {
    const sent = await traffic.stop();
    test.info().annotations.push({ type: 'traffic', description: `${sent.answered} answered, ${sent.failed} failed, ${sent.feedback} outcomes fed back${sent.problem ? `; ${sent.problem}` : ''}` });
  }
});
