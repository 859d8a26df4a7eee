import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { LatheEvent } from '../../../shared/contract/calls.ts';
import { coreOnNewWorkspace } from './core-fixture.ts';
import { trackingFor } from '../tracking/open-tracking.ts';
import { Workspace } from '../workspace/workspace.ts';

/**
 * Tests only: a core on a new workspace holding the penguins sample and `runs` small trained
 * models (linear, a few epochs, each its own seed), and a second view of the workspace whose
 * tracking store can make runs training never would (FAILED, KILLED, without artifacts).
 */
export async function trainedWorkspace(root: string, runs = 1) {
  const fixture = await coreOnNewWorkspace(root);
  const { call, workspace } = fixture;
  const seen: LatheEvent[] = [];
  fixture.core.events.on((event) => seen.push(event));
  await call('datasets:import-sample', { workspace });
  const runIds: string[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = await call('training:start', { workspace, dataset: 'penguins', target: 'Species', model: 'linear', epochs: 3, seed: i + 1, runName: `penguins-${i + 1}` });
    await call('training:wait', { workspace, runId: started.runId });
    runIds.push(started.runId);
  }
  const writer = await Workspace.open(workspace);
  const tracking = trackingFor(writer, null);
  return { ...fixture, runIds, writer, tracking, seen };
}

export type TrainedWorkspace = Awaited<ReturnType<typeof trainedWorkspace>>;

/**
 * Tests only: one trained workspace for a whole test file (training is the slow part), made
 * before its tests and closed and removed after them; read it through the returned function.
 */
export function useTrainedWorkspace(runs: number, prefix = 'lathe-registry-'): () => TrainedWorkspace {
  let root: string;
  let trained: TrainedWorkspace | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
    trained = await trainedWorkspace(root, runs);
  }, 120_000);
  afterAll(async () => {
    await trained?.writer.close();
    await trained?.core.close();
    await rm(root, { recursive: true, force: true });
  });
  return () => {
    if (!trained) throw new Error('the trained workspace is made in beforeAll');
    return trained;
  };
}
