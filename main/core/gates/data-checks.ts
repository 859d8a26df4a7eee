import type { ColumnProfile } from '../../../shared/contract/datasets.ts';
import type { GateSpec } from '../../../shared/contract/gates.ts';
import type { TableColumn } from '../training/data/table-columns.ts';
import { check, list, percent, type CheckResult } from './check-result.ts';
import { rowCount, type EvaluationData } from './evaluation-data.ts';
import type { GatedSignature } from './gated-version.ts';

/**
 * Data checks, as TFDV and Great Expectations report anomalies: does the evaluation data have
 * what the model was trained on — its columns and their types, values within the training range
 * (with a tolerance), missing shares near training's, categories training saw, and enough rows?
 * "Training" is the training version's profile; the evaluation rows are read.
 */
export function dataChecks(spec: GateSpec['data'], signature: GatedSignature, training: ColumnProfile[], data: EvaluationData): CheckResult[] {
  const trainingColumns = new Map(training.map((column) => [column.name, column]));
  const evaluationColumns = new Map(data.profile.map((column) => [column.name, column]));
  const inputs = signature.inputs.map((input) => ({ input, training: trainingColumns.get(input.name) ?? null, evaluation: evaluationColumns.get(input.name) ?? null }));
  return [schemaCheck(inputs, data), rowsCheck(spec, data), rangeCheck(spec, inputs, data), missingCheck(spec, inputs, data), categoryCheck(inputs, data)];
}

interface InputColumns {
  input: GatedSignature['inputs'][number];
  training: ColumnProfile | null;
  evaluation: ColumnProfile | null;
}

const numeric = (type: string) => type === 'integer' || type === 'number';
const sameKind = (a: string, b: string) => a === b || (numeric(a) && numeric(b)) || b === 'empty';

function schemaCheck(inputs: InputColumns[], data: EvaluationData): CheckResult {
  const where = `${data.manifest.name}@${data.manifest.version}`;
  const missing = inputs.filter((column) => !column.evaluation).map((column) => column.input.name);
  const changed = inputs.filter((column) => column.evaluation && !sameKind(column.input.type, column.evaluation.type)).map((column) => `${column.input.name} (${column.input.type} → ${column.evaluation!.type})`);
  const details = { columns: inputs.length, missing, changedTypes: changed };
  if (missing.length > 0 || changed.length > 0) {
    const parts = [missing.length > 0 ? `lacks ${list(missing)}` : '', changed.length > 0 ? `changed type in ${list(changed)}` : ''].filter(Boolean);
    return check('data', 'data.schema', 'Columns and types', 'fail', `${where} ${parts.join(' and ')}, which the model reads.`, details);
  }
  return check('data', 'data.schema', 'Columns and types', 'pass', `${where} has all ${inputs.length} columns the model reads, with the types it was trained on.`, details);
}

function rowsCheck(spec: GateSpec['data'], data: EvaluationData): CheckResult {
  const rows = rowCount(data);
  const what = data.rows ? 'test rows' : 'rows';
  if (rows < spec.minRows) return check('data', 'data.rows', 'Row count', 'fail', `Only ${rows.toLocaleString('en')} ${what} to judge the model on; the spec asks for at least ${spec.minRows.toLocaleString('en')} (data.minRows).`, { rows, minRows: spec.minRows });
  return check('data', 'data.rows', 'Row count', 'pass', `${rows.toLocaleString('en')} ${what} to judge the model on (at least ${spec.minRows.toLocaleString('en')} asked).`, { rows, minRows: spec.minRows });
}

/** Visit each judged row's index into the table. */
function forEachRow(data: EvaluationData, visit: (row: number) => void): void {
  if (data.rows) for (let i = 0; i < data.rows.length; i += 1) visit(data.rows[i]!);
  else for (let row = 0; row < data.table.rows; row += 1) visit(row);
}

function rangeCheck(spec: GateSpec['data'], inputs: InputColumns[], data: EvaluationData): CheckResult {
  const rows = rowCount(data);
  const columns: { column: string; outside: number; share: number; low: number; high: number }[] = [];
  for (const { input, training } of inputs) {
    const values = numbersOf(data.table.columns.get(input.name));
    if (!values || !training || training.min === null || training.max === null) continue;
    const slack = (training.max - training.min) * spec.rangeTolerance;
    const low = training.min - slack;
    const high = training.max + slack;
    let outside = 0;
    forEachRow(data, (row) => {
      const value = values[row]!;
      if (value < low || value > high) outside += 1;
    });
    columns.push({ column: input.name, outside, share: rows === 0 ? 0 : outside / rows, low, high });
  }
  columns.sort((a, b) => b.share - a.share);
  const worst = columns[0];
  const details = { rangeTolerance: spec.rangeTolerance, maxOutOfRangeShare: spec.maxOutOfRangeShare, columns };
  if (!worst) return check('data', 'data.ranges', 'Values within the training range', 'skip', 'The model reads no numeric column, so there is no range to check.', details);
  const offenders = columns.filter((column) => column.outside > 0);
  const describe = (column: (typeof columns)[number]) => `${column.column} (${percent(column.share)} of rows outside ${round(column.low)} … ${round(column.high)})`;
  if (worst.share > spec.maxOutOfRangeShare) {
    return check('data', 'data.ranges', 'Values within the training range', 'fail', `Values fall outside the training range (±${percent(spec.rangeTolerance)} of it) in ${list(offenders.filter((c) => c.share > spec.maxOutOfRangeShare).map(describe), 3)}: more than the ${percent(spec.maxOutOfRangeShare)} allowed (data.maxOutOfRangeShare).`, details);
  }
  if (offenders.length > 0) return check('data', 'data.ranges', 'Values within the training range', 'warn', `A few values fall outside the training range in ${list(offenders.map(describe), 3)}, within the ${percent(spec.maxOutOfRangeShare)} allowed.`, details);
  return check('data', 'data.ranges', 'Values within the training range', 'pass', `Every value of the ${columns.length} numeric columns lies within the training range (±${percent(spec.rangeTolerance)} of it).`, details);
}

