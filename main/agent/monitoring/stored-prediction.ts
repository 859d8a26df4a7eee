/**
 * One recorded prediction row, as the store keeps it and hands it back, and its SQLite row: the
 * values the model saw and answered are JSON text there, so a label "3" and a label 3 stay apart.
 */
export interface StoredPrediction {
  requestId: string;
  row: number;
  model: string;
  version: string;
  /** ms since the epoch. */
  at: number;
  window: number;
  inputs: Record<string, unknown>;
  predicted: string | number;
  probabilities: Record<string, number> | null;
  latencyMs: number;
  label: string | number | null;
  labelAt: number | null;
}

/** A row of the predictions table. */
export type PredictionRow = {
  request_id: string;
  row: number;
  model: string;
  version: string;
  at: number;
  window: number;
  inputs: string;
  predicted: string;
  probabilities: string | null;
  latency_ms: number;
  label: string | null;
  label_at: number | null;
};

export function toStored(row: PredictionRow): StoredPrediction {
  return {
    requestId: row.request_id,
    row: row.row,
    model: row.model,
    version: row.version,
    at: row.at,
    window: row.window,
    inputs: JSON.parse(row.inputs) as Record<string, unknown>,
    predicted: JSON.parse(row.predicted) as string | number,
    probabilities: row.probabilities === null ? null : (JSON.parse(row.probabilities) as Record<string, number>),
    latencyMs: row.latency_ms,
    label: row.label === null ? null : (JSON.parse(row.label) as string | number),
    labelAt: row.label_at,
  };
}

/** Bytes SQLite spends on a row beyond its values (record header, index entries), roughly. */
const ROW_OVERHEAD = 120;

/** About how many bytes a record takes in the file (measured exactly now and then; see PredictionStore). */
export function estimateBytes(record: StoredPrediction): number {
  let bytes = ROW_OVERHEAD + record.requestId.length * 2 + record.model.length * 2 + record.version.length;
  for (const [key, value] of Object.entries(record.inputs)) bytes += key.length + 3 + (typeof value === 'string' ? value.length + 2 : 8);
  if (record.probabilities) for (const key in record.probabilities) bytes += key.length + 24;
  return bytes + (typeof record.predicted === 'string' ? record.predicted.length : 8);
}
