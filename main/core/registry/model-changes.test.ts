import { beforeAll, describe, expect, it } from 'vitest';
import type { PromoteOutcome } from '../../../shared/contract/registry.ts';
import { dispatch } from '../dispatch.ts';
import { EventHub } from '../events.ts';
import { gitCli } from '../testing/git-cli.ts';
import { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { PromotionCheck } from './promotion-check.ts';
import { registryCalls } from './registry-calls.ts';
import { useTrainedWorkspace, type TrainedWorkspace } from '../testing/trained-workspace.ts';
import { refusal } from '../testing/refusal.ts';

/** Aliases, promotion, edits and the audit log, on two real trained runs: one workspace for the file, one model per test. */
const trained = useTrainedWorkspace(2, 'lathe-registry-');
let t: TrainedWorkspace;
beforeAll(() => {
  t = trained();
});


const git = (...args: string[]) => gitCli(t.workspace, ...args);

/**
 * The registry's calls on the same workspace, with a check chosen by the test (default: the
 * registry's own, not the gates' that the full core wires in), so promotion is tested apart from gates.
 */
function registryWith(checkBeforePromote?: PromotionCheck) {
  const handlers = registryCalls({ workspaces: new OpenWorkspaces(), events: new EventHub(), checkBeforePromote });
  return async (input: Record<string, unknown>) => {
    const result = await dispatch(handlers, 'models:promote', { workspace: t.workspace, ...input });
    if (!result.ok) throw { error: result.error };
    return result.value as PromoteOutcome;
  };
}

/** A model with two versions: run 1 as version 1, run 2 as version 2. */
async function twoVersions(name: string) {
  const { call, workspace, runIds } = t;
  await call('models:register', { workspace, runId: runIds[0]!, name });
  await call('models:register', { workspace, runId: runIds[1]!, name });
}

describe('aliases', () => {
  it('point at a version, move, resolve as NAME@alias and come off, each change one commit', async () => {
    const { call, workspace } = t;
    await twoVersions('aliased');
    const set = await call('models:set-alias', { workspace, ref: 'aliased@1', alias: 'champion' });
    expect(set).toMatchObject({ name: 'aliased', alias: 'champion', version: 1, previous: null, commit: git('rev-parse', 'HEAD').trim() });
    expect((await call('models:get-version', { workspace, ref: 'aliased@champion' })).version).toBe(1);

    const moved = await call('models:set-alias', { workspace, ref: 'aliased@2', alias: 'champion' });
    expect(moved).toMatchObject({ version: 2, previous: 1 });
    // Copying where another alias points resolves it, and records the number.
    expect(await call('models:set-alias', { workspace, ref: 'aliased@champion', alias: 'challenger' })).toMatchObject({ version: 2 });
    expect((await call('models:get-version', { workspace, ref: 'aliased@2' })).aliases).toEqual(['challenger', 'champion']);
    expect((await call('models:get-version', { workspace, ref: 'aliased@1' })).aliases).toEqual([]);

    // Pointing it where it already is changes nothing.
    const head = git('rev-parse', 'HEAD');
    expect(await call('models:set-alias', { workspace, ref: 'aliased@2', alias: 'champion' })).toMatchObject({ commit: null, previous: 2 });
    expect(git('rev-parse', 'HEAD')).toBe(head);

    expect(await call('models:remove-alias', { workspace, name: 'aliased', alias: 'challenger' })).toMatchObject({ version: null, previous: 2 });
    expect((await call('models:show', { workspace, name: 'aliased' })).aliases).toEqual({ champion: 2 });
    expect(git('show', 'HEAD:models/aliased/aliases.json')).toContain('"champion": 2');
  });

  it('are refused on versions that do not exist, for unknown aliases, and with bad names', async () => {
    const { call, workspace } = t;
    await twoVersions('strict');
    expect(await refusal(call('models:set-alias', { workspace, ref: 'strict@7', alias: 'champion' }))).toMatchObject({ code: 'NOT_FOUND', message: 'strict has no version 7.', hint: 'Its versions: 1, 2.' });
    expect(await refusal(call('models:set-alias', { workspace, ref: 'nobody@1', alias: 'champion' }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no registered model named "nobody"') });
    expect(await refusal(call('models:get-version', { workspace, ref: 'strict@champion' }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('has no alias "champion"') });
    expect(await refusal(call('models:remove-alias', { workspace, name: 'strict', alias: 'champion' }))).toMatchObject({ code: 'NOT_FOUND', hint: 'It has no aliases.' });
    for (const alias of ['3', 'Champion', 'latest', 'v2', '']) {
      expect(await refusal(call('models:set-alias', { workspace, ref: 'strict@1', alias }))).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'alias' }] });
    }
  });
});

describe('models:promote', () => {
  it('moves champion after the default check passes, recording the check', async () => {
    const { call, workspace } = t;
    await twoVersions('promoted');
    const outcome = await registryWith()({ ref: 'promoted@2' });
    expect(outcome).toMatchObject({ name: 'promoted', alias: 'champion', version: 2, previous: null, overridden: false, check: { passed: true, summary: expect.stringContaining('FINISHED and has an evaluation') } });
    const version = await call('models:get-version', { workspace, ref: 'promoted@champion' });
    expect(version.version).toBe(2);
    expect(version.promotions).toEqual([expect.objectContaining({ alias: 'champion', previous: null, passed: true, overrideReason: null })]);
    expect(git('log', '-1', '--format=%B')).toContain('Lathe-Action: promote\nLathe-Alias: champion\nLathe-Check: passed');

    // Promoting to where it already is checks nothing and commits nothing.
    const head = git('rev-parse', 'HEAD');
    const never: PromotionCheck = async () => {
      throw new Error('the check ran');
    };
    expect(await registryWith(never)({ ref: 'promoted@2' })).toMatchObject({ commit: null, version: 2, previous: 2, check: { passed: true } });
    expect(git('rev-parse', 'HEAD')).toBe(head);
  });

  it('refuses when the check fails, and takes an override only with a written reason that the history keeps', async () => {
    const { workspace } = t;
    await twoVersions('gated');
    const seen: { version: number; against: number | null }[] = [];
    const failing: PromotionCheck = async (_workspace, version, against) => {
      seen.push({ version: version.version, against: against?.version ?? null });
      return { passed: false, summary: 'accuracy 0.71 is below the floor 0.9.' };
    };
    const call = registryWith(failing);
    await t.call('models:set-alias', { workspace, ref: 'gated@1', alias: 'champion' });
    const head = git('rev-parse', 'HEAD');

    const refused = await refusal(call({ ref: 'gated@2' }));
    expect(refused).toMatchObject({ code: 'FAILED_PRECONDITION', message: 'gated@2 was not promoted to champion: its check failed. accuracy 0.71 is below the floor 0.9.', hint: expect.stringContaining('--override-reason') });
    // The version named was fine; its check failed: no field to point at (the CLI and the promote dialog showed `field "ref"`).
    expect(refused.location).toBeUndefined();
    expect(seen).toEqual([{ version: 2, against: 1 }]);
    expect(await refusal(call({ ref: 'gated@2', override: { reason: '   ' } }))).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'override.reason', message: 'an override needs a written reason' }] });
    expect(git('rev-parse', 'HEAD')).toBe(head);

    const forced = await call({ ref: 'gated@2', override: { reason: 'The floor is wrong for the winter data; ticket ML-42.' } });
    expect(forced).toMatchObject({ version: 2, overridden: true });
    const version = await t.call('models:get-version', { workspace, ref: 'gated@champion' });
    expect(version.promotions.at(-1)).toMatchObject({ previous: 1, passed: false, summary: 'accuracy 0.71 is below the floor 0.9.', overrideReason: 'The floor is wrong for the winter data; ticket ML-42.' });
    const message = git('log', '-1', '--format=%B');
    expect(message).toContain('Promote gated@2 to champion (check failed; overridden)');
    expect(message).toContain('Override: The floor is wrong for the winter data; ticket ML-42.');
    expect(message).toContain('Lathe-Check: failed\nLathe-Override: yes');

    const log = await t.call('models:log', { workspace, name: 'gated' });
    expect(log[0]).toMatchObject({ action: 'promote', version: 2, alias: 'champion', passed: false, overrideReason: 'The floor is wrong for the winter data; ticket ML-42.' });
  });

  it('compares only with a version of the same model', async () => {
    await twoVersions('mine');
    await twoVersions('theirs');
    expect(await refusal(registryWith()({ ref: 'mine@2', against: 'theirs@1' }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('theirs@1 is a version of another model'), location: { field: 'against' } });
  });
});

