import { z } from 'zod';
import { MonitoringSettings, MonitoringState, ReferenceInfo, type MonitoringSettingsPatch, type ReferenceProfile } from '../../../shared/contract/monitoring.ts';
import { agentJson, type AgentAddress } from '../deploy/agent-http.ts';

/**
 * The agent's monitoring admin API (shared/contract/monitoring.ts), as the app calls it: each
 * reply checked against the contract, each failure a Lathe error naming the target (agent-http.ts).
 */
const modelPath = (model: string) => `/admin/models/${encodeURIComponent(model)}`;

/** GET /admin/monitoring/{model}: its windows with an index above `after` (the agent's last 50 when left out). */
export function fetchMonitoring(target: AgentAddress, model: string, after?: number): Promise<MonitoringState> {
  const query = after === undefined || after < 0 ? '' : `?after=${after}`;
  return agentJson(target, `/admin/monitoring/${encodeURIComponent(model)}${query}`, MonitoringState);
}

/** PUT /admin/models/{model}/monitoring: the settings changed, answered in full. */
export function configureMonitoring(target: AgentAddress, model: string, patch: MonitoringSettingsPatch): Promise<MonitoringSettings> {
  return agentJson(target, `${modelPath(model)}/monitoring`, MonitoringSettings, { method: 'PUT', body: patch });
}

/** PUT /admin/models/{model}/reference: the training reference drift is judged against. */
export async function sendReference(target: AgentAddress, model: string, profile: ReferenceProfile): Promise<ReferenceInfo> {
  const reply = await agentJson(target, `${modelPath(model)}/reference`, z.object({ reference: ReferenceInfo }), { method: 'PUT', body: profile, timeoutMs: 60_000 });
  return reply.reference;
}
