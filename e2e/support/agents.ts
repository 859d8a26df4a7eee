import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test as latheTest, type LatheServer } from './lathe-server.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const nodeBinary = join(repoRoot, 'node_modules/.bin/node');

/** A deploy target on this machine: what `lathe agent --json` prints once it listens. */
export interface LocalAgent {
  /** A short name for the spec's own use ("edge-1"). */
  readonly name: string;
  readonly url: string;
  /** The admin token, printed once at the agent's first start. */
  readonly adminToken: string;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Call lathe serve the way the page does: JSON, with the session token. */
export async function callLathe<T>(lathe: LatheServer, name: string, input: Record<string, unknown>): Promise<T> {
  const origin = new URL(lathe.url).origin;
  const response = await fetch(`${origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${lathe.token}`, origin },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as Result<T>;
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** The first line the agent prints (its JSON summary), or why it printed none. */
function firstLine(child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<string> {
  if (!child.stdout) throw new Error('lathe agent has no stdout');
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`lathe agent printed nothing in ${timeoutMs} ms.\n${stderr()}`)), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolvePromise(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lathe agent exited with code ${code} before printing its address.\n${stderr()}`));
    });
  });
}

/** A `lathe agent --port 0` child with its own new data folder inside the server's temp root, trusting `publicKey`. */
export interface AgentChild {
  agent: LocalAgent;
  child: ChildProcess;
  /** What it has written to stderr so far. */
  stderr(): string;
}

export async function startAgentChild(root: string, name: string, publicKey: string): Promise<AgentChild> {
  const dataDir = join(root, `agent-${name}`);
  await mkdir(dataDir);
  let stderr = '';
  const child = spawn(nodeBinary, ['main/cli/lathe.ts', 'agent', '--port', '0', '--data-dir', dataDir, '--trust', publicKey, '--json'], {
    cwd: repoRoot,
    env: { ...process.env, HOME: join(root, 'home'), LATHE_CONFIG_DIR: join(root, 'config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  try {
    const printed = JSON.parse(await firstLine(child, () => stderr, 30_000)) as { url: string; adminToken: string | null };
    if (!printed.adminToken) throw new Error(`lathe agent ${name} printed no admin token: its data folder was not new.`);
    // Keep reading stdout so the agent never blocks on a full pipe.
    child.stdout?.resume();
    return { agent: { name, url: printed.url, adminToken: printed.adminToken }, child, stderr: () => stderr };
  } catch (error) {
    await stopAgentChild(child);
    throw error;
  }
}

export async function stopAgentChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Two deploy targets beside each test's `lathe serve`: `lathe agent --port 0` child processes, each
 * with its own data folder inside the server's temp root, trusting the workspace's signing key
 * (keys:show, what `lathe keys show` prints), stopped after the test.
 */
export const test = latheTest.extend<{ agents: readonly [LocalAgent, LocalAgent] }>({
  agents: async ({ lathe }, use, testInfo) => {
    const key = await callLathe<{ publicKey: string }>(lathe, 'keys:show', {});
    const started: AgentChild[] = [];
    try {
      for (const name of ['edge-1', 'edge-2']) started.push(await startAgentChild(lathe.root, name, key.publicKey));
      await use([started[0]!.agent, started[1]!.agent]);
    } finally {
      await Promise.all(started.map(({ child }) => stopAgentChild(child)));
      const log = started
        .filter(({ stderr }) => stderr().trim().split('\n').length > 1)
        .map(({ agent, stderr }) => `${agent.name}:\n${stderr()}`)
        .join('\n');
      if (log) await testInfo.attach('lathe-agent-stderr', { body: log, contentType: 'text/plain' });
    }
  },
});

export { expect, screenshotPath } from './lathe-server.ts';

/** The sample penguins without their label, rows with a missing value left out: what callers send. */
async function penguinRows(): Promise<Record<string, string | number>[]> {
  const text = await readFile(join(repoRoot, 'resources/samples/penguins.csv'), 'utf8');
  const [head, ...lines] = text.trim().split('\n');
  const columns = head!.split(',');
  return lines
    .map((line) => line.split(','))
    .filter((cells) => cells.length === columns.length && !cells.some((cell) => cell === 'NA' || cell === ''))
    .map((cells) => Object.fromEntries(columns.map((column, i) => [column, Number.isFinite(Number(cells[i])) ? Number(cells[i]) : cells[i]!])));
}

/**
 * Callers of a served model: one row per request to each agent's `/v2/models/{model}/infer`
 * (the columns its metadata asks for), about 50 requests a second per agent, until stop(). With
 * feedback on, each answer's true label goes to `/v2/models/{model}/feedback` under the request
 * id the answer carried, as an app that learns outcomes later would. The pace is a rate, not a
 * wait: a canary's analysis needs requests in every interval.
 */
export function sendTraffic(agents: readonly LocalAgent[], model: string, perSecond = 50) {
  let stopped = false;
  let feedback = false;
  const counts = { answered: 0, failed: 0, feedback: 0, problem: null as string | null };
  const path = `/v2/models/${encodeURIComponent(model)}`;
  const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const loops = agents
    .map(async (agent) => {
      const rows = await penguinRows();
      const metadata = (await (await fetch(`${agent.url}${path}`)).json()) as { inputs: { name: string; datatype: string }[] };
      const tensors = (row: Record<string, string | number>) => metadata.inputs.map((input) => ({ name: input.name, shape: [1], datatype: input.datatype, data: [row[input.name] ?? null] }));
      for (let i = 0; !stopped; i++) {
        const started = Date.now();
        const row = rows[i % rows.length]!;
        const answer = await post(`${agent.url}${path}/infer`, { inputs: tensors(row) }).catch(() => null);
        await answer?.arrayBuffer().catch(() => undefined);
        if (answer?.ok) counts.answered++;
        else counts.failed++;
        const id = answer?.headers.get('x-request-id');
        if (feedback && id) {
          const told = await post(`${agent.url}${path}/feedback`, { id, label: row['Species'] }).catch(() => null);
          await told?.arrayBuffer().catch(() => undefined);
          if (told?.ok) counts.feedback++;
        }
        const pause = 1000 / perSecond - (Date.now() - started);
        if (pause > 0) await new Promise((resolvePromise) => setTimeout(resolvePromise, pause));
      }
    })
    .map((loop) => loop.catch((error: unknown) => void (counts.problem = String(error))));
  return {
    /** Send each answer's true label back from now on (on) or not. */
    giveFeedback: (on: boolean) => void (feedback = on),
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      return counts;
    },
  };
}