describe('models:edit and models:log', () => {
  it("edit descriptions and card fields as commits, and the log shows every change, newest first, as git log does", async () => {
    const { call, workspace } = t;
    await twoVersions('audited');
    await call('models:edit', { workspace, name: 'audited', description: 'Penguin species' });
    const edited = await call('models:edit', { workspace, name: 'audited', version: 2, card: { intendedUse: 'Teaching', limitations: 'Three islands only' } });
    expect(edited.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await call('models:edit', { workspace, name: 'audited', version: 2, card: { intendedUse: 'Teaching' } })).toMatchObject({ commit: null });
    expect(await refusal(call('models:edit', { workspace, name: 'audited', card: { intendedUse: 'x' } }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('Card fields belong to a version') });
    expect(await refusal(call('models:edit', { workspace, name: 'audited', version: 9, description: 'x' }))).toMatchObject({ code: 'NOT_FOUND' });
    await call('models:set-alias', { workspace, ref: 'audited@1', alias: 'champion' });
    await registryWith(async () => ({ passed: true, summary: 'fine' }))({ ref: 'audited@2' });

    const version = await call('models:get-version', { workspace, ref: 'audited@2' });
    expect(version.card).toEqual({ intendedUse: 'Teaching', limitations: 'Three islands only', ethicalConsiderations: '', caveats: '' });
    expect((await call('models:show', { workspace, name: 'audited' })).description).toBe('Penguin species');

    const log = await call('models:log', { workspace, name: 'audited' });
    expect(log.map((entry) => [entry.action, entry.version, entry.alias])).toEqual([
      ['promote', 2, 'champion'],
      ['set-alias', 1, 'champion'],
      ['edit-version', 2, null],
      ['edit-model', null, null],
      ['register', 2, null],
      ['register', 1, null],
    ]);
    expect(log[2]!.title).toBe('Edit audited@2: intendedUse, limitations');
    // The same history, from git itself.
    expect(git('log', '--format=%H', '--', 'models/audited').trim().split('\n')).toEqual(log.map((entry) => entry.commit));
  });
});
