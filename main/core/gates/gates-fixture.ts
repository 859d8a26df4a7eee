import type { z } from 'zod';
import type { GateSpec } from '../../../shared/contract/gates.ts';
import type { ModelKind } from '../../../shared/contract/training.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { Workspace } from '../workspace/workspace.ts';
import { servingRows } from './serving-rows.ts';
import type { ServedPrediction, ServingRuntime, ServingTarget } from './serving-target.ts';
import type { GatedVersion } from './gated-version.ts';
import { readEvaluationTable, datasetVersion } from './evaluation-data.ts';
import { readStoredPredictions, signatureOf } from './stored-predictions.ts';

/**
 * Tests only: a workspace with the penguins sample and registered versions of `penguins-species`
 * trained with the same split (seed 1), so their test rows pair up:
 *   v1 `good`: linear, 30 epochs — the champion;
 *   v2 `weak`: linear, 1 epoch at a tiny learning rate — clearly worse on the same rows.
 */
export async function gatedWorkspace(root: string) {
  const fixture = await coreOnNewWorkspace(root);
  const { call, workspace } = fixture;
  await call('datasets:import-sample', { workspace });
  const train = async (knobs: { model: ModelKind; epochs: number; learningRate?: number }, runName: string) => {
    const started = await call('training:start', { workspace, dataset: 'penguins', target: 'Species', seed: 1, runName, ...knobs });
    await call('training:wait', { workspace, runId: started.runId });
    return started.runId;
  };
  const good = await train({ model: 'linear', epochs: 30, learningRate: 0.05 }, 'good');
  const weak = await train({ model: 'linear', epochs: 1, learningRate: 0.0001 }, 'weak');
  await call('models:register', { workspace, runId: good, name: 'penguins-species' });
  await call('models:register', { workspace, runId: weak, name: 'penguins-species' });
  await call('models:set-alias', { workspace, ref: 'penguins-species@1', alias: 'champion' });
  /** Replace the spec: what is left out takes its default. */
  const saveSpec = (spec: Omit<z.input<typeof GateSpec>, 'schemaVersion'>) => call('gates:save', { workspace, name: 'penguins-species', text: JSON.stringify({ schemaVersion: 1, ...spec }, null, 2) });
  return { ...fixture, runs: { good, weak }, saveSpec };
}

/**
 * A serving runtime that answers from a version's stored test predictions, looked up by the row
 * a client sends — what a faithful runtime does — or skewed on purpose: `skew` changes the
 * answer for some rows, as a preprocessing that differs from training's would.
 */
export function fakeServing(workspacePath: string, options: { skew?: (row: number, answer: ServedPrediction) => ServedPrediction; refuse?: Error } = {}): ServingTarget & { opened: number } {
  const target = {
    opened: 0,
    async open(version: GatedVersion): Promise<ServingRuntime> {
      if (options.refuse) throw options.refuse;
      target.opened += 1;
      const workspace = await Workspace.open(workspacePath);
      try {
        const signature = signatureOf(version);
        const stored = await readStoredPredictions(workspace.blobs, version);
        const data = await datasetVersion(workspace, version.lineage.dataset!.name, version.lineage.dataset!.version!);
        const table = await readEvaluationTable(workspace, data, signature.inputs.map((input) => input.name));
        const records = servingRows(table, signature.inputs, stored.rows);
        const answers = new Map<string, { row: number; answer: ServedPrediction }>();
        records.forEach((record, i) => {
          const answer: ServedPrediction = stored.task === 'classification' ? { probabilities: Array.from(stored.probabilities.subarray(i * stored.classes.length, (i + 1) * stored.classes.length)) } : { value: stored.predicted[i]! };
          answers.set(JSON.stringify(record), { row: stored.rows[i]!, answer });
        });
        return {
          async predict(rows) {
            return rows.map((row) => {
              const found = answers.get(JSON.stringify(row));
              if (!found) throw new Error(`the fake runtime knows only ${version.name}@${version.version}'s test rows`);
              return options.skew ? options.skew(found.row, found.answer) : found.answer;
            });
          },
          async close() {},
        };
      } finally {
        await workspace.close();
      }
    },
  };
  return target;
}
