import type { Alert } from '../../../shared/contract/alerts.ts';
import type { ColumnWindow, Interval, MonitoringReport, WindowSummary } from '../../../shared/contract/monitoring.ts';
import { formatNumber, textTable } from '../text-table.ts';
import { visible } from '../terminal-text.ts';

/**
 * `lathe monitor report` and `history` as a person reads them: per feature the method, score,
 * threshold and verdict ("not enough data" said as such, never as no drift), prediction and
 * dataset drift, accuracy or its estimate (marked as an estimate, with its band), the recorder's
 * health (dropped records said loudly) and the open alerts.
 */
export function reportText(report: MonitoringReport, alerts: { alerts: readonly Alert[] } | { problem: string } | null): string {
  const window = report.windows.at(-1) ?? null;
  const lines: string[] = [];
  const serving = report.version ? `${visible(report.model)} version ${visible(report.version)}` : `${visible(report.model)} (not serving now)`;
  lines.push(`${visible(report.deployment)} — ${serving}${window ? `, ${describeWindow(window)}` : ''}`);
  if (report.stale) {
    lines.push(`STALE: the agent could not be asked; this is what the workspace kept at ${shortTime(report.fetchedAt)}.`, `  ${visible(report.problem ?? '')}`);
  }
  lines.push(report.reference ? `Reference: ${visible(report.reference.dataset)} (${report.reference.datasetRows} rows), for version ${report.reference.version}.` : `No reference: ${visible(report.referenceProblem ?? 'the agent has no training reference for this model, so no drift is judged.')}`);
  lines.push('');
  if (!window) {
    lines.push(`No window yet: the agent has recorded no predictions of ${visible(report.deployment)}. Send it traffic (or \`lathe simulate traffic --deployment ${visible(report.deployment)} --from DATASET@V\`).`);
  } else {
    lines.push(...windowText(window));
  }
  lines.push('', ...conceptText(report), ...recorderText(report));
  if (alerts) lines.push('', ...alertsText(alerts));
  return lines.join('\n');
}

function describeWindow(window: WindowSummary): string {
  const span = `${shortTime(window.startedAt)}–${window.endedAt ? shortTime(window.endedAt) : 'now'}`;
  return `window ${window.index} (${window.rows} predictions, ${span}, ${window.endedAt ? 'closed' : 'open'})`;
}

function windowText(window: WindowSummary): string[] {
  const lines: string[] = [];
  if (!window.reference) lines.push('No drift judged in this window: the agent had no reference for the version that served it.');
  if (window.features.length > 0) {
    lines.push('Feature drift:');
    lines.push(indent(textTable(['feature', 'method', 'score', 'threshold', 'verdict'], window.features.map(driftRow), 40)));
  }
  lines.push(window.prediction ? `Prediction drift (${visible(window.prediction.name)}): ${driftSentence(window.prediction)}` : 'Prediction drift: not judged (no prediction reference).');
  const dataset = window.dataset;
  const datasetVerdict = dataset.verdict === 'not-enough-data' ? 'not enough data to judge' : dataset.verdict === 'drift' ? 'DRIFT' : 'no drift';
  lines.push(`Dataset drift: ${dataset.drifted} of ${dataset.judged} judged features drifted (${percent(dataset.share)}) — ${datasetVerdict}.`);
  lines.push(...performanceText(window));
  lines.push(`Latency: p50 ${ms(window.latency.p50Ms)}, p99 ${ms(window.latency.p99Ms)}; ${window.errors} failed requests.`);
  return lines;
}

function driftRow(column: ColumnWindow): unknown[] {
  const { drift } = column;
  return [column.name, drift.method, drift.verdict === 'not-enough-data' ? null : drift.score, `${drift.pValue ? 'p <' : '≥'} ${formatNumber(drift.threshold)}`, verdictWords(column)];
}

function verdictWords(column: ColumnWindow): string {
  const { drift } = column;
  if (drift.verdict === 'drift') return 'DRIFT';
  if (drift.verdict === 'no-drift') return 'no drift';
  return `not enough data${drift.reason ? ` (${drift.reason})` : ''}`;
}

function driftSentence(column: ColumnWindow): string {
  const { drift } = column;
  if (drift.verdict === 'not-enough-data') return `not enough data${drift.reason ? ` (${visible(drift.reason)})` : ''}.`;
  return `${drift.method} ${formatNumber(drift.score)} (${drift.pValue ? 'drift when p <' : 'drift at ≥'} ${formatNumber(drift.threshold)}) — ${drift.verdict === 'drift' ? 'DRIFT' : 'no drift'}.`;
}

