import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { MonitoringSettings, type MonitoringState, type WindowSummary } from '../../../shared/contract/monitoring.ts';

/**
 * Tests only: an HTTP server answering the agent's monitoring admin API (shared/contract/
 * monitoring.ts) for one model from a state the test changes between calls, recording each
 * request's method and path. Enough of the rest (/metrics, /admin/models) for the metrics sampler.
 */
export interface FakeMonitoringAgent {
  url: string;
  token: string;
  model: string;
  /** What GET /admin/monitoring/{model} answers (windows filtered by ?after=N). */
  state: MonitoringState;
  /** The version /admin/models/{model} says is stable; null: the model is not served. */
  version: string | null;
  requests: string[];
  /** The last profile PUT to /admin/models/{model}/reference. */
  reference: unknown;
  close(): Promise<void>;
}

export async function fakeMonitoringAgent(model = 'penguins'): Promise<FakeMonitoringAgent> {
  const token = 'lathe_agent_fake-token';
  const agent: Omit<FakeMonitoringAgent, 'url' | 'close'> = { token, model, state: emptyState(model), version: '1', requests: [], reference: null };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://agent');
      agent.requests.push(`${req.method} ${url.pathname}${url.search}`);
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/metrics') {
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
        res.end('');
        return;
      }
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { error: 'the admin token is missing or wrong' });
      const modelPath = `/admin/models/${encodeURIComponent(model)}`;
      if (url.pathname === '/admin/models') return reply(200, { models: agent.version === null ? [] : [{ name: model, stable: { version: agent.version } }] });
      if (url.pathname.startsWith('/admin/models/') && !url.pathname.startsWith(modelPath)) return reply(404, { error: 'no such model' });
      if (url.pathname === modelPath) return agent.version === null ? reply(404, { error: `no model named ${model}` }) : reply(200, { name: model, stable: { version: agent.version } });
      if (url.pathname === `${modelPath}/monitoring` && req.method === 'PUT') {
        const settings = MonitoringSettings.safeParse({ ...agent.state.settings, ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as object) });
        if (!settings.success) return reply(400, { error: settings.error.issues[0]?.message });
        agent.state = { ...agent.state, settings: settings.data };
        return reply(200, settings.data);
      }
      if (url.pathname === `${modelPath}/reference` && req.method === 'PUT') {
        agent.reference = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const profile = agent.reference as { model: string; version: number; dataset: string; datasetRows: number; createdAt: string };
        return reply(200, { reference: { model: profile.model, version: profile.version, dataset: profile.dataset, datasetRows: profile.datasetRows, createdAt: profile.createdAt } });
      }
      if (url.pathname === `/admin/monitoring/${encodeURIComponent(model)}`) {
        const after = url.searchParams.get('after');
        const windows = after === null ? agent.state.windows.slice(-50) : agent.state.windows.filter((w) => w.index > Number(after));
        return reply(200, { ...agent.state, windows });
      }
      reply(404, { error: `no route ${req.method} ${url.pathname}` });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return Object.assign(agent, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as FakeMonitoringAgent;
}

export function emptyState(model: string): MonitoringState {
  return {
    model,
    settings: MonitoringSettings.parse({}),
    reference: { model, version: 1, dataset: 'penguins@1', datasetRows: 344, createdAt: '2026-11-30T09:00:00.000Z' },
    referenceProblem: null,
    recorder: { recorded: 0, sampledOut: 0, dropped: 0, droppedBy: { 'store-full': 0, 'disk-error': 0, 'queue-full': 0 }, labelled: 0, storeBytes: 0, oldestAt: null, problem: null },
    concept: { ddm: { state: 'stable', seen: 0, lastDriftAt: null }, adwin: { state: 'stable', seen: 0, lastDriftAt: null } },
    windows: [],
  };
}

/** A window summary: `drifted` names the features judged drifted (Wasserstein, as for a large reference). */
export function windowSummary(model: string, index: number, options: { startedAt: string; endedAt: string | null; rows?: number; drifted?: readonly string[]; unjudged?: readonly string[]; labelled?: number; accuracy?: number | null }): WindowSummary {
  const rows = options.rows ?? 500;
  const feature = (name: string) => {
    const drift = options.drifted?.includes(name) ?? false;
    const unjudged = options.unjudged?.includes(name) ?? false;
    return {
      name,
      kind: 'numeric' as const,
      rows,
      missing: 0,
      mean: 40,
      drift: unjudged
        ? { method: 'wasserstein' as const, score: 0, threshold: 0.1, pValue: false, verdict: 'not-enough-data' as const, reason: `${rows} values; 30 needed` }
        : { method: 'wasserstein' as const, score: drift ? 0.31 : 0.02, threshold: 0.1, pValue: false, verdict: drift ? ('drift' as const) : ('no-drift' as const), reason: null },
      distribution: { bins: [30, 40, 50], reference: [0.5, 0.5], current: drift ? [0.1, 0.9] : [0.5, 0.5] },
    };
  };
  const features = ['bill_length_mm', 'flipper_length_mm'].map(feature);
  const drifted = features.filter((f) => f.drift.verdict === 'drift').length;
  return {
    model,
    index,
    startedAt: options.startedAt,
    endedAt: options.endedAt,
    rows,
    versions: { '1': rows },
    reference: { model, version: 1, dataset: 'penguins@1', datasetRows: 344, createdAt: '2026-11-30T09:00:00.000Z' },
    features,
    prediction: null,
    dataset: { drifted, judged: features.length, share: drifted / features.length, verdict: drifted / features.length >= 0.5 ? 'drift' : 'no-drift' },
    performance: {
      labelled: options.labelled ?? 0,
      accuracy: options.accuracy === undefined || options.accuracy === null ? null : { value: options.accuracy, low: options.accuracy - 0.05, high: Math.min(1, options.accuracy + 0.05) },
      rmse: null,
      mae: null,
      slices: [],
      estimate: { value: 0.9, low: 0.85, high: 0.95 },
    },
    latency: { p50Ms: 2, p99Ms: 9 },
    errors: 0,
  };
}
