import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { startAgent, type RunningAgent } from './start-agent.ts';
import { json, send } from './test-support/agent-client.ts';
import { departure, oip } from './test-support/oip-schema.ts';
import { trainPenguinBundles } from './test-support/trained-bundles.ts';

/**
 * The agent against the Open Inference Protocol's published REST schema: a client that knows only
 * the protocol reads the model's metadata, builds a request from it, and gets replies (answers and
 * errors alike) of the shapes the schema promises.
 */
const DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'];
const tempDir = useTempDirs();
let bundlesDir: string;
let agent: RunningAgent;

beforeAll(async () => {
  bundlesDir = await mkdtemp(join(tmpdir(), 'lathe-oip-'));
  const bundles = await trainPenguinBundles(bundlesDir);
  agent = await startAgent({ dataDir: await tempDir(), trust: [bundles.key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {} });
  const loaded = await send(agent.url, '/admin/models/penguins', { method: 'PUT', headers: { Authorization: `Bearer ${agent.newAdminToken}`, 'Content-Type': 'application/octet-stream' }, body: await readFile(bundles.v1) });
  expect(loaded.status, loaded.text).toBe(200);
}, 180_000);

afterAll(async () => {
  await agent?.close();
  await rm(bundlesDir, { recursive: true, force: true });
});

/** A value for a column of `datatype`, as a protocol-only client would make one up. */
function sample(datatype: string, row: number): string | number | boolean {
  if (datatype === 'BYTES') return ['Torgersen', 'Biscoe', 'Dream'][row % 3] ?? 'Dream';
  if (datatype === 'BOOL') return row % 2 === 0;
  return 40 + row;
}

describe('the Open Inference Protocol, as its published schema states it', () => {
  it('answers server and model metadata in the schema\'s shapes, with the protocol\'s datatypes', async () => {
    expect(departure((await send(agent.url, '/v2')).json(), oip.metadata_server_response)).toBeNull();
    const model = (await send(agent.url, '/v2/models/penguins')).json();
    expect(departure(model, oip.metadata_model_response)).toBeNull();
    for (const tensor of [...model.inputs, ...model.outputs]) expect(DATATYPES).toContain(tensor.datatype);
  });

  it('answers a request built from the metadata alone with outputs of the declared names, types and shapes', async () => {
    const model = (await send(agent.url, '/v2/models/penguins')).json();
    const rows = 3;
    const request = {
      id: 'conformance-1',
      parameters: {},
      inputs: model.inputs.map((input: { name: string; datatype: string }) => ({ name: input.name, shape: [rows], datatype: input.datatype, data: Array.from({ length: rows }, (_, row) => sample(input.datatype, row)) })),
    };
    expect(departure(request, oip.inference_request)).toBeNull();

    const reply = await send(agent.url, '/v2/models/penguins/infer', json(request));
    expect(reply.status, reply.text).toBe(200);
    const body = reply.json();
    expect(departure(body, oip.inference_response)).toBeNull();
    expect(body).toMatchObject({ model_name: 'penguins', model_version: '1', id: 'conformance-1' });
    for (const output of body.outputs) {
      const declared = model.outputs.find((tensor: { name: string }) => tensor.name === output.name);
      expect(declared, `output ${output.name} is declared in the metadata`).toBeDefined();
      expect(output.datatype).toBe(declared.datatype);
      expect(output.shape[0]).toBe(rows);
      expect(output.data.flat(Infinity)).toHaveLength(output.shape.reduce((product: number, size: number) => product * size, 1));
    }
    // The same through the versioned path.
    const versioned = await send(agent.url, '/v2/models/penguins/versions/1/infer', json(request));
    expect(departure(versioned.json(), oip.inference_response)).toBeNull();
  });

  it('answers requests it refuses with the schema\'s error object', async () => {
    const refusals = [
      await send(agent.url, '/v2/models/penguins/infer', json({ inputs: [{ name: 'Island', shape: [1], datatype: 'BYTES', data: ['Dream'] }] })),
      await send(agent.url, '/v2/models/penguins/infer', { headers: { 'Content-Type': 'application/json' }, body: '{"inputs": [' }),
      await send(agent.url, '/v2/models/walrus/infer', json({ inputs: [] })),
      await send(agent.url, '/v2/models/penguins/versions/9', {}),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(departure(refused.json(), oip.error_response), refused.text).toBeNull();
    }
  });
});

describe('the schema checker itself', () => {
  it('names where a message departs from its shape', () => {
    expect(departure({ model_name: 'm', outputs: [{ name: 'y', shape: [1.5], datatype: 'FP32', data: [1] }] }, oip.inference_response)).toBe('$.outputs[0].shape[0]: expected an integer');
    expect(departure({ outputs: [] }, oip.inference_response)).toBe('$.model_name: required');
    expect(departure({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [{}] }] }, oip.inference_request)).toBe('$.inputs[0].data[0]: matches none of its allowed shapes');
  });
});