function performanceText(window: WindowSummary): string[] {
  const { performance } = window;
  const lines: string[] = [];
  const labelled = `${performance.labelled} of ${window.rows} labelled`;
  if (performance.accuracy) lines.push(`Accuracy: ${band(performance.accuracy)} (${labelled}).`);
  if (performance.rmse) lines.push(`RMSE: ${band(performance.rmse)}${performance.mae ? `; MAE ${band(performance.mae)}` : ''} (${labelled}).`);
  if (performance.estimate) lines.push(`Estimated accuracy (an ESTIMATE from the model's calibrated confidence, CBPE; not measured): ${band(performance.estimate)}.`);
  if (!performance.accuracy && !performance.rmse && !performance.estimate) lines.push(`Accuracy: not known yet (${labelled}; no estimate for this model).`);
  const slices = performance.slices.filter((slice) => slice.metric);
  if (slices.length > 0) lines.push(`  by slice: ${slices.map((slice) => `${visible(slice.slice)} ${band(slice.metric!)} (${slice.labelled})`).join('; ')}`);
  return lines;
}

function conceptText(report: MonitoringReport): string[] {
  const { ddm, adwin } = report.concept;
  const state = (name: string, detector: typeof ddm) => `${name} ${detector.state === 'stable' ? 'stable' : detector.state.toUpperCase()} (${detector.seen} labelled${detector.lastDriftAt ? `, last drift ${shortTime(detector.lastDriftAt)}` : ''})`;
  return [`Concept drift on the error stream: ${state('DDM', ddm)}; ${state('ADWIN', adwin)}.`];
}

function recorderText(report: MonitoringReport): string[] {
  const { recorder, settings } = report;
  const sampling = settings.sampleRate < 1 ? `, sampling ${percent(settings.sampleRate)}` : '';
  const lines = [`Recorder: ${recorder.recorded} predictions recorded, ${recorder.sampledOut} sampled out, ${recorder.labelled} labelled, ${bytes(recorder.storeBytes)} kept${sampling}.`];
  if (recorder.dropped > 0) {
    const why = Object.entries(recorder.droppedBy).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`).join(', ');
    lines.push(`!! ${recorder.dropped} PREDICTIONS DROPPED, not recorded (${why}). Serving went on; monitoring did not see them.`);
  }
  if (recorder.problem) lines.push(`!! Recorder problem: ${visible(recorder.problem)}`);
  return lines;
}

function alertsText(alerts: { alerts: readonly Alert[] } | { problem: string }): string[] {
  if ('problem' in alerts) return [`Open alerts: could not be read: ${visible(alerts.problem)}`];
  if (alerts.alerts.length === 0) return ['Open alerts: none.'];
  return [`Open alerts (${alerts.alerts.length}):`, ...alerts.alerts.map((alert) => `  ${alert.severity.toUpperCase()}  ${visible(alert.summary)}  (raised ${shortTime(alert.raisedAt)}${alert.ackedBy ? `, acknowledged by ${visible(alert.ackedBy)}` : ''}; id ${visible(alert.id)})`)];
}

/** The windows kept, one row each, newest last. */
export function historyText(deployment: string, windows: readonly WindowSummary[]): string {
  if (windows.length === 0) return `No windows of ${visible(deployment)} are kept yet: the app and \`lathe serve\` fetch them from the agent while they run, and \`lathe monitor report ${visible(deployment)}\` does once.`;
  const rows = windows.map((w) => {
    const drifted = w.features.filter((f) => f.drift.verdict === 'drift').map((f) => f.name);
    const performance = w.performance.accuracy ? formatNumber(w.performance.accuracy.value) : w.performance.rmse ? `rmse ${formatNumber(w.performance.rmse.value)}` : w.performance.estimate ? `~${formatNumber(w.performance.estimate.value)} (est.)` : null;
    return [w.index, shortTime(w.startedAt), w.endedAt ? shortTime(w.endedAt) : 'open', w.rows, w.dataset.verdict === 'not-enough-data' ? 'not enough data' : w.dataset.verdict === 'drift' ? 'DRIFT' : 'no drift', drifted.length > 0 ? drifted.join(', ') : '—', performance, w.latency.p99Ms, w.errors];
  });
  return textTable(['window', 'started', 'ended', 'rows', 'dataset', 'drifted features', 'accuracy', 'p99 ms', 'errors'], rows, 48);
}

const band = (interval: Interval) => `${formatNumber(round(interval.value))} (${formatNumber(round(interval.low))}–${formatNumber(round(interval.high))})`;
const round = (value: number) => Math.round(value * 1000) / 1000;
const percent = (share: number) => `${formatNumber(Math.round(share * 1000) / 10)} %`;
const ms = (value: number | null) => (value === null ? '·' : `${formatNumber(Math.round(value * 10) / 10)} ms`);
const shortTime = (iso: string) => iso.replace('T', ' ').slice(0, 19);

function bytes(value: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  let scaled = value;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? scaled : formatNumber(Math.round(scaled * 10) / 10)} ${units[unit]}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
