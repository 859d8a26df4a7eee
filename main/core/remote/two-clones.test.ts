import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { CallName, InputOf, OutputOf } from '../../../shared/contract/calls.ts';
import { dispatch } from '../dispatch.ts';
import { LatheFailure } from '../errors.ts';
import { createLatheCore, type LatheCore } from '../lathe-core.ts';
import { gitCli } from '../testing/git-cli.ts';
import { refusal } from '../testing/refusal.ts';

/**
 * The proof that registered models travel: machine A trains, registers and promotes
 * penguins-clf@champion and pushes its bytes to a folder remote and its history to a shared git
 * repository; machine B (another core, another state folder, no runs database of A's) clones,
 * pulls the bytes, trains a candidate, gates it against A's champion, registers and pushes; A
 * pulls and gets B's version, its bytes verified. Nothing about A's champion is read from a runs
 * database on B: its record in git and its blobs are all B has.
 */
const cores: LatheCore[] = [];
let root: string;
afterAll(async () => {
  for (const core of cores) await core.close();
  if (root) await rm(root, { recursive: true, force: true });
});

function machine(name: string) {
  const core = createLatheCore({ frontDoor: 'cli', version: 'test', stateDir: join(root, `${name}-state`), defaultWorkspace: join(root, `${name}-default`) });
  cores.push(core);
  return async <N extends CallName>(call: N, input: InputOf<N>): Promise<OutputOf<N>> => {
    const result = await dispatch(core.handlers, call, input);
    if (!result.ok) throw new LatheFailure(result.error);
    return result.value as OutputOf<N>;
  };
}

const training = { dataset: 'penguins', target: 'Species', model: 'linear', epochs: 30, learningRate: 0.05, seed: 1 } as const;

it('A registers and pushes; a clone B pulls, gates a candidate against A\'s champion, registers and pushes; A pulls B\'s version verified', async () => {
  root = await mkdtemp(join(tmpdir(), 'lathe-two-clones-'));
  const remote = join(root, 'bytes');
  const origin = join(root, 'origin.git');
  await mkdir(remote);
  gitCli(root, 'init', '--quiet', '--bare', '--initial-branch=main', origin);

  // Machine A.
  const a = machine('a');
  const wsA = (await a('workspace:create', { path: join(root, 'a') })).path;
  await a('datasets:import-sample', { workspace: wsA });
  const runA = await a('training:start', { workspace: wsA, ...training, runName: 'champion' });
  await a('training:wait', { workspace: wsA, runId: runA.runId });
  await a('models:register', { workspace: wsA, runId: runA.runId, name: 'penguins-clf' });
  expect(await a('models:promote', { workspace: wsA, ref: 'penguins-clf@1' })).toMatchObject({ version: 1, alias: 'champion' });
  await a('remote:add', { workspace: wsA, name: 'team', url: remote });
  const pushedA = await a('data:push', { workspace: wsA });
  expect(pushedA).toMatchObject({ problems: [], alreadyThere: 0 });
  expect(pushedA.copied).toBeGreaterThanOrEqual(6); // penguins@1 and the model's artifacts
  gitCli(wsA, 'remote', 'add', 'origin', origin);
  gitCli(wsA, 'push', '--quiet', 'origin', 'main');

  // Machine B: a clone knows the remote, but has none of the bytes and none of A's runs.
  const b = machine('b');
  const wsB = join(root, 'b');
  gitCli(root, 'clone', '--quiet', origin, wsB);
  expect(await b('data:status', { workspace: wsB })).toMatchObject({ remote: { name: 'team' }, synced: 0, missing: 0, remoteOnly: pushedA.copied });
  expect(await refusal(b('gates:run', { workspace: wsB, ref: 'penguins-clf@champion' }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining("missing from this machine's store") });
  expect(await b('data:pull', { workspace: wsB })).toMatchObject({ copied: pushedA.copied, problems: [] });
  expect(await refusal(b('runs:get', { workspace: wsB, runId: runA.runId }))).toMatchObject({ code: 'NOT_FOUND' });

  // A's champion is whole on B from git + blobs alone: its card, its signed bundle.
  const card = await b('models:card', { workspace: wsB, ref: 'penguins-clf@champion' });
  expect(card.markdown).toContain('penguins-clf');
  expect(card.markdown).toMatch(/Accuracy/);
  const bundle = await b('bundles:package', { workspace: wsB, ref: 'penguins-clf@champion', out: join(root, 'champion.lathe') });
  expect(await b('bundles:verify', { file: bundle.file })).toMatchObject({ verified: true, problems: [] });

  // B trains a candidate on the pulled data, registers it, and gates it against A's champion.
  // Trained longer, so its weights (and their blobs) differ from the champion's; same split, so the rows pair up.
  const runB = await b('training:start', { workspace: wsB, ...training, epochs: 45, runName: 'candidate' });
  await b('training:wait', { workspace: wsB, runId: runB.runId });
  expect(await b('models:register', { workspace: wsB, runId: runB.runId, name: 'penguins-clf' })).toMatchObject({ version: 2 });
  const report = await b('gates:run', { workspace: wsB, ref: 'penguins-clf@2', against: 'penguins-clf@champion' });
  expect(report.baseline).toBe('penguins-clf@1');
  expect(report.checks.filter((check) => check.status === 'fail')).toEqual([]);
  expect(report.checks.find((check) => check.id === 'model.baseline')).toMatchObject({ status: 'pass' });
  // The candidate's signed bundle loads in B's serving runtime; the champion it was judged against is pulled bytes alone.
  expect(report.checks.find((check) => check.id === 'integration.predictions')).toMatchObject({ status: 'pass' });
  expect(await b('data:status', { workspace: wsB })).toMatchObject({ versionsNotPushed: ['penguins-clf@2'] });
  const pushedB = await b('data:push', { workspace: wsB });
  expect(pushedB).toMatchObject({ problems: [], alreadyThere: pushedA.copied });
  gitCli(wsB, 'push', '--quiet', 'origin', 'main');

  // A gets B's registry commit, then its bytes, each verified.
  gitCli(wsA, 'pull', '--quiet', '--ff-only', 'origin', 'main');
  expect(await a('data:status', { workspace: wsA })).toMatchObject({ remoteOnly: pushedB.copied, missing: 0 });
  expect(await a('data:pull', { workspace: wsA })).toMatchObject({ copied: pushedB.copied, problems: [] });
  expect(await a('store:verify', { workspace: wsA })).toMatchObject({ problems: [] });
  const v2 = await a('models:get-version', { workspace: wsA, ref: 'penguins-clf@2' });
  expect(v2.lineage.run.id).toBe(runB.runId);
  expect(await a('gates:results', { workspace: wsA, ref: 'penguins-clf@2' })).toEqual([expect.objectContaining({ id: report.id, outcome: report.outcome })]);
  const packaged = await a('bundles:package', { workspace: wsA, ref: 'penguins-clf@2', out: join(root, 'candidate.lathe') });
  expect(packaged.manifest).toMatchObject({ model: { name: 'penguins-clf', version: 2 } });
}, 300_000);
