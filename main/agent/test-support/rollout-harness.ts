import { readFile } from 'node:fs/promises';
import type { StartRolloutInput } from '../../../shared/contract/agent-admin.ts';
import { ManualClock } from '../rollouts/rollout-clock.ts';
import { startAgent, type AgentOptions, type RunningAgent } from '../start-agent.ts';
import { json, send, tensorsOf, type Answer } from './agent-client.ts';
import { ADELIE, type TrainedBundles } from './trained-bundles.ts';

/**
 * An agent for rollout tests: its time is a ManualClock (an interval passes at tick()), and its
 * traffic split a fixed sequence of draws that alternates between the lower and upper half
 * (0.00, 0.50, 0.01, 0.51, …), so at weight 50 every other request goes to the candidate, at
 * 100 every one.
 */
export interface RolloutAgent extends RunningAgent {
  token: string;
  dataDir: string;
  clock: ManualClock;
}

export function cyclingDraw(): () => number {
  let i = 0;
  return () => {
    const n = i++;
    return ((n % 2) * 50 + (Math.floor(n / 2) % 50)) / 100;
  };
}

export async function rolloutAgent(bundles: TrainedBundles, dataDir: string, options: Partial<AgentOptions> = {}): Promise<RolloutAgent> {
  const clock = new ManualClock();
  const agent = await startAgent({ dataDir, trust: [bundles.key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {}, clock, random: cyclingDraw(), ...options });
  return Object.assign(agent, { token: agent.newAdminToken ?? '', dataDir, clock: (options.clock as ManualClock | undefined) ?? clock });
}

export const adminHeaders = (token: string, type = 'application/json') => ({ Authorization: `Bearer ${token}`, 'Content-Type': type });

export async function putBundle(agent: { url: string; token: string }, path: string, file: string): Promise<Answer> {
  return send(agent.url, path, { method: 'PUT', headers: adminHeaders(agent.token, 'application/octet-stream'), body: await readFile(file) });
}

export function startRollout(agent: { url: string; token: string }, spec: StartRolloutInput): Promise<Answer> {
  return send(agent.url, '/admin/rollouts', { method: 'POST', headers: adminHeaders(agent.token), body: JSON.stringify(spec) });
}

export function rolloutAction(agent: { url: string; token: string }, id: string, action: string, body?: unknown): Promise<Answer> {
  return send(agent.url, `/admin/rollouts/${id}/${action}`, { method: 'POST', headers: adminHeaders(agent.token), body: body === undefined ? '' : JSON.stringify(body) });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rolloutStatus(agent: { url: string; token: string }, id: string): Promise<any> {
  const answer = await send(agent.url, `/admin/rollouts/${id}`, { headers: adminHeaders(agent.token) });
  if (answer.status !== 200) throw new Error(`GET rollout ${id}: ${answer.status} ${answer.text}`);
  return answer.json();
}

/** Stable v1 loaded, `candidate` loaded beside it. */
export async function withCandidate(agent: { url: string; token: string }, bundles: TrainedBundles, candidate: string): Promise<void> {
  const stable = await putBundle(agent, '/admin/models/penguins', bundles.v1);
  if (stable.status !== 200) throw new Error(`stable upload: ${stable.text}`);
  const loaded = await putBundle(agent, '/admin/models/penguins/candidate', candidate);
  if (loaded.status !== 200) throw new Error(`candidate upload: ${loaded.text}`);
}

/** `n` one-row predictions in turn (of ADELIE unless `rowOf` says otherwise); the answers in order. */
export async function predictions(url: string, n: number, headers: (i: number) => Record<string, string> = () => ({}), rowOf: (i: number) => Record<string, string | number | null> = () => ADELIE): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < n; i++) {
    const request = json({ inputs: tensorsOf([rowOf(i)]) });
    answers.push(await send(url, '/v2/models/penguins/infer', { ...request, headers: { ...request.headers, ...headers(i) } }));
  }
  return answers;
}
