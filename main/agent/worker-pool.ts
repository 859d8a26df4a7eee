import { failure, LatheFailure, toLatheError } from '../core/errors.ts';
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
  /** Milliseconds one prediction may take (default 30 s); past it the request fails and its worker is replaced. */
  predictTimeoutMs?: number | undefined;
  hooks?: PoolHooks | undefined;
}

/** Tests drive the pool by these, never by timing: hold a worker busy, see a request queued. */
export interface PoolHooks {
  /** Awaited by a worker before it predicts (a slow model, or one that throws on some inputs, on demand); given the bundle's model version and the rows. */
  beforePredict?: (version: number, rows: readonly Record<string, unknown>[]) => Promise<void>;
  /** Called when a request joins the queue. */
  queued?: () => void;
  /** What the worker predicted, changed on demand (a model that disagrees); given the bundle's model version. */
  afterPredict?: (version: number, predictions: Prediction[]) => Prediction[];
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

/** A prediction that ran past the pool's time limit; its worker is replaced (HTTP 504). */
export class PredictionTimedOut extends LatheFailure {
  constructor(what: string, ms: number) {
    super({ code: 'UNAVAILABLE', message: `${what} took longer than ${ms / 1000} s to predict; the request was stopped.`, hint: 'Send fewer rows per request, or start the agent with a longer --predict-timeout.' });
  }
}

/** Milliseconds one prediction may take before it is stopped and its worker replaced. */
export const DEFAULT_PREDICT_TIMEOUT_MS = 30_000;

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
  const live = new Set(runtimes);
  const idle = [...runtimes];
  const queue: { rows: readonly Record<string, unknown>[]; resolve: (p: Prediction[]) => void; reject: (e: unknown) => void }[] = [];
  const timeoutMs = options.predictTimeoutMs ?? DEFAULT_PREDICT_TIMEOUT_MS;
  let inFlight = 0;
  let accepting = true;
  let drained: (() => void) | null = null;
  const name = `${first.manifest.model.name} v${first.manifest.model.version}`;

  /** A worker that is free again takes the next request waiting, or waits itself. */
  const handOn = (runtime: ServingRuntime): void => {
    const next = queue.shift();
    if (next) void run(runtime, next.rows).then(next.resolve, next.reject);
    else idle.push(runtime);
  };

  /**
   * A worker that died, or is stuck in a prediction past the limit, is stopped and a fresh one
   * started from the same (already verified) bundle; the other workers answer meanwhile. If none
   * can be started and none is left, the requests waiting are failed rather than kept forever.
   */
  const replace = (broken: ServingRuntime): void => {
    live.delete(broken);
    void broken.close();
    openServingRuntime(bundleFile, options).then(
      (fresh) => {
        if (!accepting) return void fresh.close();
        live.add(fresh);
        handOn(fresh);
      },
      (error: unknown) => {
        if (live.size > 0) return;
        for (const waiting of queue.splice(0)) waiting.reject(failure('UNAVAILABLE', `${name} has no worker left: ${toLatheError(error).message}`));
      },
    );
  };

  const run = async (runtime: ServingRuntime, rows: readonly Record<string, unknown>[]): Promise<Prediction[]> => {
    inFlight++;
    let broken = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          broken = true;
          reject(new PredictionTimedOut(name, timeoutMs));
        }, timeoutMs);
      });
      const predicted = (async () => {
        await options.hooks?.beforePredict?.(first.manifest.model.version, rows);
        const predictions = await runtime.predict(rows);
        return options.hooks?.afterPredict?.(first.manifest.model.version, predictions) ?? predictions;
      })();
      predicted.catch(() => {}); // after a timeout, its own ending is of no interest
      try {
        return await Promise.race([predicted, timedOut]);
      } catch (error) {
        // A worker that stopped answers even an empty request with its failure at once.
        if (!broken && !(error instanceof PredictionTimedOut)) broken = await runtime.predict([]).then(() => false, () => true);
        throw error;
      }
    } finally {
      clearTimeout(timer);
      inFlight--;
      if (broken) replace(runtime);
      else handOn(runtime);
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
      await Promise.all([...live].map((runtime) => runtime.close()));
    },
    async close() {
      accepting = false;
      for (const waiting of queue.splice(0)) waiting.reject(failure('CANCELLED', `${name} was unloaded before this request's turn.`));
      await Promise.all([...live].map((runtime) => runtime.close()));
    },
  };
}
