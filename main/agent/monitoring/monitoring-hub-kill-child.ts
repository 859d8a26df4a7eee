import { churnReference, churnRows, requestsOf } from './monitoring-fixtures.ts';
import { MonitoringHub } from './monitoring-hub.ts';

/**
 * Tests only: a monitoring hub in a process of its own, observing one-row requests of model churn
 * into windows of 10, forever — until the test kills it. After each request it reads the state
 * (which commits the store) and prints `acked N` (N requests acknowledged), then lets the event
 * loop run, so window summaries are being written when the kill comes.
 * Usage: node monitoring-hub-kill-child.ts DATA_DIR
 */
const [dataDir] = process.argv.slice(2);
const hub = await MonitoringHub.open({ dataDir: dataDir!, warn: (text) => process.stderr.write(`${text}\n`) });
await hub.setReference('churn', churnReference());
await hub.configure('churn', { window: { kind: 'count', rows: 10 } });
const rows = churnRows(100_000, 31);
for (let n = 0; n < rows.length; n++) {
  hub.observed(requestsOf([rows[n]!], { first: n })[0]!);
  const { recorder } = hub.state('churn');
  if (recorder.problem !== null) throw new Error(recorder.problem);
  process.stdout.write(`acked ${n + 1}\n`);
  await new Promise((resolve) => setImmediate(resolve));
}
