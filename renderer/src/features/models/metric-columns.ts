/** Metrics people look for first, in this order; the rest follow by name. */
const FIRST = ['accuracy', 'f1_macro', 'roc_auc', 'rmse', 'mae', 'r2', 'log_loss', 'precision_macro', 'recall_macro'];

const rank = (key: string) => {
  const at = FIRST.indexOf(key.replace(/^test_/, ''));
  return at === -1 ? FIRST.length : at;
};

/** The metric columns of a versions table: every key any version has, best known first, at most `limit`. */
export function metricColumns(versions: readonly { metrics: Readonly<Record<string, number>> }[], limit = 4): string[] {
  const keys = new Set(versions.flatMap((version) => Object.keys(version.metrics)));
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).slice(0, limit);
}
