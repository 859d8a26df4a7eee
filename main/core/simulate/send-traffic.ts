import { describeDrift, type SimulationResult } from '../../../shared/contract/simulate.ts';
import { failure } from '../errors.ts';
import type { JobContext } from '../jobs/job-registry.ts';
import { SeededRandom } from '../training/data/seeded-random.ts';
import { driftedValue, type DriftPlan } from './inject-drift.ts';
import type { PaceClock } from './pace-clock.ts';
import type { ServedModelShape } from './served-model.ts';
import type { Outcome, TrafficHttp } from './traffic-http.ts';
import type { TrafficTable } from './traffic-table.ts';

/**
 * The simulation's loop, open loop as real clients are: request i is due at start + i / rate
 * whether or not earlier ones have been answered (up to MAX_IN_FLIGHT at once, beyond which it
 * waits, and so falls behind, rather than pile up sockets). Each answered request's true label
 * (with probability `labelNoise` another class, or for a regressor the value moved by up to ±20 %)
 * is sent to the feedback endpoint `labelsAfter` seconds after the request was.
 */
export const MAX_IN_FLIGHT = 64;
/** Unreachable this many times before anything was answered: the deployment is not there. */
const GIVE_UP_UNREACHABLE = 50;
const REGRESSION_NOISE = 0.2;

export interface TrafficPlan {
  deployment: string;
  model: ServedModelShape;
  table: TrafficTable;
  drift: DriftPlan;
  rate: number;
  duration: number;
  labelsAfter: number | null;
  labelNoise: number;
  seed: number;
  /** Prefix of the request ids sent (`sim-<tag>-<i>`), unique per simulation. */
  tag: string;
}

export interface TrafficDeps {
  http: TrafficHttp;
  clock: PaceClock;
  job: JobContext;
  startedAt: string;
  /** The wall time, for endedAt. */
  wallNow: () => number;
  targetName: string;
  targetUrl: string;
}

export async function sendTraffic(plan: TrafficPlan, deps: TrafficDeps): Promise<SimulationResult> {
  const { clock, job, http } = deps;
  const { table, model } = plan;
  const planned = Math.max(1, Math.floor(plan.rate * plan.duration));
  const interval = 1000 / plan.rate;
  const random = new SeededRandom(plan.seed);
  const order = shuffled(table.rows, random);
  const result: SimulationResult = {
    jobId: job.id,
    deployment: plan.deployment,
    dataset: table.label,
    labelColumn: table.hasTarget && plan.labelsAfter !== null ? model.target : null,
    status: 'running',
    rate: plan.rate,
    duration: plan.duration,
    planned,
    sent: 0,
    ok: 0,
    failed: {},
    labelsSent: 0,
    labelsAccepted: 0,
    labelsRefused: {},
    drift: [],
    startedAt: deps.startedAt,
    endedAt: null,
  };
  const inFlight = new Set<Promise<void>>();
  const labels: { due: number; id: string; label: string | number }[] = [];
  let nextLabel = 0;
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const room = async () => {
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
  };
  const report = () => job.progress({ done: result.sent, total: planned, unit: 'steps', message: progressLine(result) });
  const sendDueLabels = async () => {
    while (nextLabel < labels.length && labels[nextLabel]!.due <= clock.now()) {
      const { id, label } = labels[nextLabel++]!;
      await room();
      result.labelsSent += 1;
      track(
        http.feedback(model.name, { id, label }).then((outcome) => {
          if (outcome.ok) result.labelsAccepted += 1;
          else count(result.labelsRefused, outcome);
        }),
      );
    }
  };

  const start = clock.now();
  try {
    for (let i = 0; i < planned; i += 1) {
      await sendDueLabels();
      await clock.sleep(start + i * interval - clock.now(), job.signal);
      await room();
      const row = order[i % order.length]!;
      const id = `sim-${plan.tag}-${i}`;
      const label = plan.labelsAfter === null ? null : labelOf(table.truth(row), model, plan.labelNoise, random);
      const body = { id, inputs: table.inputs.map(({ name, kind }) => ({ name, shape: [1], datatype: kind === 'number' ? 'FP64' : kind === 'boolean' ? 'BOOL' : 'BYTES', data: [driftedValue(plan.drift, name, table.value(name, row))] })) };
      result.sent += 1;
      track(
        http.infer(model.name, body).then((outcome) => {
          if (outcome.ok) {
            result.ok += 1;
            if (label !== null) labels.push({ due: clock.now() + plan.labelsAfter! * 1000, id: outcome.requestId ?? id, label });
          } else count(result.failed, outcome);
        }),
      );
      if (result.ok === 0 && (result.failed.unreachable ?? 0) >= GIVE_UP_UNREACHABLE) {
        throw failure('UNAVAILABLE', `Target ${deps.targetName} (${deps.targetUrl}) did not answer ${GIVE_UP_UNREACHABLE} requests in a row; the simulation stopped.`, {
          hint: 'Check that its agent is running (`lathe targets list` probes it).',
        });
      }
      report();
    }
    await Promise.all(inFlight);
    // Labels still to come: wait for each one's time, then send it.
    while (nextLabel < labels.length) {
      await clock.sleep(labels[nextLabel]!.due - clock.now(), job.signal);
      await sendDueLabels();
      report();
    }
    await Promise.all(inFlight);
  } finally {
    await Promise.allSettled(inFlight);
  }
  result.drift = plan.drift.drifts.map((drift, index) => ({ drift, description: describeDrift(drift), changed: plan.drift.changed[index]! }));
  result.status = 'finished';
  result.endedAt = new Date(deps.wallNow()).toISOString();
  report();
  return result;
}

export function progressLine(result: SimulationResult): string {
  const failed = Object.values(result.failed).reduce((sum, n) => sum + n, 0);
  return `${result.sent} of ${result.planned} sent · ${result.ok} answered · ${failed} failed${result.labelColumn ? ` · ${result.labelsAccepted} of ${result.labelsSent} labels joined` : ''}`;
}

function count(into: Record<string, number>, outcome: Outcome): void {
  into[outcome.status] = (into[outcome.status] ?? 0) + 1;
}

function labelOf(truth: string | number | null, model: ServedModelShape, noise: number, random: SeededRandom): string | number | null {
  if (truth === null) return null;
  const draw = random.next();
  if (noise === 0 || draw >= noise) return truth;
  if (model.classes) {
    const others = model.classes.filter((name) => name !== String(truth));
    return others.length === 0 ? truth : others[Math.floor(random.next() * others.length)]!;
  }
  return typeof truth === 'number' ? truth * (1 + (random.next() * 2 - 1) * REGRESSION_NOISE) : truth;
}

function shuffled(rows: number, random: SeededRandom): Int32Array {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i += 1) order[i] = i;
  for (let i = rows - 1; i > 0; i -= 1) {
    const j = Math.floor(random.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
