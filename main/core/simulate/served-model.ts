import { z } from 'zod';
import { agentFetch, agentRefusal, parseReply, type AgentAddress } from '../deploy/agent-http.ts';
import { failure } from '../errors.ts';

/**
 * What a deployment's model reads and answers, asked of the agent itself (OIP model metadata,
 * GET /v2/models/{name}): its input columns with their types, the column it predicts, and its
 * classes when it is a classifier. Simulated requests are built from this, so they are what the
 * running version accepts, whichever version that is.
 */
export interface ServedModelShape {
  name: string;
  versions: string[];
  inputs: { name: string; type: string }[];
  target: string;
  classes: string[] | null;
}

const Metadata = z.object({
  name: z.string(),
  versions: z.array(z.string()).default([]),
  inputs: z.array(z.object({ name: z.string(), datatype: z.string(), parameters: z.object({ column_type: z.string() }).partial().optional() })).min(1),
  outputs: z.array(z.object({ name: z.string(), parameters: z.object({ classes: z.array(z.string()) }).partial().optional() })).min(1),
});

export async function servedModel(target: AgentAddress, model: string): Promise<ServedModelShape> {
  const path = `/v2/models/${encodeURIComponent(model)}`;
  const reply = await agentFetch(target, path, { admin: false });
  if (reply.status === 404) {
    let said = '';
    try {
      said = String((JSON.parse(reply.text) as { error?: unknown }).error ?? '');
    } catch {
      // said stays empty
    }
    throw failure('NOT_FOUND', `Target ${target.name} (${target.url}) serves no model ${model}${said ? `: ${said}` : '.'}`, {
      hint: '`lathe deploy status` shows what each target serves; name the deployment TARGET/MODEL.',
      location: { field: 'deployment' },
    });
  }
  if (reply.status !== 200) throw agentRefusal(target, path, reply);
  const metadata = parseReply(target, path, reply.text, Metadata);
  const classes = metadata.outputs.find((output) => output.name === 'probabilities')?.parameters?.classes ?? null;
  return {
    name: metadata.name,
    versions: metadata.versions,
    inputs: metadata.inputs.map((input) => ({ name: input.name, type: input.parameters?.column_type ?? (input.datatype === 'BYTES' ? 'string' : input.datatype === 'BOOL' ? 'boolean' : 'number') })),
    target: metadata.outputs[0]!.name,
    classes,
  };
}
