import { performance } from 'node:perf_hooks';
import { readThreshold, type GateCheck, type GateMetric, type GateReport } from '../../../shared/contract/gates.ts';
import { reachPhase } from '../base/phases.ts';
import { parseDatasetRef } from '../datasets/dataset-ref.ts';
import { failure, LatheFailure } from '../errors.ts';
import type { JobContext } from '../jobs/job-registry.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { baselineCheck, pairByRow } from './baseline-check.ts';
import { check, list, type CheckResult } from './check-result.ts';
import { dataChecks } from './data-checks.ts';
import { datasetVersion, readEvaluationTable, type DatasetVersionRead, type EvaluationData } from './evaluation-data.ts';
import { loadGateSpec, type LoadedSpec } from './gate-spec-file.ts';
import { newGateRunId, recordGateReport } from './gate-results.ts';
import { label, type GatedVersion } from './gated-version.ts';
import { integrationChecks } from './integration-checks.ts';
import { correctness, absoluteErrors, metricsOf, type ScoredRows } from './scored-rows.ts';
import { servingRows } from './serving-rows.ts';
import { predictAll, type ServingTarget } from './serving-target.ts';
import { sliceCheck } from './slice-check.ts';
import { asCategory, sliceMetrics } from './slice-metrics.ts';
import { readStoredPredictions, signatureOf } from './stored-predictions.ts';
import { checkThresholdMetrics, thresholdChecks, type PlacedThreshold } from './threshold-check.ts';

/**
 * One gate run, in the order a reviewer would ask:
 *
 *   resolve the version (and the baseline: --against, else the spec's alias — the champion —
 *   when it is set; a version of another model is refused) → read the spec (refused with a line
 *   when broken, or when it names a metric the task lacks or a column the data lacks) → read the
 *   evaluation rows once (the training version's test rows, or --data's rows) → data checks →
 *   model checks (thresholds, the paired test against the baseline, slices) → integration checks
 *   (the signed bundle in the serving runtime) → the report, committed beside the version.
 *
 * Refusals (bad references, a broken spec) throw before any check runs; a check that cannot
 * pass fails with its sentence, and the run goes on so the report shows every problem at once.
 */
export interface GateRunRequest {
  ref: string;
  against?: string | undefined;
  data?: string | undefined;
  require?: readonly string[] | undefined;
  record?: boolean | undefined;
}

export interface GateRunContext {
  workspace: Workspace;
  /** The registry's resolver: `NAME@3` / `NAME@alias` → the version. */
  resolve(ref: string): Promise<GatedVersion>;
  /** The serving runtime for integration checks (and for predicting rows a model has no stored predictions for); null: those checks are skipped, saying why. */
  serving: ServingTarget | null;
  /** The job this run is (gates:run): its progress shows which checks run; cancelling stops before the next group, keeping nothing. */
  job?: JobContext | undefined;
  now?: () => Date;
}