function missingCheck(spec: GateSpec['data'], inputs: InputColumns[], data: EvaluationData): CheckResult {
  const rows = rowCount(data);
  const columns: { column: string; training: number; evaluation: number; difference: number }[] = [];
  for (const { input, training } of inputs) {
    const column = data.table.columns.get(input.name);
    if (!column || !training) continue;
    let missing = 0;
    if (column.reading === 'category') forEachRow(data, (row) => void (column.codes[row]! < 0 && (missing += 1)));
    else forEachRow(data, (row) => void (Number.isNaN(column.values[row]!) && (missing += 1)));
    const share = rows === 0 ? 0 : missing / rows;
    columns.push({ column: input.name, training: training.missingShare, evaluation: share, difference: share - training.missingShare });
  }
  columns.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference));
  const details = { missingShareBand: spec.missingShareBand, columns };
  const outside = columns.filter((column) => Math.abs(column.difference) > spec.missingShareBand);
  const describe = (column: (typeof columns)[number]) => `${column.column} (${percent(column.evaluation)} missing, ${percent(column.training)} in training)`;
  if (outside.length > 0) return check('data', 'data.missing', 'Missing values', 'fail', `Missing shares moved by more than ${percent(spec.missingShareBand)} (data.missingShareBand) in ${list(outside.map(describe), 3)}.`, details);
  // A warning needs a move past half the band that a sample this size would rarely show by chance
  // (two standard errors of the share): a 69-row test split missing 4 values where training's
  // 2.9% predicts 2 is noise, not drift.
  const noise = (share: number) => 2 * Math.sqrt((share * (1 - share)) / Math.max(rows, 1));
  const drifting = columns.filter((column) => Math.abs(column.difference) > Math.max(spec.missingShareBand / 2, noise(column.training)));
  if (drifting.length > 0) return check('data', 'data.missing', 'Missing values', 'warn', `Missing shares moved, within the ${percent(spec.missingShareBand)} band, in ${list(drifting.map(describe), 3)}.`, details);
  return check('data', 'data.missing', 'Missing values', 'pass', `Every column's missing share is within ${percent(spec.missingShareBand)} of training's.`, details);
}

/** Categories training never saw; only for columns whose training profile lists every value. */
function categoryCheck(inputs: InputColumns[], data: EvaluationData): CheckResult {
  const rows = rowCount(data);
  const columns: { column: string; unseen: string[]; rows: number }[] = [];
  for (const { input, training } of inputs) {
    const column = data.table.columns.get(input.name);
    if (input.type !== 'string' || !column || column.reading !== 'category' || !training || training.approximate || training.distinct > training.top.length) continue;
    const known = new Set(training.top.map((top) => top.value));
    const counts = new Int32Array(column.names.length);
    forEachRow(data, (row) => {
      const code = column.codes[row]!;
      if (code >= 0) counts[code]! += 1;
    });
    const unseen = column.names.filter((name, code) => counts[code]! > 0 && !known.has(name));
    if (unseen.length > 0) columns.push({ column: input.name, unseen: unseen.slice(0, 20), rows: unseen.reduce((sum, name) => sum + counts[column.names.indexOf(name)]!, 0) });
  }
  if (columns.length === 0) return check('data', 'data.categories', 'Known categories', 'pass', 'Every category in the evaluation rows was seen in training.', { columns });
  const describe = (column: (typeof columns)[number]) => `${column.column} (${list(column.unseen.map((value) => JSON.stringify(value)), 3)}: ${percent(rows === 0 ? 0 : column.rows / rows)} of rows)`;
  return check('data', 'data.categories', 'Known categories', 'warn', `Categories training never saw appear in ${list(columns.map(describe), 3)}; the model treats them as unknown.`, { columns });
}

function numbersOf(column: TableColumn | undefined): Float64Array | null {
  return column && column.reading === 'number' ? column.values : null;
}

function round(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
