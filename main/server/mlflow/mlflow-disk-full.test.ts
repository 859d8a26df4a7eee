import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/contract/runs.ts';
import { failNthWrite, type WriteFaults } from '../../core/testing/fs-faults.ts';
import { startMlflowServer, type MlflowTestServer } from './mlflow-test-server.ts';

/**
 * An artifact upload that meets a full disk at each of its write steps in turn: the client gets
 * MLflow's error JSON with the disk's own sentence (507, which MLflow's client does not retry
 * against a disk that stays full), the run records nothing, no half-written blob is left, and the
 * server goes on answering.
 */
let t: MlflowTestServer;
let faults: WriteFaults | null = null;
let base: string;
let runId: string;
beforeAll(async () => {
  t = await startMlflowServer();
  const info = ((await t.post('runs/create', { experiment_id: '0' })).json.run as { info: { run_id: string; experiment_id: string } }).info;
  runId = info.run_id;
  base = `/api/2.0/mlflow-artifacts/artifacts/${info.experiment_id}/${runId}/artifacts`;
});
afterEach(() => {
  faults?.restore();
  faults = null;
});
afterAll(async () => {
  await t.close();
});

const upload = (name: string) => t.send({ method: 'PUT', path: `${base}/${name}`, body: Buffer.alloc(200_000, 7), headers: { 'content-type': 'application/octet-stream' } });
const artifacts = async () => ((await t.call('runs:get', { runId })) as RunDetail).artifacts.map((artifact) => artifact.path);
const lathe = () => path.join(t.workspace, '.lathe');

describe('an artifact upload on a full disk', () => {
  it('at every write step either fails whole (507, nothing kept) or, where the step was not needed, succeeds whole', async () => {
    let refused = 0;
    for (let nth = 1; nth < 50; nth += 1) {
      faults = await failNthWrite(lathe(), nth, 'ENOSPC');
      const name = `step-${nth}.bin`;
      const reply = await upload(name);
      const reached = faults.steps >= nth;
      faults.restore();
      faults = null;
      if (reply.status === 200) {
        // Stored whole: listed, and the same bytes come back.
        expect(await artifacts()).toContain(name);
        expect((await t.send({ path: `${base}/${name}` })).text).toBe(Buffer.alloc(200_000, 7).toString('utf8'));
      } else {
        refused += 1;
        expect(reply.status).toBe(507);
        expect(reply.json).toEqual({ error_code: 'INTERNAL_ERROR', message: expect.stringMatching(/^The disk is full \(ENOSPC/) });
        expect(await artifacts()).not.toContain(name);
      }
      expect(await readdir(path.join(lathe(), 'tmp')).catch(() => [])).toEqual([]); // nothing half-written left
      expect((await t.get('runs/get', { run_id: runId })).status).toBe(200); // still answering
      if (!reached) break; // the upload took fewer write steps than nth: every step has been tried
    }
    expect(refused).toBeGreaterThan(3);
  });
});
