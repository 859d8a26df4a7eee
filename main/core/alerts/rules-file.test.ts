import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { gitCli } from '../testing/git-cli.ts';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { DEFAULT_ALERT_RULES } from './default-rules.ts';

const tempDir = useTempDirs();

describe('lathe.alerts.json', () => {
  it('has the default rules until one is saved; a save is one commit, the same rules again none', async () => {
    const { call, workspace } = await coreOnNewWorkspace(await tempDir());
    expect(await call('alerts:rules', { workspace })).toEqual({ source: 'defaults', file: 'lathe.alerts.json', rules: DEFAULT_ALERT_RULES });
    expect(DEFAULT_ALERT_RULES.map((rule) => `${rule.kind}:${rule.kind === 'feature-drift' || rule.kind === 'dataset-drift' ? rule.windows : ''}`)).toEqual(['feature-drift:2', 'dataset-drift:1', 'records-dropped:', 'accuracy-below:']);

    const rules = [
      { id: 'bill-drift', kind: 'feature-drift', feature: 'bill_length_mm', windows: 3, severity: 'critical' },
      { id: 'slow', kind: 'latency-above', p99Ms: 250, deployment: 'edge-1/penguins-clf' },
    ] as const;
    const saved = await call('alerts:save-rules', { workspace, rules: [...rules] });
    expect(saved).toMatchObject({ status: 'committed', rules: { source: 'file', rules: [{ id: 'bill-drift', enabled: true, deployment: '*' }, { id: 'slow', windows: 1 }] } });
    expect(saved.commit).toBe(gitCli(workspace, 'rev-parse', 'HEAD').trim());
    expect(gitCli(workspace, 'log', '-1', '--format=%s')).toBe('Add the alert rules (2 rules)\n');
    expect(JSON.parse(gitCli(workspace, 'show', 'HEAD:lathe.alerts.json'))).toMatchObject({ schemaVersion: 1, rules: [{ id: 'bill-drift' }, { id: 'slow' }] });
    expect(await call('alerts:rules', { workspace })).toEqual(saved.rules);

    expect(await call('alerts:save-rules', { workspace, rules: [...rules] })).toMatchObject({ status: 'unchanged', commit: null });
    expect(gitCli(workspace, 'rev-parse', 'HEAD').trim()).toBe(saved.commit);
    expect(gitCli(workspace, 'status', '--porcelain')).toBe('');
  });

  it('refuses a hand-edited file that is not JSON, naming the file and line', async () => {
    const { call, workspace } = await coreOnNewWorkspace(await tempDir());
    await writeFile(join(workspace, 'lathe.alerts.json'), '{\n  "schemaVersion": 1,\n  "rules": [,]\n}\n');
    expect(await refusal(call('alerts:rules', { workspace }))).toMatchObject({ code: 'PARSE_ERROR', message: expect.stringMatching(/^lathe\.alerts\.json is not valid JSON: /), location: { file: 'lathe.alerts.json', line: 3 } });
  });

  it('names the rule and field of an unknown kind, a floor out of range and a missing field', async () => {
    const { call, workspace } = await coreOnNewWorkspace(await tempDir());
    const write = (rules: unknown[]) => writeFile(join(workspace, 'lathe.alerts.json'), JSON.stringify({ schemaVersion: 1, rules }));

    await write([{ id: 'ok', kind: 'records-dropped' }, { id: 'typo', kind: 'feature-drfit', feature: '*' }]);
    expect(await refusal(call('alerts:rules', { workspace }))).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'lathe.alerts.json: rule 2 ("typo"): kind "feature-drfit" is not a rule kind; use one of feature-drift, dataset-drift, accuracy-below, latency-above, error-rate-above, records-dropped.',
      location: { file: 'lathe.alerts.json', field: 'rules[1].kind' },
    });

    await write([{ id: 'acc', kind: 'accuracy-below', floor: 1.5 }]);
    expect(await refusal(call('alerts:rules', { workspace }))).toMatchObject({
      message: 'lathe.alerts.json: rule 1 ("acc"), field "floor": an accuracy floor is between 0 and 1.',
      location: { file: 'lathe.alerts.json', field: 'rules[0].floor' },
    });

    await write([{ id: 'slow', kind: 'latency-above' }, { id: 'slow', kind: 'records-dropped' }]);
    const error = await refusal(call('alerts:rules', { workspace }));
    expect(error.message).toBe('lathe.alerts.json: rule 1 ("slow"), field "p99Ms": Invalid input: expected number, received undefined (and 1 more problem).');
    expect(error.issues).toEqual([
      { path: 'rules[0].p99Ms', message: expect.any(String) },
      { path: 'rules[1].id', message: 'rule 2 ("slow"): rule 1 has the same id; each rule needs its own' },
    ]);

    await write([{ id: 'x', kind: 'records-dropped', colour: 'red' }]);
    expect(await refusal(call('alerts:rules', { workspace }))).toMatchObject({ location: { field: 'rules[0]' }, message: expect.stringContaining('colour') });

    await writeFile(join(workspace, 'lathe.alerts.json'), JSON.stringify({ schemaVersion: 9, rules: [] }));
    expect(await refusal(call('alerts:rules', { workspace }))).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('written by a newer Lathe') });
    await writeFile(join(workspace, 'lathe.alerts.json'), JSON.stringify([]));
    expect(await refusal(call('alerts:rules', { workspace }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('one object') });
  });

  it('refuses to save invalid rules and leaves the file as it was', async () => {
    const { call, workspace } = await coreOnNewWorkspace(await tempDir());
    await call('alerts:save-rules', { workspace, rules: [{ id: 'drops', kind: 'records-dropped' }] });
    const head = gitCli(workspace, 'rev-parse', 'HEAD');
    const error = await refusal(call('alerts:save-rules', { workspace, rules: [{ id: 'acc', kind: 'accuracy-below', floor: 0.8, belowTestMetric: 0.1 }] }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', issues: [expect.objectContaining({ path: 'rules.0.floor', message: expect.stringContaining('not both or neither') })] });
    expect(gitCli(workspace, 'rev-parse', 'HEAD')).toBe(head);
    expect(await call('alerts:rules', { workspace })).toMatchObject({ source: 'file', rules: [{ id: 'drops' }] });
  });
});
