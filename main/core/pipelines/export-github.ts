import { mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { failure } from '../errors.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { githubWorkflow } from './github-workflow.ts';
import { readPipelineFile } from './pipeline-file.ts';

export interface ExportRequest {
  /** Relative to the workspace. */
  out?: string | undefined;
  branches?: readonly string[] | undefined;
  force?: boolean | undefined;
}

/**
 * `pipelines:export-github`: write the workflow that runs the workspace's pipeline on GitHub
 * Actions, inside the workspace (GitHub reads `.github/workflows`). An existing file that differs
 * is kept unless `force`; the same text again writes nothing.
 */
export async function exportGithubWorkflow(workspace: Workspace, request: ExportRequest): Promise<{ path: string; written: boolean; branches: string[] }> {
  if (!(await readPipelineFile(workspace)).exists) {
    throw failure('NOT_FOUND', 'This workspace has no lathe.pipeline.json to export yet.', { hint: 'Save one first (the Pipelines page, or by hand), then export it.' });
  }
  const out = resolve(workspace.dir, request.out ?? '.github/workflows/lathe.yml');
  const inside = relative(workspace.dir, out);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw failure('INVALID_INPUT', `--out ${request.out ?? ''} is outside the workspace; GitHub reads workflows from the repository's .github/workflows folder.`, { location: { field: 'out' } });
  }
  const branches = request.branches?.length ? [...request.branches] : ['main'];
  requireLatheInPackageJson(await readFile(resolve(workspace.dir, 'package.json'), 'utf8').catch(() => null));
  const text = githubWorkflow({ branches, nodeVersion: '24' });
  const existing = await readFile(out, 'utf8').catch(() => null);
  if (existing !== null && existing !== text && request.force !== true) {
    throw failure('CONFLICT', `${inside} already exists and differs from the workflow Lathe would write; it was left as it is.`, {
      hint: 'Pass --force to replace it, or --out to write another file.',
      location: { file: inside },
    });
  }
  if (existing !== text) {
    await mkdir(dirname(out), { recursive: true });
    await writeFileAtomic(out, text);
  }
  return { path: out, written: existing !== text, branches };
}

/**
 * The workflow installs Lathe with `npm ci` from the workspace's package.json: the npm package
 * named "lathe" is another project, so CI must never install Lathe by its name from the registry.
 */
function requireLatheInPackageJson(text: string | null): void {
  const hint =
    'Add Lathe to the workspace as a dev dependency from where your team gets it — `npm install --save-dev <Lathe\'s git URL, or the .tgz `npm pack` makes>` — ' +
    'commit package.json and package-lock.json, then export again. (The npm package named "lathe" is another project, so the workflow never installs Lathe by name.)';
  if (text === null) throw failure('FAILED_PRECONDITION', 'This workspace has no package.json that installs Lathe, so the workflow would have no Lathe to run.', { hint, location: { file: 'package.json' } });
  let pkg: { dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
  try {
    pkg = JSON.parse(text) as typeof pkg;
  } catch {
    throw failure('PARSE_ERROR', 'The workspace\'s package.json is not valid JSON.', { hint: 'Fix it (npm reads it too), then export again.', location: { file: 'package.json' } });
  }
  if (pkg?.dependencies?.lathe === undefined && pkg?.devDependencies?.lathe === undefined) {
    throw failure('FAILED_PRECONDITION', 'The workspace\'s package.json does not list Lathe (as "lathe" in devDependencies or dependencies), so `npm ci` in the workflow would install no Lathe.', { hint, location: { file: 'package.json' } });
  }
}
