import { z } from 'zod';
import type { ServedModel, TargetHealth } from '../../../shared/contract/deployments.ts';
import { toLatheError } from '../errors.ts';
import { agentFetch, agentRefusal, parseReply, type AgentAddress } from './agent-http.ts';

/**
 * What `GET /admin/models` says, read leniently: only the fields a probe shows (the agent's full
 * shape is AgentModelList in agent-admin.ts), so an agent one release apart still lists.
 */
const LoadedModels = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      stable: z.object({ version: z.string() }),
      candidate: z.object({ version: z.string() }).nullable(),
      candidateWeight: z.number(),
      rollout: z.string().nullable().optional(),
    }),
  ),
  notLoaded: z.array(z.object({ name: z.string(), error: z.string() })).default([]),
});
const ServerMetadata = z.object({ name: z.string(), version: z.string() });

const PROBE_TIMEOUT_MS = 3_000;

/**
 * A live look at a target: reachable (`GET /v2`, the agent's name and version), ready
 * (`/v2/health/ready`), the token accepted and what is loaded (`GET /admin/models`). Never
 * throws: each failure is said in `problem`, for a list that shows every target however it fares.
 */
export async function probeTarget(target: AgentAddress, now: () => Date = () => new Date()): Promise<TargetHealth> {
  const health: TargetHealth = { checkedAt: now().toISOString(), reachable: false, ready: null, authorized: null, agentVersion: null, models: [], notLoaded: [], problem: null };
  try {
    const meta = await agentFetch(target, '/v2', { admin: false, timeoutMs: PROBE_TIMEOUT_MS });
    health.reachable = true;
    if (meta.status !== 200) throw agentRefusal(target, '/v2', meta);
    const server = parseReply(target, '/v2', meta.text, ServerMetadata);
    if (server.name !== 'lathe-agent') return { ...health, problem: `${target.url} answers the Open Inference Protocol, but it is ${server.name}, not a Lathe agent.` };
    health.agentVersion = server.version;
    const ready = await agentFetch(target, '/v2/health/ready', { admin: false, timeoutMs: PROBE_TIMEOUT_MS });
    health.ready = ready.status === 200;
    const models = await agentFetch(target, '/admin/models', { timeoutMs: PROBE_TIMEOUT_MS });
    if (models.status === 401) return { ...health, authorized: false, problem: toLatheError(agentRefusal(target, '/admin/models', models)).message };
    if (models.status !== 200) throw agentRefusal(target, '/admin/models', models);
    health.authorized = true;
    const loaded = parseReply(target, '/admin/models', models.text, LoadedModels);
    health.models = loaded.models.map(
      (model): ServedModel => ({ name: model.name, stableVersion: model.stable.version, candidateVersion: model.candidate?.version ?? null, candidateWeight: model.candidateWeight, rollout: model.rollout ?? null }),
    );
    health.notLoaded = loaded.notLoaded;
    return health;
  } catch (error) {
    return { ...health, problem: toLatheError(error).message };
  }
}
