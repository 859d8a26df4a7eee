import type { CheckOutcome, ModelVersion } from '../../../shared/contract/registry.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * What must pass before an alias moves to a version (`models:promote`). The registry takes it as
 * a function so that the gates (main/core/gates) can supply theirs — data, model-vs-champion,
 * slice and integration checks — without the registry knowing what a gate is. `against` is the
 * version the alias points at now (or the one the caller named), null when there is none.
 */
export type PromotionCheck = (workspace: Workspace, version: ModelVersion, against: ModelVersion | null) => Promise<CheckOutcome>;

/**
 * The check used until the gates supply theirs: the version's run FINISHED and left an
 * evaluation (evaluation.json, whose bytes are intact in the store). It compares nothing against
 * `against`; the gates' check does.
 */
export const finishedWithEvaluation: PromotionCheck = async (workspace, version) => {
  const ref = `${version.name}@${version.version}`;
  if (version.lineage.run.status !== 'FINISHED') {
    return { passed: false, summary: `${ref}: its run ${version.lineage.run.id} is ${version.lineage.run.status}, not FINISHED.` };
  }
  const evaluation = version.artifacts.find((artifact) => artifact.path === 'evaluation.json');
  if (!evaluation) return { passed: false, summary: `${ref}: its run left no evaluation (evaluation.json), so nothing says how well it does.` };
  const state = await workspace.blobs.inspect(evaluation.contentHash, evaluation.bytes, { trustCache: true });
  if (state.state !== 'intact') return { passed: false, summary: `${ref}: its evaluation's stored bytes are ${state.state}, so they cannot be trusted.` };
  return { passed: true, summary: `${ref}: its run FINISHED and has an evaluation (default check; gates not configured).` };
};
