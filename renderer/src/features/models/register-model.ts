import { ModelName } from '../../../../shared/contract/model-ref.ts';
import type { ModelSummary } from '../../../../shared/contract/registry.ts';
import type { RunDetail } from '../../../../shared/contract/runs.ts';

/** A run whose model can be registered: it finished, is not deleted, and stored a model. */
export const canRegister = (run: Pick<RunDetail, 'status' | 'lifecycle' | 'artifacts'>): boolean =>
  run.status === 'FINISHED' && run.lifecycle === 'active' && run.artifacts.some((artifact) => artifact.path === 'model/model.json');

/** What registering under `name` will do, or why the name cannot be used. */
export function nameVerdict(name: string, existing: readonly Pick<ModelSummary, 'name' | 'versions'>[]): { ok: true; note: string } | { ok: false; problem: string } {
  const typed = name.trim();
  if (typed === '') return { ok: false, problem: 'Choose a model or type a new name.' };
  const parsed = ModelName.safeParse(typed);
  if (!parsed.success) return { ok: false, problem: parsed.error.issues[0]?.message ?? 'This is not a model name.' };
  const model = existing.find((candidate) => candidate.name === typed);
  if (model) return { ok: true, note: `Becomes ${typed}@${model.versions + 1}, the next version of ${typed}.` };
  const sameButCase = existing.find((candidate) => candidate.name.toLowerCase() === typed.toLowerCase());
  if (sameButCase) return { ok: false, problem: `"${sameButCase.name}" exists: names differing only in case would clash on Windows and macOS.` };
  return { ok: true, note: `A new model, ${typed}; this run becomes ${typed}@1.` };
}
