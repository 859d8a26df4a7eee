import { describe, expect, it } from 'vitest';
import type { ServedModel } from '../core/serving/serving-messages.ts';
import { MAX_ROWS_PER_REQUEST, parseV1Request, parseV2Request } from './inference-request.ts';

const model: ServedModel = {
  task: 'classification',
  target: 'Species',
  inputs: [
    { name: 'Island', type: 'string' },
    { name: 'Beak Length (mm)', type: 'number' },
    { name: 'Alive', type: 'boolean' },
  ],
  classes: ['Adelie', 'Gentoo'],
};

const tensors = (n = 2) => [
  { name: 'Island', shape: [n], datatype: 'BYTES', data: Array.from({ length: n }, (_, i) => (i % 2 ? 'Biscoe' : 'Dream')) },
  { name: 'Beak Length (mm)', shape: [n], datatype: 'FP64', data: Array.from({ length: n }, (_, i) => 40 + i) },
  { name: 'Alive', shape: [n], datatype: 'BOOL', data: Array.from({ length: n }, () => true) },
];

const error = (body: unknown) => {
  const parsed = parseV2Request(body, model);
  if (parsed.ok) throw new Error('expected a refusal');
  return parsed.error;
};

describe('an Open Inference Protocol v2 request', () => {
  it('becomes one row per index, one column per input tensor, with its id kept', () => {
    expect(parseV2Request({ id: 'r-1', inputs: tensors() }, model)).toEqual({
      ok: true,
      id: 'r-1',
      rows: [
        { Island: 'Dream', 'Beak Length (mm)': 40, Alive: true },
        { Island: 'Biscoe', 'Beak Length (mm)': 41, Alive: true },
      ],
    });
  });

  it('takes null as a missing value, [N, 1] shapes, integer types for numbers and parameters (the pandas codec)', () => {
    const inputs = tensors(1);
    inputs[1] = { name: 'Beak Length (mm)', shape: [1, 1] as never, datatype: 'INT32', data: [null as never] };
    expect(parseV2Request({ parameters: { content_type: 'pd' }, inputs }, model)).toMatchObject({ ok: true, rows: [{ 'Beak Length (mm)': null }] });
  });

  it('names the column that is missing, extra, given twice, or of the wrong type', () => {
    expect(error({ inputs: tensors().slice(0, 2) })).toBe('Missing input "Alive": send one tensor per column the model reads.');
    expect(error({ inputs: [...tensors(), { name: 'Colour', shape: [2], datatype: 'BYTES', data: ['a', 'b'] }] })).toBe('input "Colour" is not a column this model reads; it reads "Island", "Beak Length (mm)", "Alive".');
    expect(error({ inputs: [...tensors(), tensors()[0]] })).toBe('input "Island" is given twice.');
    const wrongType = tensors();
    wrongType[1] = { ...wrongType[1]!, datatype: 'BYTES' };
    expect(error({ inputs: wrongType })).toBe('input "Beak Length (mm)": datatype BYTES does not fit a number column; send an integer or FP type.');
    const wrongValue = tensors();
    wrongValue[1] = { ...wrongValue[1]!, data: [40, '41'] as never };
    expect(error({ inputs: wrongValue })).toBe('input "Beak Length (mm)": data[1] is the string "41"; expected a number (or null for a missing value).');
    expect(error({ inputs: [{ ...tensors()[0]!, datatype: 'STRING' }] })).toMatch(/^input "Island": datatype the string "STRING" is not one of BOOL, .*BYTES\.$/);
  });

  it('refuses shapes that disagree with the data or with each other, and more rows than it takes', () => {
    const short = tensors();
    short[0] = { ...short[0]!, shape: [3] };
    expect(error({ inputs: short })).toBe('input "Island": shape says 3 rows but data holds 2 values.');
    const uneven = tensors();
    uneven[2] = { name: 'Alive', shape: [1], datatype: 'BOOL', data: [true] };
    expect(error({ inputs: uneven })).toBe('input "Alive" has 1 rows, the inputs before it 2: every column must have the same number of rows.');
    expect(error({ inputs: [{ ...tensors()[0]!, shape: [2, 3] }] })).toBe('input "Island": shape must be [N] (or [N, 1]) with N the number of rows, got [2,3].');
    const n = MAX_ROWS_PER_REQUEST + 1;
    expect(error({ inputs: [{ name: 'Island', shape: [n], datatype: 'BYTES', data: [] }] })).toBe(`input "Island": ${n} rows in one request; at most ${MAX_ROWS_PER_REQUEST} (send the rest in further requests).`);
  });

  it('refuses bodies that are not requests at all', () => {
    expect(error(null)).toBe('The request body must be a JSON object with "inputs": one tensor per column.');
    expect(error([])).toBe('The request body must be a JSON object with "inputs": one tensor per column.');
    expect(error({ instances: [] })).toBe('"instances" is not a field of an inference request (it has id, parameters, inputs, outputs).');
    expect(error({ inputs: 'Island' })).toBe('inputs: expected a list of tensors, one per column ("Island", "Beak Length (mm)", "Alive").');
    expect(error({ inputs: [7] })).toBe('inputs[0]: expected a tensor {"name", "shape", "datatype", "data"}, got number 7.');
    expect(error({ id: 7, inputs: tensors() })).toBe('id: expected a string, got number 7.');
    expect(error({ inputs: tensors(), outputs: [{ name: 'Species' }, 'probabilities'] })).toBe('outputs[1]: this model\'s outputs are "Species", "probabilities"; got the string "probabilities".');
    expect(parseV2Request({ inputs: tensors(), outputs: [{ name: 'probabilities' }] }, model)).toMatchObject({ ok: true, outputs: ['probabilities'] });
  });
});

describe('a KServe v1 predict request', () => {
  it('passes rows keyed by column through, and names the row and field that is wrong', () => {
    const row = { Island: 'Dream', 'Beak Length (mm)': 40, Alive: 'true' };
    expect(parseV1Request({ instances: [row] }, model)).toEqual({ ok: true, rows: [row], id: undefined });
    const v1Error = (body: unknown) => (parseV1Request(body, model) as { error: string }).error;
    expect(v1Error({ instances: [row, { Island: 'Dream', 'Beak Length (mm)': 40 }] })).toBe('instances[1] lacks "Alive" (send null for a missing value).');
    expect(v1Error({ instances: [{ ...row, Colour: 'red' }] })).toBe('instances[0].Colour is not a column this model reads; it reads "Island", "Beak Length (mm)", "Alive".');
    expect(v1Error({ instances: [{ ...row, Island: 3 }] })).toBe('instances[0].Island is number 3; expected a string (or null for a missing value).');
    expect(v1Error({ instances: [row], signature_name: 'x' })).toBe('"signature_name" is not a field of a v1 predict request (it has only "instances").');
    expect(v1Error({ inputs: [] })).toBe('The request body must be {"instances": [{column: value, …}, …]}.');
  });
});
