import type { CheckOutcome, ModelVersion } from '../../../shared/contract/registry.ts';
import type { SliceMetric as CardSlice } from '../registry/model-card.ts';
import { resolveModelVersion } from '../registry/resolve-model-version.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { datasetVersion, readEvaluationTable } from './evaluation-data.ts';
import { loadGateSpec } from './gate-spec-file.ts';
import { label } from './gated-version.ts';
import { runGates } from './run-gates.ts';
import { correctness, absoluteErrors } from './scored-rows.ts';
import type { ServingTarget } from './serving-target.ts';
import { asCategory, sliceMetrics } from './slice-metrics.ts';
import { readStoredPredictions, signatureOf } from './stored-predictions.ts';

/**
 * What the registry takes from the gates: the check `models:promote` runs before it moves an
 * alias (the version's whole gate run against the version the alias points at now; the
 * promotion's commit keeps the verdict), and the per-slice metrics its model cards show.
 */
export function checkBeforePromote(serving: (workspace: Workspace) => ServingTarget | null) {
  return async (workspace: Workspace, version: ModelVersion, against: ModelVersion | null): Promise<CheckOutcome> => {
    const report = await runGates(
      { workspace, resolve: (ref) => resolveModelVersion(workspace, ref), serving: serving(workspace) },
      // The promotion's own commit records this verdict and its summary; no second commit for the report.
      { ref: label(version), against: against ? label(against) : 'none', record: false },
    );
    const failed = report.checks.filter((check) => check.status === 'fail');
    const summary = failed.length === 0 ? report.summary : `${report.summary} ${failed.map((check) => check.sentence).join(' ')}`;
    return { passed: report.outcome !== 'fail', summary, report };
  };
}

/** The version's accuracy (or MAE) on each slice of its test rows with the spec's support, worst first. */
export async function cardSliceMetrics(workspace: Workspace, version: ModelVersion): Promise<CardSlice[] | null> {
  const signature = signatureOf(version);
  const dataset = version.lineage.dataset;
  if (!dataset || dataset.version === null) return null;
  const { spec } = await loadGateSpec(workspace.git, version.name);
  const slices = spec.model.slices;
  const columns = slices.columns.length > 0 ? slices.columns : signature.inputs.filter((input) => input.type === 'string' || input.type === 'boolean').map((input) => input.name);
  if (columns.length === 0) return [];
  const data = await datasetVersion(workspace, dataset.name, dataset.version);
  const table = await readEvaluationTable(workspace, data, columns);
  const stored = await readStoredPredictions(workspace.blobs, version);
  const outcome = stored.task === 'classification' ? { metric: 'accuracy' as const, right: correctness(stored) } : { metric: 'mae' as const, errors: absoluteErrors(stored) };
  const categorical = columns.flatMap((name) => {
    const column = table.columns.get(name);
    const category = column ? asCategory(column) : null;
    return category ? [category] : [];
  });
  return sliceMetrics({ outcome, rows: stored.rows, columns: categorical, minSupport: slices.minSupport }).map((slice) => ({ ...slice, value: slice.value ?? '(missing)' }));
}
