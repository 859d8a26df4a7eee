import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/contract/runs.ts';
import { startMlflowServer, type MlflowTestServer } from './mlflow-test-server.ts';

/**
 * The artifact proxy MLflow's client uses for `mlflow-artifacts:/` URIs, and artifacts/list:
 * files go into the run's artifacts (the content-addressed store), come back checked, and a
 * hostile path is refused with nothing read or written.
 */
let t: MlflowTestServer;
let runId: string;
let experimentId: string;
let base: string;
beforeAll(async () => {
  t = await startMlflowServer({ maxUploadBytes: 64 * 1024 });
  const info = ((await t.post('runs/create', { experiment_id: '0' })).json.run as { info: { run_id: string; experiment_id: string } }).info;
  [runId, experimentId] = [info.run_id, info.experiment_id];
  base = `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts`;
});
afterAll(async () => {
  await t.close();
});

const put = (rawPath: string, body: string | Buffer) => t.send({ method: 'PUT', path: rawPath, body, headers: { 'content-type': 'application/octet-stream' } });
const artifactsOf = async (run: string) => ((await t.call('runs:get', { runId: run })) as RunDetail).artifacts.map((artifact) => artifact.path).sort();

describe('uploading and downloading', () => {
  it('stores a PUT file as an artifact of the run and sends the same bytes back', async () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256));
    expect((await put(`${base}/model/weights.bin`, bytes)).json).toEqual({});
    expect((await put(`${base}/notes.txt`, 'hello')).status).toBe(200);
    const back = await t.send({ path: `${base}/model/weights.bin` });
    expect(back.status).toBe(200);
    expect(back.headers['content-type']).toBe('application/octet-stream');
    expect(Number(back.headers['content-length'])).toBe(3000);
    expect(await artifactsOf(runId)).toEqual(['model/weights.bin', 'notes.txt']);
    // The UI's own call reads the same artifact.
    expect(await t.call('runs:read-artifact', { runId, path: 'notes.txt' })).toMatchObject({ text: 'hello', bytes: 5 });
  });

  it('decodes percent-encoded names part by part', async () => {
    expect((await put(`${base}/plots/loss%20curve.txt`, 'curve')).status).toBe(200);
    expect((await t.send({ path: `${base}/plots/loss%20curve.txt` })).text).toBe('curve');
  });

  it('lists a folder the way the proxy does (names relative to it) and artifacts/list does (relative to the run)', async () => {
    const top = await t.send({ path: `/api/2.0/mlflow-artifacts/artifacts?path=${experimentId}/${runId}/artifacts` });
    expect(top.json).toEqual({
      files: [
        { path: 'model', is_dir: true },
        { path: 'notes.txt', is_dir: false, file_size: 5 },
        { path: 'plots', is_dir: true },
      ],
    });
    const model = await t.send({ path: `/api/2.0/mlflow-artifacts/artifacts?path=${experimentId}/${runId}/artifacts/model` });
    expect(model.json).toEqual({ files: [{ path: 'weights.bin', is_dir: false, file_size: 3000 }] });
    const listed = await t.get('artifacts/list', { run_id: runId, path: 'model' });
    expect(listed.json).toEqual({ root_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`, files: [{ path: 'model/weights.bin', is_dir: false, file_size: 3000 }] });
    expect((await t.get('artifacts/list', { run_id: runId })).json.files).toHaveLength(3);
  });

  it('answers 404 for an artifact the run does not have, or a run in another experiment', async () => {
    expect((await t.send({ path: `${base}/missing.bin` })).json.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const elsewhere = await t.send({ path: `/api/2.0/mlflow-artifacts/artifacts/9999/${runId}/artifacts/notes.txt` });
    expect(elsewhere.status).toBe(404);
  });

  it('refuses an upload over the server limit and keeps nothing of it', async () => {
    const reply = await put(`${base}/big.bin`, Buffer.alloc(64 * 1024 + 1));
    expect(reply.status).toBe(413);
    expect(reply.json.message).toContain("Artifact 'big.bin' is larger than this server's limit");
    expect(await artifactsOf(runId)).not.toContain('big.bin');
  });

  it('refuses uploads to a deleted run', async () => {
    const other = ((await t.post('runs/create', { experiment_id: '0' })).json.run as { info: { run_id: string } }).info.run_id;
    await t.post('runs/delete', { run_id: other });
    const reply = await put(`/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${other}/artifacts/a.txt`, 'x');
    expect(reply.status).toBe(400);
    expect(reply.json.message).toBe(`The run ${other} must be in the 'active' state. Current state is deleted.`);
    expect(await artifactsOf(other)).toEqual([]);
  });

  it('never sends damaged bytes as good: a blob changed on disk is refused with DATA_LOSS', async () => {
    await put(`${base}/fragile.txt`, 'the real bytes');
    const artifact = ((await t.call('runs:get', { runId })) as RunDetail).artifacts.find((a) => a.path === 'fragile.txt')!;
    const hex = artifact.contentHash.replace('sha256:', '');
    await writeFile(path.join(t.workspace, '.lathe', 'objects', 'sha256', hex.slice(0, 2), hex.slice(2)), 'the fake bytes');
    const reply = await t.send({ path: `${base}/fragile.txt` });
    expect(reply.status).toBe(500);
    expect(reply.json.error_code).toBe('DATA_LOSS');
    expect(reply.text).not.toContain('fake');
  });
});

describe('hostile paths', () => {
  const hostile = [
    ['a ".." part', '/../../../etc/passwd'],
    ['an encoded ".." part', '/%2e%2e/%2e%2e/secret.txt'],
    ['an encoded "/"', '/..%2f..%2fsecret.txt'],
    ['an encoded backslash', '/..%5c..%5csecret.txt'],
    ['a NUL', '/a%00.txt'],
    ['a raw backslash', '/a\\b.txt'],
    ['an empty part (absolute path after artifacts/)', '//etc/passwd'],
    ['a "." part', '/./a.txt'],
  ];

  it.each(hostile)('refuses %s with 400 and writes nothing', async (_what, tail) => {
    const before = await artifactsOf(runId);
    const objectsBefore = await countFiles(path.join(t.workspace, '.lathe', 'objects'));
    const reply = await put(`${base}${tail}`, 'payload');
    expect(reply.status).toBe(400);
    expect(reply.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(await artifactsOf(runId)).toEqual(before);
    expect(await countFiles(path.join(t.workspace, '.lathe', 'objects'))).toBe(objectsBefore);
    expect((await t.send({ path: `${base}${tail}` })).status).toBe(400);
  });

  it('refuses a traversal in a listing path, and reads nothing outside the run', async () => {
    for (const folder of [`${experimentId}/${runId}/artifacts/../..`, `${experimentId}/${runId}/artifacts/..`]) {
      const reply = await t.send({ path: `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(folder)}` });
      expect(reply.status).toBe(400);
    }
    expect((await t.get('artifacts/list', { run_id: runId, path: '../../..' })).status).toBe(400);
    expect((await t.get('artifacts/list', { run_id: runId, path: '/etc' })).status).toBe(400);
    // What lies beside the workspace stays unread: the secret is never in any answer.
    const secret = path.join(t.workspace, '..', 'secret.txt');
    await writeFile(secret, 'TOP-SECRET');
    const reply = await t.send({ path: `${base}/..%2f..%2f..%2fsecret.txt` });
    expect(reply.text).not.toContain('TOP-SECRET');
    expect(await readFile(secret, 'utf8')).toBe('TOP-SECRET');
  });
});

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).length;
}
