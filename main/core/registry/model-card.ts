import type { ColumnProfile } from '../../../shared/contract/datasets.ts';
import type { CardText, ModelVersion } from '../../../shared/contract/registry.ts';
import { findVersion } from '../datasets/dataset-history.ts';
import { readArtifactText } from '../tracking/run-artifacts.ts';
import { evaluationRecord, type Evaluation } from '../training/artifact-records.ts';
import type { Workspace } from '../workspace/workspace.ts';

/** A metric on one slice of the test rows (`Island = Biscoe`), as the gates compute them. */
export interface SliceMetric {
  column: string;
  value: string;
  rows: number;
  metric: string;
  score: number;
}

/**
 * Where the card's per-slice metrics come from: the gates (main/core/gates) compute them; until
 * a gate run for this version supplies them the card says where they will come from.
 */
export type SliceSource = (workspace: Workspace, version: ModelVersion) => Promise<SliceMetric[] | null>;

/**
 * A version's model card as Markdown, after Mitchell et al.'s "Model Cards for Model Reporting":
 * the generated parts come from what the registry already knows — lineage, the dataset
 * version's profile, the test evaluation (overall and per class), the signature — and the parts
 * only a person knows (intended use, limitations, ethical considerations, caveats) are the
 * version's card fields, marked as not yet written when empty. Every number is read from
 * verified bytes (the evaluation is checked against its hash).
 */
