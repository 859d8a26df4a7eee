import type { CardEdit } from '../../../shared/contract/registry.ts';
import { failure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { modelPath, modelRecord, versionPath, versionRecord } from './model-records.ts';
import { readVersion, requireModel, versionNumbers } from './model-reads.ts';
import { changeRegistry, registryCommitMessage } from './registry-commits.ts';
import { noSuchVersion } from './resolve-model-version.ts';

export interface EditRequest {
  name: string;
  /** Without it the model's description is edited; with it, that version's description and card. */
  version?: number | undefined;
  description?: string | undefined;
  card?: CardEdit | undefined;
}

export interface EditOutcome {
  name: string;
  version: number | null;
  /** null when nothing changed (every field already said that). */
  commit: string | null;
}

/**
 * Edit what only a person knows: a model's description, or a version's description and card
 * fields (intended use, limitations, ethical considerations, caveats). One commit per edit, none
 * when nothing changes; a version's lineage, metrics and artifacts never change.
 */
export async function editModel(workspace: Workspace, request: EditRequest, events?: EventHub): Promise<EditOutcome> {
  const { name, version } = request;
  if (request.description === undefined && (request.card === undefined || Object.keys(request.card).length === 0)) {
    throw failure('INVALID_INPUT', `Nothing to edit on ${version === undefined ? name : `${name}@${version}`}: give a description${version === undefined ? '' : ' or card fields'}.`);
  }
  if (version === undefined && request.card !== undefined) {
    throw failure('INVALID_INPUT', `Card fields belong to a version: name one (${name}@N).`, { location: { field: 'version' } });
  }
  return changeRegistry<EditOutcome>(
    workspace,
    `edit ${version === undefined ? name : `${name}@${version}`}`,
    name,
    async () => {
      const model = await requireModel(workspace, name);
      if (version === undefined) {
        const description = request.description!.trim();
        const unchanged = description === model.description;
        return {
          files: unchanged ? [] : [{ path: modelPath(name), content: modelRecord.serialize({ ...model, description }) }],
          message: registryCommitMessage(`Edit the description of ${name}`, null, { model: name, action: 'edit-model' }),
          result: (commit) => ({ name, version: null, commit }),
        };
      }
      const record = await readVersion(workspace, name, version);
      if (!record) throw noSuchVersion(name, version, await versionNumbers(workspace, name));
      const card = { ...record.card };
      for (const [field, text] of Object.entries(request.card ?? {})) if (text !== undefined) card[field as keyof typeof card] = text.trim();
      const edited = { ...record, card, description: request.description?.trim() ?? record.description };
      const changed = Object.entries({ description: edited.description !== record.description, ...Object.fromEntries(Object.keys(card).map((field) => [field, card[field as keyof typeof card] !== record.card[field as keyof typeof card]])) })
        .filter(([, differs]) => differs)
        .map(([field]) => field);
      return {
        files: changed.length === 0 ? [] : [{ path: versionPath(name, version), content: versionRecord.serialize(edited) }],
        message: registryCommitMessage(`Edit ${name}@${version}: ${changed.join(', ')}`, null, { model: name, version, action: 'edit-version' }),
        result: (commit) => ({ name, version, commit }),
      };
    },
    events,
  );
}
