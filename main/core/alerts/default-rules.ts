import { AlertRules, type AlertRule } from '../../../shared/contract/alerts.ts';

/**
 * The rules a workspace has before it writes lathe.alerts.json: a feature drifting two windows in
 * a row, the dataset drifting in one, any dropped prediction record, and a classifier's accuracy
 * (or, before labels arrive, its estimate) more than 0.1 below its test accuracy where that is known.
 */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = AlertRules.parse([
  { id: 'feature-drift', kind: 'feature-drift', feature: '*', windows: 2 },
  { id: 'dataset-drift', kind: 'dataset-drift', windows: 1 },
  { id: 'records-dropped', kind: 'records-dropped', severity: 'critical' },
  { id: 'accuracy-drop', kind: 'accuracy-below', belowTestMetric: 0.1, useEstimate: true, severity: 'critical' },
]);
