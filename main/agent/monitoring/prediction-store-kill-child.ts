import { PredictionStore } from './prediction-store.ts';

/**
 * Tests only: append one request's rows at a time to a prediction store, flushing every
 * FLUSH_EVERY requests and printing `acked N` once request N's rows were flushed, forever — until
 * the test kills this process (between flushes, too: the unflushed tail is what a kill may lose).
 * Usage: node prediction-store-kill-child.ts FILE ROWS_PER_REQUEST
 */
const [file, rowsText] = process.argv.slice(2);
const rows = Number(rowsText);
const FLUSH_EVERY = 3;
const store = PredictionStore.open(file!, { maxBytes: 1024 ** 3, retentionMs: 86_400_000 });
const inputs = { bill_length_mm: 39.1, island: 'Torgersen', sex: 'male' };
for (let n = 0; ; n += 1) {
  const at = 1_700_000_000_000 + n;
  store.append(Array.from({ length: rows }, (_, row) => ({ requestId: `r${n}`, row, model: 'penguins', version: '1', at, window: Math.floor(n / 50), inputs: { ...inputs, n }, predicted: 'Adelie', probabilities: { Adelie: 0.9, Gentoo: 0.1 }, latencyMs: 1.5, label: null, labelAt: null })));
  if (n % FLUSH_EVERY !== FLUSH_EVERY - 1) continue;
  store.flush();
  if (store.stats().problem !== null) throw new Error(store.stats().problem!);
  process.stdout.write(`acked ${n}\n`);
}
