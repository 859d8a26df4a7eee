import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowServer, type MlflowTestServer } from './mlflow-test-server.ts';

/** experiments/create|get|get-by-name|search, as service.proto and MLflow's server answer them. */
let t: MlflowTestServer;
beforeAll(async () => {
  t = await startMlflowServer();
});
afterAll(async () => {
  await t.close();
});

describe('MLflow experiments over REST', () => {
  it('creates an experiment and answers its id as a string', async () => {
    const created = await t.post('experiments/create', { name: 'penguins', tags: [{ key: 'team', value: 'birds' }] });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ experiment_id: expect.stringMatching(/^[1-9][0-9]*$/) });
  });

  it('gets an experiment by id (GET with a query, or POST) in MLflow JSON', async () => {
    const { experiment_id: id } = (await t.post('experiments/create', { name: 'by-id' })).json as { experiment_id: string };
    const got = await t.get('experiments/get', { experiment_id: id });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.json).toEqual({
      experiment: {
        experiment_id: id,
        name: 'by-id',
        artifact_location: `mlflow-artifacts:/${id}`,
        lifecycle_stage: 'active',
        creation_time: expect.any(Number),
        last_update_time: expect.any(Number),
      },
    });
    expect((await t.post('experiments/get', { experiment_id: id })).json).toEqual(got.json);
  });

  it('gets an experiment by name, with its tags as key/value pairs', async () => {
    const got = await t.get('experiments/get-by-name', { experiment_name: 'penguins' });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ experiment: { name: 'penguins', tags: [{ key: 'team', value: 'birds' }] } });
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for a name or id that is not there, in MLflow words', async () => {
    const byName = await t.get('experiments/get-by-name', { experiment_name: 'nope' });
    expect(byName.status).toBe(404);
    expect(byName.json).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Could not find experiment with name 'nope'" });
    const byId = await t.get('experiments/get', { experiment_id: '99999' });
    expect(byId.status).toBe(404);
    expect(byId.json).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=99999 exists' });
  });

  it('refuses a duplicate name with 400 RESOURCE_ALREADY_EXISTS', async () => {
    const again = await t.post('experiments/create', { name: 'penguins' });
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ error_code: 'RESOURCE_ALREADY_EXISTS', message: 'Experiment(name=penguins) already exists.' });
  });

  it('refuses a missing or over-long name, and bad tags, with INVALID_PARAMETER_VALUE', async () => {
    const missing = await t.post('experiments/create', {});
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Missing value for required parameter 'name'. See the API docs for more information about request parameters.",
    });
    const long = await t.post('experiments/create', { name: 'x'.repeat(501) });
    expect(long.json).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Experiment name exceeds the maximum length of 500 characters' });
    expect((await t.post('experiments/create', { name: 'x'.repeat(500) })).status).toBe(200);
    const badTag = await t.post('experiments/create', { name: 'tagged', tags: [{ key: 'a*b', value: '1' }] });
    expect(badTag.status).toBe(400);
    expect(badTag.json.message).toMatch(/^Invalid tag name: 'a\*b'\. Names may only contain/);
    expect((await t.get('experiments/get-by-name', { experiment_name: 'tagged' })).status).toBe(404);
  });

  it('takes "0", MLflow\'s Default experiment id, as the experiment named Default', async () => {
    const got = await t.get('experiments/get', { experiment_id: '0' });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ experiment: { name: 'Default', lifecycle_stage: 'active' } });
  });

  it('searches experiments by name, paged with next_page_token', async () => {
    for (const name of ['sweep-a', 'sweep-b', 'sweep-c']) await t.post('experiments/create', { name });
    const like = await t.post('experiments/search', { filter: "name LIKE 'sweep-%'", max_results: 2 });
    expect(like.json).toMatchObject({ experiments: expect.any(Array) });
    expect(like.status).toBe(200);
    expect((like.json.experiments as { name: string }[]).map((e) => e.name)).toEqual(['sweep-a', 'sweep-b']);
    const rest = await t.post('experiments/search', { filter: "name LIKE 'sweep-%'", max_results: 2, page_token: like.json.next_page_token });
    expect((rest.json.experiments as { name: string }[]).map((e) => e.name)).toEqual(['sweep-c']);
    expect(rest.json.next_page_token).toBeUndefined();
    const exact = await t.get('experiments/search', { filter: "name = 'penguins'" });
    expect((exact.json.experiments as { name: string }[]).map((e) => e.name)).toEqual(['penguins']);
    const bad = await t.post('experiments/search', { filter: 'tags.x = 1' });
    expect(bad.status).toBe(400);
    expect(bad.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await t.post('experiments/search', { max_results: 50_001 })).status).toBe(400);
  });
});