export async function runGates(context: GateRunContext, request: GateRunRequest): Promise<GateReport> {
  const started = performance.now();
  const startedAt = (context.now ?? (() => new Date()))();
  const { workspace } = context;
  const candidate = await context.resolve(request.ref);
  const signature = signatureOf(candidate);
  const spec = await loadGateSpec(workspace.git, candidate.name);
  const thresholds = placedThresholds(spec, request.require ?? []);
  checkThresholdMetrics(thresholds, signature.task, spec);
  const baseline = await resolveBaseline(context, candidate, spec, request.against);

  const trainedOn = candidate.lineage.dataset;
  if (!trainedOn || trainedOn.version === null) {
    throw failure('NOT_FOUND', `${label(candidate)} does not record which dataset version trained it, so there is nothing to check its data against.`, { hint: 'Gate versions registered from runs Lathe trained on a dataset version.' });
  }
  const training = await datasetVersion(workspace, trainedOn.name, trainedOn.version);
  const other = request.data ? dataRef(request.data) : null;
  const evaluated: DatasetVersionRead = other ? await datasetVersion(workspace, other.name, other.version) : training;
  const testSplit = !other || (evaluated.manifest.name === training.manifest.name && evaluated.manifest.version === training.manifest.version);
  const sliceColumns = chooseSliceColumns(spec, signature, training);

  // One read of the evaluation rows serves every check.
  const baselineInputs = baseline?.signature?.inputs.map((input) => input.name) ?? [];
  const wantedColumns = [...signature.inputs.map((input) => input.name), ...baselineInputs, ...sliceColumns, ...(testSplit ? [] : [signature.target.name])];
  const table = await readEvaluationTable(workspace, evaluated, wantedColumns);
  const stored = await readStoredPredictions(workspace.blobs, candidate);
  const checks: GateCheck[] = [];
  const run = async (work: () => CheckResult[] | Promise<CheckResult[]>) => {
    await reachPhase('gates:check');
    stopIfCancelled(context, candidate);
    const start = performance.now();
    const results = await work();
    const each = (performance.now() - start) / Math.max(1, results.length);
    checks.push(...results.map((result) => ({ ...result, durationMs: each })));
  };

  const scoredRows = testSplit ? stored.rows : null;
  const data: EvaluationData = { manifest: evaluated.manifest, profile: evaluated.profile, table, rows: scoredRows };
  const where = testSplit ? `the ${stored.rows.length.toLocaleString('en')} test rows of ${training.manifest.name}@${training.manifest.version}` : `the ${table.rows.toLocaleString('en')} rows of ${evaluated.manifest.name}@${evaluated.manifest.version}`;

  const step = (done: number, message: string) => context.job?.progress({ done, total: 3, unit: 'steps', message: message.slice(0, 500) });
  step(0, `data checks on ${where}`);
  if (spec.spec.data.enabled) await run(() => dataChecks(spec.spec.data, signature, training.profile, data));

  // The candidate's predictions on the judged rows: stored by training, or served for other data.
  let scored: ScoredRows | null = testSplit ? stored : null;
  const lacksTarget = !testSplit && !evaluated.profile.some((column) => column.name === signature.target.name);
  if (!scored && !lacksTarget && context.serving) scored = await predictRows(context.serving, candidate, table, signature.target.name);
  const modelSpec = spec.spec.model;
  step(1, `model checks${baseline ? ` against ${label(baseline)}` : ''}`);
  if (modelSpec.enabled) {
    if (lacksTarget) {
      await run(() => [check('model', 'model.metrics', 'Model checks', 'skip', `${evaluated.manifest.name}@${evaluated.manifest.version} has no "${signature.target.name}" column, so there is nothing to score ${label(candidate)}'s predictions against.`)]);
    } else if (!scored) {
      await run(() => [check('model', 'model.metrics', 'Model checks', 'skip', `The model checks need ${label(candidate)}'s predictions on ${where}, which only the serving runtime can make, and none is available here.`)]);
    } else {
      const judged = scored;
      const wanted = new Set(thresholds.map((threshold) => threshold.metric as GateMetric));
      await run(() => thresholdChecks(thresholds, metricsOf(judged, wanted), where));
      await run(async () => [await compareWithBaseline(context, { candidate, baseline, scored: judged, table, testSplit }, signature.target.name, spec)]);
      if (modelSpec.slices.enabled) {
        await run(() => {
          const columns = sliceColumns.flatMap((name) => {
            const column = table.columns.get(name);
            const category = column ? asCategory(column) : null;
            return category ? [category] : [];
          });
          const outcome = judged.task === 'classification' ? { metric: 'accuracy' as const, right: correctness(judged) } : { metric: 'mae' as const, errors: absoluteErrors(judged) };
          const rows = testSplit ? judged.rows : Int32Array.from({ length: table.rows }, (_, i) => i);
          return [sliceCheck(modelSpec.slices, sliceMetrics({ outcome, rows, columns, minSupport: modelSpec.slices.minSupport }), sliceColumns, where)];
        });
      }
    }
  }

  step(2, 'integration checks: the signed bundle in the serving runtime');
  if (spec.spec.integration.enabled) {
    if (!context.serving) {
      await run(() => [check('integration', 'integration.bundle', 'Signed bundle loads', 'skip', 'No serving runtime is available to this Lathe, so the bundle was not loaded.')]);
    } else {
      const serving = context.serving;
      const testTable = testSplit ? table : await readEvaluationTable(workspace, training, signature.inputs.map((input) => input.name));
      await run(() => integrationChecks(spec.spec.integration, { version: candidate, target: serving, stored, rows: servingRows(testTable, signature.inputs, stored.rows) }));
    }
  }

  const report = finish({
    id: newGateRunId(startedAt),
    model: candidate.name,
    version: candidate.version,
    baseline: baseline ? label(baseline) : null,
    data: { name: evaluated.manifest.name, version: evaluated.manifest.version, rows: testSplit ? stored.rows.length : table.rows, testSplit },
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    checks,
  });
  stopIfCancelled(context, candidate);
  step(3, report.summary);
  if (request.record !== false) await recordGateReport(workspace, report);
  return report;
}

