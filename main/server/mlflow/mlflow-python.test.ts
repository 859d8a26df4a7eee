import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricHistory, RunDetail, RunSearchResult } from '../../../shared/contract/runs.ts';
import { startMlflowServer, type MlflowTestServer } from './mlflow-test-server.ts';

/**
 * A real client: resources/examples/mlflow-urllib-train.py (standard library only) trains a
 * classifier — scikit-learn where a Python here has it, else pure Python — against a real
 * `lathe serve`, and the run is read back through the calls the Experiments page makes.
 */
const SCRIPT = path.join(import.meta.dirname, '..', '..', '..', 'resources', 'examples', 'mlflow-urllib-train.py');
const EPOCHS = 12;

/** A python3 to run it with: one that has scikit-learn if any has, else any; null when none. */
function findPython(): { command: string; sklearn: boolean } | null {
  const candidates = [...new Set([process.env.LATHE_TEST_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c))];
  const working = candidates.filter((command) => spawnSync(command, ['--version']).status === 0);
  const withSklearn = working.find((command) => spawnSync(command, ['-c', 'import sklearn']).status === 0);
  if (withSklearn) return { command: withSklearn, sklearn: true };
  return working[0] ? { command: working[0], sklearn: false } : null;
}

const python = findPython();
let t: MlflowTestServer;
beforeAll(async () => {
  if (python) t = await startMlflowServer();
});
afterAll(async () => {
  await t?.close();
});

describe.skipIf(!python)(`an MLflow client in Python (urllib), ${python ? `with ${python.command}${python.sklearn ? ' and scikit-learn' : ', pure Python'}` : 'skipped: no python3 on this machine'}`, () => {
  it('trains and logs a run that the Experiments page then shows: params, tags, every epoch of each metric, the weights artifact', async () => {
    const { MLFLOW_RUN_ID: _runOfOurOwn, ...inherited } = process.env; // the script makes its own run
    const env = { ...inherited, MLFLOW_TRACKING_URI: `http://127.0.0.1:${t.port}`, MLFLOW_TRACKING_TOKEN: t.token, MLFLOW_EXPERIMENT_NAME: 'python-urllib' };
    const { stdout } = await promisify(execFile)(python!.command, [SCRIPT, '--epochs', String(EPOCHS), '--lr', '0.05'], { env, timeout: 120_000 });
    const runId = stdout.trim().split('\n').at(-1)!;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);

    const found = (await t.call('runs:search', { filter: "params.model = 'logistic-regression'" })) as RunSearchResult;
    expect(found.runs.map((run) => run.id)).toEqual([runId]);
    const run = (await t.call('runs:get', { runId })) as RunDetail;
    expect(run).toMatchObject({
      experimentName: 'python-urllib',
      status: 'FINISHED',
      params: { lr: '0.05', epochs: String(EPOCHS), seed: '7', model: 'logistic-regression' },
      tags: { library: python!.sklearn ? expect.stringMatching(/^scikit-learn /) : 'pure python' },
    });
    expect(run.endTime).toBeGreaterThanOrEqual(run.startTime);
    expect(run.systemTags['mlflow.source.name']).toBe('mlflow-urllib-train.py');

    for (const key of ['train_loss', 'val_loss', 'val_accuracy']) {
      const history = (await t.call('runs:metric-history', { runId, key })) as MetricHistory;
      expect(history.steps).toEqual(Array.from({ length: EPOCHS }, (_, i) => i));
    }
    expect(run.metrics.val_accuracy!.value).toBeGreaterThan(0.8); // it really learned
    const loss = (await t.call('runs:metric-history', { runId, key: 'train_loss' })) as MetricHistory;
    expect(loss.values.at(-1)).toBeLessThan(loss.values[0] as number);

    const weights = (await t.call('runs:read-artifact', { runId, path: 'model/weights.json' })) as { text: string };
    const parsed = JSON.parse(weights.text) as { coef: number[]; features: number };
    expect(parsed.coef).toHaveLength(parsed.features);
  });
});
