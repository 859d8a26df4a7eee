/**
 * The Open Inference Protocol's REST messages (KServe's published v2 data-plane schema,
 * `docs/predict-api/v2/rest_predict_v2.yaml`, and `required_api.md`), written down as the
 * required fields and types each message must have, with a checker that names the first path
 * where a message departs from them. A test builds requests from these shapes and holds the
 * agent's replies to them.
 */
export type Shape =
  | { type: 'string' | 'integer' | 'number' | 'boolean' }
  | { type: 'object'; required?: readonly string[]; properties?: Readonly<Record<string, Shape>> }
  | { type: 'array'; items: Shape }
  | { anyOf: readonly Shape[] }
  | { ref: 'tensor_data' };

const parameters: Shape = { type: 'object' };
const tensorData: Shape = { type: 'array', items: { anyOf: [{ ref: 'tensor_data' }, { type: 'number' }, { type: 'string' }, { type: 'boolean' }] } };
const metadataTensor: Shape = { type: 'object', required: ['name', 'datatype', 'shape'], properties: { name: { type: 'string' }, datatype: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } } } };

export const oip: Record<'tensor_data' | 'metadata_server_response' | 'metadata_model_response' | 'inference_request' | 'inference_response' | 'error_response', Shape> = {
  tensor_data: tensorData,
  metadata_server_response: { type: 'object', required: ['name', 'version', 'extensions'], properties: { name: { type: 'string' }, version: { type: 'string' }, extensions: { type: 'array', items: { type: 'string' } } } },
  metadata_model_response: {
    type: 'object',
    required: ['name', 'platform'],
    properties: { name: { type: 'string' }, versions: { type: 'array', items: { type: 'string' } }, platform: { type: 'string' }, inputs: { type: 'array', items: metadataTensor }, outputs: { type: 'array', items: metadataTensor } },
  },
  inference_request: {
    type: 'object',
    required: ['inputs'],
    properties: {
      id: { type: 'string' },
      parameters,
      inputs: { type: 'array', items: { type: 'object', required: ['name', 'shape', 'datatype', 'data'], properties: { name: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } }, datatype: { type: 'string' }, parameters, data: tensorData } } },
      outputs: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, parameters } } },
    },
  },
  inference_response: {
    type: 'object',
    required: ['model_name', 'outputs'],
    properties: {
      model_name: { type: 'string' },
      model_version: { type: 'string' },
      id: { type: 'string' },
      parameters,
      outputs: { type: 'array', items: { type: 'object', required: ['name', 'shape', 'datatype', 'data'], properties: { name: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } }, datatype: { type: 'string' }, parameters, data: tensorData } } },
    },
  },
  error_response: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
};

/** Where `value` departs from `shape` (`$.outputs[0].shape[1]: expected an integer`), or null. */
export function departure(value: unknown, shape: Shape, at = '$'): string | null {
  if ('ref' in shape) return departure(value, oip[shape.ref], at);
  if ('anyOf' in shape) return shape.anyOf.some((option) => departure(value, option, at) === null) ? null : `${at}: matches none of its allowed shapes`;
  switch (shape.type) {
    case 'string':
    case 'boolean':
      return typeof value === shape.type ? null : `${at}: expected a ${shape.type}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `${at}: expected a number`;
    case 'integer':
      return Number.isInteger(value) ? null : `${at}: expected an integer`;
    case 'array':
      if (!Array.isArray(value)) return `${at}: expected an array`;
      for (const [index, item] of value.entries()) {
        const found = departure(item, shape.items, `${at}[${index}]`);
        if (found) return found;
      }
      return null;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${at}: expected an object`;
      const record = value as Record<string, unknown>;
      for (const key of shape.required ?? []) if (!(key in record)) return `${at}.${key}: required`;
      for (const [key, inner] of Object.entries(shape.properties ?? {})) {
        if (key in record) {
          const found = departure(record[key], inner, `${at}.${key}`);
          if (found) return found;
        }
      }
      return null;
    }
  }
}
