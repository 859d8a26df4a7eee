import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_PIPELINE_BYTES, PIPELINE_FILE, type PipelineFile } from '../../../shared/contract/pipelines.ts';
import { checkPipelineText } from '../../../shared/pipelines/validate-pipeline.ts';
import { failedTo, failure } from '../errors.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { starterPipeline } from './starter-pipeline.ts';
import { workspaceProblems } from './workspace-problems.ts';

/**
 * `lathe.pipeline.json` as it is in the workspace folder — what a person edits by hand and what
 * CI checks out — with every problem at its line. A workspace without one gets a starting point
 * built from what it has (not saved until the user saves it).
 */
export async function readPipelineFile(workspace: Workspace): Promise<PipelineFile> {
  const path = join(workspace.dir, PIPELINE_FILE);
  const onDisk = await readText(path);
  const committed = await workspace.git.readFile(PIPELINE_FILE);
  const text = onDisk ?? starterPipeline(await datasetNames(workspace));
  const checked = checkPipelineText(text);
  const found = checked.spec ? await workspaceProblems(workspace, checked.spec, text) : [];
  const problems = [...checked.problems, ...found].sort((a, b) => a.line - b.line || a.column - b.column);
  return { file: PIPELINE_FILE, exists: onDisk !== null, text, spec: checked.spec, problems, uncommitted: onDisk !== null && onDisk !== committed };
}

/** The spec to run, or a refusal that names the first error and its line. */
export async function runnablePipeline(workspace: Workspace): Promise<{ file: PipelineFile; spec: NonNullable<PipelineFile['spec']> }> {
  const file = await readPipelineFile(workspace);
  if (!file.exists) {
    throw failure('NOT_FOUND', `This workspace has no ${PIPELINE_FILE} yet.`, {
      hint: 'Write one on the Pipelines page, or by hand (`lathe pipeline validate` checks it), then run it.',
      location: { file: PIPELINE_FILE },
    });
  }
  if (!file.spec) throw invalidPipeline(file);
  return { file, spec: file.spec };
}

export function invalidPipeline(file: PipelineFile): Error {
  const errors = file.problems.filter((problem) => problem.severity === 'error');
  const first = errors[0]!;
  return failure('INVALID_INPUT', `${PIPELINE_FILE} line ${first.line}${first.path ? ` (${first.path})` : ''}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : ''}`, {
    hint: 'Fix it in the file or on the Pipelines page; `lathe pipeline validate` lists every problem.',
    location: { file: PIPELINE_FILE, line: first.line, column: first.column, ...(first.path ? { field: first.path } : {}) },
    issues: errors.map((problem) => ({ path: problem.path || '(file)', message: `line ${problem.line}: ${problem.message}` })),
  });
}

/**
 * Check a pipeline and commit it under the workspace lock (as dataset imports commit their
 * manifests): written atomically, on the branch only if nobody moved it meanwhile. A text with
 * errors is refused and nothing is written; the same text as the last commit makes no commit.
 */
export async function savePipeline(workspace: Workspace, text: string, message: string | undefined): Promise<{ status: 'committed' | 'unchanged'; commit: string | null; file: PipelineFile }> {
  const checked = checkPipelineText(text);
  if (!checked.spec) {
    throw invalidPipeline({ file: PIPELINE_FILE, exists: true, text, spec: null, problems: checked.problems, uncommitted: true });
  }
  const content = text.endsWith('\n') ? text : `${text}\n`;
  try {
    return await workspace.lock.run(
      async () => {
        if ((await workspace.stillHere()) === 'replaced') {
          throw failure('CONFLICT', `The workspace folder ${workspace.dir} was replaced by another folder; the pipeline was not saved.`, { hint: 'Open the workspace again and save once more.' });
        }
        const committed = await workspace.git.readFile(PIPELINE_FILE);
        if (committed === content && (await readText(join(workspace.dir, PIPELINE_FILE))) === content) {
          return { status: 'unchanged' as const, commit: null, file: await readPipelineFile(workspace) };
        }
        const commit = await workspace.git.commit([{ path: PIPELINE_FILE, content }], message?.trim() || `${committed === null ? 'Add' : 'Change'} the pipeline${checked.spec!.name ? ` "${checked.spec!.name}"` : ''}`);
        return { status: 'committed' as const, commit, file: await readPipelineFile(workspace) };
      },
      { purpose: 'saving the pipeline' },
    );
  } catch (error) {
    throw failedTo(`save ${PIPELINE_FILE}`, error, 'The file was left as it was.');
  }
}

async function readText(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw failure('INVALID_INPUT', `${PIPELINE_FILE} in the workspace is not a file.`, { location: { file: PIPELINE_FILE } });
    if (info.size > MAX_PIPELINE_BYTES) {
      throw failure('TOO_LARGE', `${PIPELINE_FILE} is ${info.size.toLocaleString('en')} bytes; a pipeline is at most ${MAX_PIPELINE_BYTES / 1024} KiB.`, { location: { file: PIPELINE_FILE } });
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function datasetNames(workspace: Workspace): Promise<string[]> {
  return (await workspace.git.list('datasets')).filter((entry) => entry.type === 'tree').map((entry) => entry.path);
}
