import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * An open-loop load at a steady rate: one request every 1000/rate ms, each timed from when it was
 * due, not from when it went out (so a stalled server's queue shows in the latency instead of
 * slowing the load: no coordinated omission). autocannon's `overallRate` instead fires each
 * second's requests at its start (autocannon issue #174), which measures a 1,000-request burst.
 */
export interface PacedResult {
  rate: number;
  sent: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function pacedLoad(url: string, body: string, rate: number, seconds: number): Promise<PacedResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  let sent = 0;
  let answered = 0;
  let non2xx = 0;
  let errors = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const settle = (index: number, due: number) => {
      latencies[index] = performance.now() - due;
      answered += 1;
      if (answered === total) resolve();
    };
    const fire = (index: number, due: number) => {
      const req = request(target, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        if ((res.statusCode ?? 0) >= 300) non2xx += 1;
        res.resume();
        res.on('end', () => settle(index, due));
      });
      req.on('error', () => {
        errors += 1;
        settle(index, due);
      });
      req.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) {
        fire(sent, start + (sent * 1000) / rate);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const at = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
  return { rate, sent, p50: at(0.5), p99: at(0.99), non2xx, errors };
}
