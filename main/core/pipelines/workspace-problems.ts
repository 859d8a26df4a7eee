import type { PipelineProblem, PipelineSpec } from '../../../shared/contract/pipelines.ts';
import { locate, valueOffsets, type JsonPath } from '../../../shared/pipelines/json-locations.ts';
import { findVersion, type FoundVersion } from '../datasets/dataset-history.ts';
import { parseDatasetRef } from '../datasets/dataset-ref.ts';
import { toLatheError } from '../errors.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * What only the workspace can tell about a valid spec, said before anything runs: a dataset
 * version that is not there, a target that is not a column of the data it trains on (with the
 * column it most likely meant). Warnings, not errors: data may be imported before the run, and a
 * run still stops at such a step with the same message.
 */
export async function workspaceProblems(workspace: Workspace, spec: PipelineSpec, text: string): Promise<PipelineProblem[]> {
  const offsets = valueOffsets(text);
  const problems: PipelineProblem[] = [];
  const warn = (path: JsonPath, message: string) => problems.push({ severity: 'warning', path: path.map(String).join('.'), ...locate(text, offsets, path), message });
  /** The version each import step will use, when it is known before the run (no file to read). */
  const known = new Map<string, FoundVersion | null>();
  const version = async (ref: string, path: JsonPath): Promise<FoundVersion | null> => {
    const { name, version: number } = parseDatasetRef(ref);
    try {
      return await findVersion(workspace, name, number);
    } catch (error) {
      warn(path, toLatheError(error).message);
      return null;
    }
  };

  for (const [index, step] of spec.steps.entries()) {
    if (step.kind === 'import') {
      known.set(step.id, step.file === undefined ? await version(step.dataset, ['steps', index, 'dataset']) : null);
    } else if (step.kind === 'train') {
      const data = step.from !== undefined ? (known.get(step.from) ?? null) : await version(step.dataset!, ['steps', index, 'dataset']);
      if (!data) continue;
      const columns = (await data.profile().catch(() => null))?.map((column) => column.name);
      if (columns && !columns.includes(step.target)) {
        const near = columns.find((column) => column.toLowerCase() === step.target.toLowerCase());
        warn(['steps', index, 'target'], `${data.manifest.name}@${data.manifest.version} has no column "${step.target}"${near ? `; did you mean "${near}"?` : `; its columns are ${columns.map((c) => `"${c}"`).join(', ')}.`}`);
      }
    }
  }
  return problems;
}
