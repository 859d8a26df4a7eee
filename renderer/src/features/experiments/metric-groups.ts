/**
 * Which metrics share a chart. On a run's page a metric and its validation twin go together
 * (loss with val_loss, accuracy with val_accuracy), training first; test metrics are single
 * numbers of the evaluation, not curves. Comparing runs, each metric is its own chart.
 */
const SPLIT_PREFIX = /^(train|training|val|valid|validation|eval)[_./-]/i;
const TEST_PREFIX = /^test[_./-]/i;

export const isTestMetric = (key: string): boolean => TEST_PREFIX.test(key);

/** `val_loss` → `loss`; `loss` → `loss`. */
export function metricBase(key: string): string {
  return key.replace(SPLIT_PREFIX, '');
}

function splitRank(key: string): number {
  const prefix = SPLIT_PREFIX.exec(key)?.[1]?.toLowerCase();
  if (prefix === undefined || prefix === 'train' || prefix === 'training') return 0;
  return 1;
}

export interface MetricGroup {
  /** What the chart is titled: the metric's name without its split. */
  readonly title: string;
  /** The metrics drawn together, training first. */
  readonly keys: readonly string[];
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Loss-like charts first (what a person checks first), then the rest by name. */
function groupRank(title: string): number {
  if (/loss|error|mse|rmse|mae/i.test(title)) return 0;
  if (/acc|f1|auc|precision|recall|r2/i.test(title)) return 1;
  return 2;
}

export function metricGroups(keys: readonly string[]): MetricGroup[] {
  const byBase = new Map<string, string[]>();
  for (const key of keys) {
    if (isTestMetric(key)) continue;
    const base = metricBase(key);
    const list = byBase.get(base);
    if (list) list.push(key);
    else byBase.set(base, [key]);
  }
  return [...byBase.entries()]
    .map(([title, members]) => ({ title, keys: members.sort((a, b) => splitRank(a) - splitRank(b) || collator.compare(a, b)) }))
    .sort((a, b) => groupRank(a.title) - groupRank(b.title) || collator.compare(a.title, b.title));
}

/** Metrics compared as curves: every non-test metric any of the runs has, in chart order. */
export function curveMetrics(metricKeys: readonly string[]): string[] {
  return metricGroups(metricKeys).flatMap((group) => group.keys);
}