function stopIfCancelled(context: GateRunContext, candidate: GatedVersion): void {
  if (context.job?.signal.aborted) throw failure('CANCELLED', `The gates of ${label(candidate)} were cancelled; no report was kept.`);
}

/** --data's `NAME@V`, or INVALID_INPUT at the field `data`. */
function dataRef(text: string) {
  try {
    return parseDatasetRef(text);
  } catch (error) {
    if (error instanceof LatheFailure) throw failure(error.error.code, `--data ${error.error.message}`, { location: { field: 'data' } });
    throw error;
  }
}

function finish(report: Omit<GateReport, 'outcome' | 'summary'>): GateReport {
  const failed = report.checks.filter((c) => c.status === 'fail');
  const warned = report.checks.filter((c) => c.status === 'warn');
  const name = `${report.model}@${report.version}`;
  const outcome = failed.length > 0 ? 'fail' : warned.length > 0 ? 'warn' : 'pass';
  const passed = report.checks.filter((c) => c.status === 'pass').length;
  const summary =
    outcome === 'fail'
      ? `${name} failed ${failed.length} of ${report.checks.length} checks: ${list(failed.map((c) => c.title), 4)}.`
      : outcome === 'warn'
        ? `${name} passed its gates with ${warned.length} warning${warned.length === 1 ? '' : 's'} (${list(warned.map((c) => c.title), 4)}).`
        : `${name} passed all ${passed} checks.`;
  return { ...report, outcome, summary };
}

function placedThresholds(spec: LoadedSpec, flags: readonly string[]): PlacedThreshold[] {
  const placed: PlacedThreshold[] = [];
  spec.spec.model.require.forEach((text, index) => {
    const reading = readThreshold(text);
    if (reading.ok) placed.push({ ...reading.threshold, text, from: { spec: ['model', 'require', index] } });
  });
  flags.forEach((text, index) => {
    const reading = readThreshold(text);
    if (!reading.ok) throw failure('INVALID_INPUT', `--require: ${reading.problem}.`, { location: { field: `require[${index}]` } });
    placed.push({ ...reading.threshold, text, from: { flag: index } });
  });
  return placed;
}

