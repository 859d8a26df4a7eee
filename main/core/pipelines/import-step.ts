import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DatasetVersion } from '../../../shared/contract/datasets.ts';
import type { PipelineStep, StepOutputs } from '../../../shared/contract/pipelines.ts';
import { failure } from '../errors.ts';
import { parseDatasetRef } from '../datasets/dataset-ref.ts';
import { onCancel, type StepContext } from './step-context.ts';

type ImportStep = Extract<PipelineStep, { kind: 'import' }>;

/**
 * An import step: a file becomes the next version of a dataset (identical bytes make none: the
 * latest version is used), or an existing version is looked up. Its outputs name the version.
 */
export async function runImportStep(step: ImportStep, context: StepContext): Promise<StepOutputs> {
  if (step.file === undefined) return useExistingVersion(step, context);
  const path = await fileToImport(step.file, context);
  const importId = `pipeline-${randomBytes(6).toString('hex')}`;
  context.log(`Importing ${step.file} into ${step.dataset}`);
  const stopCancel = onCancel(context, async () => {
    const job = (await context.call('jobs:list', { workspace: context.workspace })).find((j) => j.ref === importId && j.status === 'running');
    if (job) await context.call('jobs:cancel', { workspace: context.workspace, jobId: job.id });
  });
  try {
    const outcome = await context.call('datasets:import-file', { workspace: context.workspace, path, name: step.dataset, importId, ...(step.message ? { message: step.message } : {}) });
    const { version } = outcome;
    context.log(
      outcome.status === 'created'
        ? `Made ${version.name}@${version.version}: ${version.rows.toLocaleString('en')} rows × ${version.columns} columns, ${version.contentHash}`
        : `No new version: the file holds the same bytes as ${version.name}@${version.version} (${version.contentHash})`,
    );
    return { ...versionOutputs(version, outcome.status === 'created'), file: step.file };
  } finally {
    stopCancel();
  }
}

async function useExistingVersion(step: ImportStep, context: StepContext): Promise<StepOutputs> {
  const ref = parseDatasetRef(step.dataset);
  const versions = await context.call('datasets:log', { workspace: context.workspace, name: ref.name });
  const version = ref.version === undefined ? versions[0] : versions.find((v) => v.version === ref.version);
  if (!version) {
    throw failure('NOT_FOUND', versions.length === 0 ? `There is no dataset "${ref.name}" in this workspace.` : `${ref.name} has no version ${ref.version}; its latest is ${ref.name}@${versions[0]!.version}.`, {
      hint: 'Import it first (give the step a "file"), or name a version that exists (`lathe data log NAME`).',
      location: { field: 'dataset' },
    });
  }
  context.log(`Using ${version.name}@${version.version}: ${version.rows.toLocaleString('en')} rows, ${version.contentHash}`);
  return versionOutputs(version, false);
}

/**
 * The file's real path. `lathe serve` answers any browser tab holding its token, so there a
 * pipeline may only import files inside the workspace (symbolic links followed); the CLI and the
 * desktop app read any file the user can.
 */
async function fileToImport(file: string, context: StepContext): Promise<string> {
  const path = isAbsolute(file) ? file : resolve(context.workspace, file);
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw failure('NOT_FOUND', `There is no file ${file}${isAbsolute(file) ? '' : ` in the workspace (${path})`}.`, {
      hint: 'Paths in a pipeline are relative to the workspace folder (or absolute). Check the name, or add the file.',
      location: { file, field: 'file' },
    });
  }
  const inside = relative(context.workspace, real);
  if (!context.allowOutsideFiles && (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside))) {
    throw failure('FORBIDDEN', `${file} is outside the workspace, and a pipeline run from the browser only imports files inside it.`, {
      hint: 'Move the file into the workspace folder, or run the pipeline from the CLI (`lathe pipeline run`) or the desktop app.',
      location: { file, field: 'file' },
    });
  }
  return real;
}

function versionOutputs(version: DatasetVersion, created: boolean): StepOutputs {
  return { dataset: version.name, version: version.version, contentHash: version.contentHash, rows: version.rows, created };
}
