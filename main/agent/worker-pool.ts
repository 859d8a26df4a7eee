import { failure, LatheFailure } from '../core/errors.ts';
import { openServingRuntime, type ServingOptions, type ServingRuntime } from '../core/serving/serving-runtime.ts';
import type { Prediction } from '../core/serving/serving-messages.ts';

/**
 * One model version served by a small pool of serving workers (each a verified runtime in its own
 * thread), with a bounded queue in front: a request waits for a free worker, and when the queue
 * is full it is refused at once (OVERLOADED: the HTTP door answers 503 with Retry-After) rather
 * than piling up until every client times out.
 */
export interface PoolOptions extends ServingOptions {
  workers: number;
  /** Requests that may wait for a free worker; one more is refused. */
  maxQueue: number;
  hooks?: PoolHooks | undefined;
}

/** Tests drive the pool by these, never by timing: hold a worker busy, see a request queued. */
export interface PoolHooks {
  /** Awaited by a worker before it predicts (a slow model, on demand); given the bundle's model version. */
  beforePredict?: (version: number) => Promise<void>;
  /** Called when a request joins the queue. */
  queued?: () => void;
}

export interface PoolLoad {
  queued: number;
  inFlight: number;
}

export interface WorkerPool {
  readonly runtime: ServingRuntime;
  predict(rows: readonly Record<string, unknown>[]): Promise<Prediction[]>;
  load(): PoolLoad;
  /** Stop taking requests, let those in flight and queued finish, then stop the workers. */
  drainAndClose(): Promise<void>;
  /** Stop the workers now; waiting requests fail. */
  close(): Promise<void>;
}

export class Overloaded extends LatheFailure {
  constructor(what: string) {
    super({ code: 'UNAVAILABLE', message: `${what} is busy: every worker is predicting and the queue is full.`, hint: 'Retry after a moment, or start the agent with more --workers or a longer --max-queue.' });
  }
}

export async function openWorkerPool(bundleFile: string, options: PoolOptions): Promise<WorkerPool> {
  if (!Number.isInteger(options.workers) || options.workers < 1) throw failure('INVALID_INPUT', `workers: expected a whole number of at least 1, got ${options.workers}.`, { location: { field: 'workers' } });
  const opened = await Promise.allSettled(Array.from({ length: options.workers }, () => openServingRuntime(bundleFile, options)));
  const runtimes = opened.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const refused = opened.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (refused) {
    await Promise.all(runtimes.map((runtime) => runtime.close()));
    throw refused.reason;
  }
  const first = runtimes[0]!;
  const idle = [...runtimes];
  const queue: { rows: readonly Record<string, unknown>[]; resolve: (p: Prediction[]) => void; reject: (e: unknown) => void }[] = [];
  let inFlight = 0;
  let accepting = true;
  let drained: (() => void) | null = null;
  const name = `${first.manifest.model.name} v${first.manifest.model.version}`;

  const run = async (runtime: ServingRuntime, rows: readonly Record<string, unknown>[]): Promise<Prediction[]> => {
    inFlight++;
    try {
      await options.hooks?.beforePredict?.(first.manifest.model.version);
      return await runtime.predict(rows);
    } finally {
      inFlight--;
      const next = queue.shift();
      if (next) void run(runtime, next.rows).then(next.resolve, next.reject);
      else idle.push(runtime);
      if (inFlight === 0 && queue.length === 0) drained?.();
    }
  };

  return {
    runtime: first,
    predict(rows) {
      if (!accepting) return Promise.reject(failure('UNAVAILABLE', `${name} is being unloaded.`, { hint: 'Retry: the model that replaces it answers from now on.' }));
      const runtime = idle.pop();
      if (runtime) return run(runtime, rows);
      if (queue.length >= options.maxQueue) return Promise.reject(new Overloaded(name));
      return new Promise((resolve, reject) => {
        queue.push({ rows, resolve, reject });
        options.hooks?.queued?.();
      });
    },
    load: () => ({ queued: queue.length, inFlight }),
    async drainAndClose() {
      accepting = false;
      if (inFlight > 0 || queue.length > 0) await new Promise<void>((resolve) => (drained = resolve));
      await Promise.all(runtimes.map((runtime) => runtime.close()));
    },
    async close() {
      accepting = false;
      for (const waiting of queue.splice(0)) waiting.reject(failure('CANCELLED', `${name} was unloaded before this request's turn.`));
      await Promise.all(runtimes.map((runtime) => runtime.close()));
    },
  };
}