/** --against, else the spec's alias (the champion) when the model has it; never a version of another model. */
async function resolveBaseline(context: GateRunContext, candidate: GatedVersion, spec: LoadedSpec, against: string | undefined): Promise<GatedVersion | null> {
  if (against === 'none') return null;
  if (against !== undefined) {
    const baseline = await context.resolve(against);
    if (baseline.name !== candidate.name) {
      throw failure('INVALID_INPUT', `--against ${against} is a version of the model "${baseline.name}", not of "${candidate.name}": a gate compares versions of one model, on the same test rows.`, {
        hint: `Compare with a version of ${candidate.name}, like ${candidate.name}@champion, or pass --against none.`,
        location: { field: 'against' },
      });
    }
    return baseline;
  }
  const alias = spec.spec.model.baseline.alias;
  if (!alias) return null;
  try {
    return await context.resolve(`${candidate.name}@${alias}`);
  } catch (error) {
    // No champion yet: the first version has nothing to be compared with.
    if (error instanceof LatheFailure && error.error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

interface Comparison {
  candidate: GatedVersion;
  baseline: GatedVersion | null;
  /** The candidate's predictions on the judged rows (indices into `table`). */
  scored: ScoredRows;
  table: EvaluationData['table'];
  /** True when the judged rows are the candidate's test split (so stored predictions can pair). */
  testSplit: boolean;
}

async function compareWithBaseline(context: GateRunContext, { candidate, baseline, scored, table, testSplit }: Comparison, target: string, spec: LoadedSpec): Promise<CheckResult> {
  const title = 'No worse than the baseline';
  if (!baseline) {
    const alias = spec.spec.model.baseline.alias;
    return check('model', 'model.baseline', title, 'skip', alias ? `${candidate.name} has no ${alias} yet, so there is no version to compare with.` : 'No baseline: the spec sets none (model.baseline.alias) and no --against was given.');
  }
  if (baseline.version === candidate.version) return check('model', 'model.baseline', title, 'skip', `${label(candidate)} is itself ${label(baseline)}'s version: nothing to compare.`);
  const baselineSignature = signatureOf(baseline);
  const candidateSignature = signatureOf(candidate);
  if (baselineSignature.task !== candidateSignature.task || baselineSignature.target.name !== candidateSignature.target.name) {
    return check('model', 'model.baseline', title, 'fail', `${label(baseline)} predicts ${baselineSignature.target.name} (${baselineSignature.task}) and ${label(candidate)} predicts ${candidateSignature.target.name} (${candidateSignature.task}): they cannot be compared.`);
  }
  const names = { candidate: label(candidate), baseline: label(baseline), rows: `${scored.rows.length.toLocaleString('en')} rows` };
  // Same test rows (same dataset bytes, the candidate's rows among the baseline's): pair the stored predictions.
  const sameData = candidate.lineage.dataset?.contentHash === baseline.lineage.dataset?.contentHash;
  if (testSplit && sameData) {
    const paired = pairByRow(scored, await readStoredPredictions(context.workspace.blobs, baseline));
    if (paired) return baselineCheck(spec.spec.model.baseline, paired, names);
  }
  // Different rows: predict the baseline on the candidate's rows through the serving runtime.
  if (!context.serving) {
    return check('model', 'model.baseline', title, 'warn', `${label(baseline)} was tested on other rows than ${label(candidate)}, and no serving runtime is available to predict it on the same rows, so they were not compared.`);
  }
  const served = await predictRows(context.serving, baseline, table, target, scored.rows);
  return baselineCheck(spec.spec.model.baseline, { candidate: scored, baseline: served }, names);
}

/** A version's predictions through the serving runtime on `rows` of `table` (default every row), with the actual values from the target column. */
async function predictRows(serving: ServingTarget, version: GatedVersion, table: EvaluationData['table'], target: string, rows?: Int32Array): Promise<ScoredRows> {
  const signature = signatureOf(version);
  const indices = rows ?? Int32Array.from({ length: table.rows }, (_, i) => i);
  const runtime = await serving.open(version);
  let answers;
  try {
    answers = await predictAll(runtime, servingRows(table, signature.inputs, indices));
  } finally {
    await runtime.close();
  }
  const actualColumn = table.columns.get(target);
  if (signature.task === 'classification') {
    const classes = signature.classes ?? [];
    const k = classes.length;
    const probabilities = new Float32Array(indices.length * k);
    const predicted = new Int32Array(indices.length);
    const actual = new Int32Array(indices.length).fill(-1);
    answers.forEach((answer, i) => {
      const p = 'probabilities' in answer ? answer.probabilities : [];
      let best = 0;
      for (let c = 0; c < k; c += 1) {
        probabilities[i * k + c] = p[c] ?? Number.NaN;
        if ((p[c] ?? -1) > (p[best] ?? -1)) best = c;
      }
      predicted[i] = best;
      if (actualColumn?.reading === 'category') {
        const code = actualColumn.codes[indices[i]!]!;
        actual[i] = code < 0 ? -1 : classes.indexOf(actualColumn.names[code]!);
      }
    });
    return { task: 'classification', rows: indices, classes, actual, predicted, probabilities };
  }
  const values = actualColumn && actualColumn.reading !== 'category' ? actualColumn.values : null;
  return {
    task: 'regression',
    rows: indices,
    actual: Float64Array.from(indices, (row) => (values ? values[row]! : Number.NaN)),
    predicted: Float64Array.from(answers, (answer) => ('value' in answer ? answer.value : Number.NaN)),
  };
}

/** The spec's slice columns (each must be a column of the training data) or every categorical input. */
function chooseSliceColumns(spec: LoadedSpec, signature: ReturnType<typeof signatureOf>, training: DatasetVersionRead): string[] {
  const slices = spec.spec.model.slices;
  if (!spec.spec.model.enabled || !slices.enabled) return [];
  if (slices.columns.length === 0) return signature.inputs.filter((input) => input.type === 'string' || input.type === 'boolean').map((input) => input.name);
  const known = new Map(training.profile.map((column) => [column.name, column.type]));
  slices.columns.forEach((name, index) => {
    const type = known.get(name);
    if (type === 'string' || type === 'boolean') return;
    const at = spec.locate(['model', 'slices', 'columns', index]);
    const where = `${training.manifest.name}@${training.manifest.version}`;
    const problem = type === undefined ? `"${name}" is not a column of ${where}; its columns are ${list(training.profile.map((column) => column.name), 12)}` : `"${name}" is a ${type} column of ${where}; slices are made of text or true/false columns`;
    throw failure('INVALID_INPUT', `${at.file} line ${at.line}: ${at.field}: ${problem}.`, { hint: `Fix the column name in ${at.file}.`, location: at });
  });
  return [...slices.columns];
}