export async function modelCard(workspace: Workspace, version: ModelVersion, slices: SliceSource | null = null): Promise<string> {
  const evaluation = await readEvaluation(workspace, version);
  const profile = await datasetProfile(workspace, version);
  const sliceMetrics = slices ? await slices(workspace, version) : null;
  const ref = `${version.name}@${version.version}`;
  const lines: string[] = [`# Model card: ${ref}`, ''];
  if (version.description) lines.push(version.description, '');
  if (version.aliases.length > 0) lines.push(`Aliases: ${version.aliases.map((alias) => `\`${alias}\``).join(', ')}`, '');

  lines.push('## Intended use', '', written(version.card, 'intendedUse', ref), '');
  lines.push('## Limitations', '', written(version.card, 'limitations', ref), '');
  lines.push('## Ethical considerations', '', written(version.card, 'ethicalConsiderations', ref), '');
  lines.push('## Caveats and recommendations', '', written(version.card, 'caveats', ref), '');

  lines.push('## Model details', '');
  lines.push(...table(['Field', 'Value'], [
    ['Task', version.signature?.task ?? 'unknown'],
    ['Target', version.signature ? `${version.signature.target.name} (${version.signature.target.type})` : 'unknown'],
    ['Model', version.lineage.params.model ?? 'unknown'],
    ['Registered', version.registeredAt],
    ['Training run', `${version.lineage.run.name || version.lineage.run.id} (\`${version.lineage.run.id}\`), experiment ${version.lineage.run.experimentName}`],
    ['Code: the run started at commit', version.lineage.run.gitCommit ? `\`${version.lineage.run.gitCommit}\`` : 'not recorded'],
    ['Workspace commit at registration', version.lineage.workspaceCommit ? `\`${version.lineage.workspaceCommit}\`` : 'none'],
    ['Environment', environmentLine(version)],
  ]), '');

  lines.push('## Training data', '');
  const dataset = version.lineage.dataset;
  lines.push(dataset ? `${oneLine(dataset.name)}${dataset.version ? `@${dataset.version}` : ''} (\`${oneLine(dataset.contentHash)}\`)` : 'Not recorded by the run.', '');
  if (evaluation) lines.push(`Split: ${evaluation.split.train} training rows, ${evaluation.split.validation} validation rows, ${evaluation.split.test} test rows.`, '');
  if (profile) {
    lines.push(...table(['Column', 'Type', 'Missing', 'Distinct', 'Range or most frequent'], profile.map((column) => [column.name, column.type, percent(column.missingShare), String(column.distinct), columnSummary(column)])), '');
  }

  lines.push('## Evaluation (test split)', '');
  if (!evaluation) lines.push('The run left no evaluation.', '');
  else lines.push(...evaluationLines(evaluation));

  lines.push('## Metrics per slice', '');
  if (sliceMetrics && sliceMetrics.length > 0) {
    lines.push(...table(['Column', 'Value', 'Rows', 'Metric', 'Score'], sliceMetrics.map((slice) => [slice.column, slice.value, String(slice.rows), slice.metric, number(slice.score)])), '');
  } else {
    lines.push(`Per-slice metrics come from the latest gate run of this version (\`lathe gates run ${ref}\`); none is recorded yet.`, '');
  }

  if (version.signature) {
    lines.push('## Signature', '');
    lines.push(...table(['Input', 'Type', 'Encoding'], version.signature.inputs.map((input) => [input.name, input.type, input.encoding])), '');
    lines.push(`Outputs: ${version.signature.outputs.map((output) => `${oneLine(output.name)} ${output.datatype}[${output.shape.join(', ')}]`).join('; ')}`);
    if (version.signature.classes) lines.push(`Classes: ${version.signature.classes.map(oneLine).join(', ')}`);
    lines.push('');
  }

  lines.push('## Artifacts', '');
  lines.push(...table(['Path', 'Bytes', 'SHA-256'], version.artifacts.map((artifact) => [artifact.path, String(artifact.bytes), `\`${artifact.contentHash}\``])), '');

  if (version.promotions.length > 0) {
    lines.push('## Promotions', '');
    for (const promotion of version.promotions) {
      lines.push(`- ${promotion.at}: to \`${promotion.alias}\`${promotion.previous ? ` (replacing version ${promotion.previous})` : ''} — ${promotion.passed ? 'check passed' : `check failed, overridden: ${oneLine(promotion.overrideReason ?? '')}`}. ${oneLine(promotion.summary)}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

async function readEvaluation(workspace: Workspace, version: ModelVersion): Promise<Evaluation | null> {
  const artifact = version.artifacts.find((candidate) => candidate.path === 'evaluation.json');
  if (!artifact) return null;
  const where = `evaluation.json of ${version.name}@${version.version}`;
  return evaluationRecord.parse(await readArtifactText(workspace.blobs, artifact, where), where);
}

/** The profile of the dataset version the model was trained on, when the workspace still has it. */
async function datasetProfile(workspace: Workspace, version: ModelVersion): Promise<ColumnProfile[] | null> {
  const dataset = version.lineage.dataset;
  if (!dataset?.version) return null;
  try {
    const found = await findVersion(workspace, dataset.name, dataset.version);
    return found.manifest.contentHash === dataset.contentHash ? await found.profile() : null;
  } catch {
    // The dataset came from another workspace or was never imported here: the card says less.
    return null;
  }
}

function evaluationLines(evaluation: Evaluation): string[] {
  const report = evaluation.report;
  if (report.task === 'regression') {
    return [...table(['Metric', 'Value'], [['RMSE', number(report.rmse)], ['MAE', number(report.mae)], ['R²', number(report.r2)], ['Rows', String(report.rows)]]), ''];
  }
  return [
    ...table(['Metric', 'Value'], [
      ['Accuracy', number(report.accuracy)],
      ['Macro F1', number(report.macro.f1)],
      ['Macro precision', number(report.macro.precision)],
      ['Macro recall', number(report.macro.recall)],
      [`ROC AUC (${report.rocAucAverage})`, report.rocAuc === null ? 'n/a' : number(report.rocAuc)],
      ['Log loss', number(report.logLoss)],
      ['Rows', String(report.rows)],
    ]),
    '',
    '### Per class',
    '',
    ...table(['Class', 'Precision', 'Recall', 'F1', 'Support'], report.perClass.map((row) => [row.class, number(row.precision), number(row.recall), number(row.f1), String(row.support)])),
    '',
  ];
}

const FLAGS: Record<keyof CardText, string> = { intendedUse: 'intended-use', limitations: 'limitations', ethicalConsiderations: 'ethical-considerations', caveats: 'caveats' };

function written(card: CardText, field: keyof CardText, ref: string): string {
  return card[field].trim() || `_Not written yet: add it on the Models page, or with \`lathe models edit ${ref} --${FLAGS[field]} "…"\`._`;
}

/** Text from data or a person inside a line of the card: a line break in it cannot start a heading. */
function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ');
}

function environmentLine(version: ModelVersion): string {
  const environment = version.lineage.environment;
  if (!environment) return 'not recorded';
  const parts = [environment.backend && `backend ${environment.backend}`, environment.node && `Node ${environment.node}`, environment.platform, environment.cpu];
  const tfjs = environment.libraries?.['@tensorflow/tfjs-core'];
  if (tfjs) parts.push(`tfjs ${tfjs}`);
  return parts.filter(Boolean).join(', ') || 'not recorded';
}

function columnSummary(column: ColumnProfile): string {
  if (column.min !== null && column.max !== null) return `${number(column.min)} – ${number(column.max)}${column.mean !== null ? `, mean ${number(column.mean)}` : ''}`;
  return column.top.slice(0, 3).map((top) => `${top.value} (${top.count})`).join(', ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- ').join('|')}|`, ...rows.map(line)];
}

/** A table cell: one line, with "|" escaped so data cannot break the table. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function number(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 0)}%`;
}
