import { DROP_REASONS, type ConceptDrift, type RecorderStats, type WindowSummary } from '../../../shared/contract/monitoring.ts';

/**
 * The monitoring gauges appended to the agent's /metrics, so a team's Prometheus and Grafana see
 * drift and accuracy beside latency. Drift and accuracy come from each model's last closed window
 * (what was judged); a column whose window had too little data to judge has no drift sample
 * rather than a misleading 0. Label values are escaped as the text format 0.0.4 asks; model
 * names are the agent's serving names and features the reference's column names, so the series
 * grow only with what an admin loaded.
 */
export interface ModelGauges {
  model: string;
  latest: WindowSummary | null;
  recorder: Omit<RecorderStats, 'sampledOut'>;
  sampledOut: number;
  concept: ConceptDrift;
}

const DETECTOR_LEVEL = { stable: 0, warning: 1, drift: 2 } as const;

export function monitoringMetricsText(models: readonly ModelGauges[]): string {
  const lines: string[] = [];
  const family = (name: string, type: 'gauge' | 'counter', help: string, samples: [Record<string, string>, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labelText(labels)} ${formatValue(value)}`);
  };
  const judged = (model: ModelGauges) => (model.latest?.features ?? []).filter((feature) => feature.drift.verdict !== 'not-enough-data');
  family('lathe_drift_score', 'gauge', "Each input column's drift score in the model's last closed window (a p-value for ks, chisquare and z; a distance otherwise).",
    models.flatMap((m) => judged(m).map((f): [Record<string, string>, number] => [{ model: m.model, feature: f.name, method: f.drift.method }, f.drift.score])));
  family('lathe_drift_detected', 'gauge', 'Whether the column drifted in the last closed window (1) or not (0); absent when there was not enough data to judge.',
    models.flatMap((m) => judged(m).map((f): [Record<string, string>, number] => [{ model: m.model, feature: f.name }, f.drift.verdict === 'drift' ? 1 : 0])));
  family('lathe_dataset_drift_share', 'gauge', 'Share of judged input columns that drifted in the last closed window.',
    models.flatMap((m) => (m.latest && m.latest.dataset.verdict !== 'not-enough-data' ? [[{ model: m.model }, m.latest.dataset.share] as [Record<string, string>, number]] : [])));
  family('lathe_accuracy', 'gauge', "Accuracy of the last closed window's labelled predictions (labels arriving late raise it).",
    models.flatMap((m) => (m.latest?.performance.accuracy ? [[{ model: m.model }, m.latest.performance.accuracy.value] as [Record<string, string>, number]] : [])));
  family('lathe_accuracy_estimate', 'gauge', "Accuracy of the last closed window estimated from the model's calibrated probabilities (CBPE), before labels arrive.",
    models.flatMap((m) => (m.latest?.performance.estimate ? [[{ model: m.model }, m.latest.performance.estimate.value] as [Record<string, string>, number]] : [])));
  family('lathe_predictions_recorded_total', 'counter', 'Predicted rows recorded in the prediction store.', models.map((m) => [{ model: m.model }, m.recorder.recorded]));
  family('lathe_predictions_dropped_total', 'counter', 'Predicted rows that could not be recorded, by reason (the request was still answered).',
    models.flatMap((m) => DROP_REASONS.map((reason): [Record<string, string>, number] => [{ model: m.model, reason }, m.recorder.droppedBy[reason] ?? 0])));
  family('lathe_predictions_sampled_out_total', 'counter', 'Predicted rows left out by the sample rate since the agent started.', models.map((m) => [{ model: m.model }, m.sampledOut]));
  family('lathe_concept_drift', 'gauge', 'Concept drift on the error stream: 0 stable, 1 warning, 2 drift, per detector (ddm, adwin).',
    models.flatMap((m) => (['ddm', 'adwin'] as const).map((detector): [Record<string, string>, number] => [{ model: m.model, detector }, DETECTOR_LEVEL[m.concept[detector].state]])));
  return `${lines.join('\n')}\n`;
}

function labelText(labels: Record<string, string>): string {
  const pairs = Object.entries(labels);
  return pairs.length === 0 ? '' : `{${pairs.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return Number.isInteger(value) ? String(value) : value.toPrecision(9);
}
