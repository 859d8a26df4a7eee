import type { CheckOutcome, ModelVersion, PromoteOutcome } from '../../../shared/contract/registry.ts';
import { failure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { aliasMove } from './model-aliases.ts';
import { versionPath, versionRecord } from './model-records.ts';
import { readAliases, readVersion, versionNumbers } from './model-reads.ts';
import type { PromotionCheck } from './promotion-check.ts';
import { changeRegistry, registryCommitMessage } from './registry-commits.ts';
import { aliasPointsNowhere, parseModelRef, resolveModelVersion } from './resolve-model-version.ts';

export interface PromoteRequest {
  ref: string;
  alias: string;
  /** The version to compare with; default: the one the alias points at now. */
  against?: string | undefined;
  /** Promote even though the check failed; the reason is kept in the commit and on the version. */
  override?: { reason: string } | undefined;
}

/**
 * Move an alias (champion by default) to a version, only after `check` passes. The check runs
 * outside the lock (gates may take a while); the move is then made under the lock, provided the
 * alias still points where it did when the check compared against it — otherwise the check
 * judged against a baseline that is gone, and the promotion is refused as a CONFLICT.
 *
 * A failed check refuses with FAILED_PRECONDITION and the check's summary, unless an override
 * with a written reason is given: then the alias moves and the commit message and the version's
 * promotions both keep the reason and the failed summary.
 */
export async function promoteModel(workspace: Workspace, check: PromotionCheck, request: PromoteRequest, events?: EventHub): Promise<PromoteOutcome> {
  const ref = parseModelRef(request.ref);
  const version = await resolveModelVersion(workspace, ref);
  const pointedAt = (await readAliases(workspace, version.name))[request.alias] ?? null;
  if (pointedAt === version.version && !request.against) {
    // Already there: nothing to check, nothing to commit.
    const summary = `${version.name}@${request.alias} already points at version ${version.version}; nothing was checked.`;
    return { name: version.name, alias: request.alias, version: version.version, previous: pointedAt, commit: null, check: { passed: true, summary }, overridden: false };
  }
  const against = await baselineOf(workspace, version, request, pointedAt);
  const outcome: CheckOutcome = await check(workspace, version, against);
  const reason = request.override?.reason.trim() ?? '';
  if (!outcome.passed && !reason) {
    throw failure('FAILED_PRECONDITION', `${version.name}@${version.version} was not promoted to ${request.alias}: its check failed. ${outcome.summary}`, {
      hint: `Fix what failed and promote again, or promote anyway with a written reason (Override… on the Models page, or \`--override-reason "…"\` on the command line), which the audit history keeps.`,
    });
  }
  const overridden = !outcome.passed;
  const name = version.name;
  return changeRegistry(
    workspace,
    `promote ${name}@${version.version} to ${request.alias}`,
    name,
    async () => {
      const previous = (await readAliases(workspace, name))[request.alias] ?? null;
      if (previous !== pointedAt) {
        throw failure('CONFLICT', `${name}@${request.alias} moved (from ${pointedAt ?? 'nowhere'} to ${previous ?? 'nowhere'}) while ${name}@${version.version} was being checked.`, {
          hint: 'Promote again: the check will run against where it points now.',
        });
      }
      const record = await readVersion(workspace, name, version.version);
      if (!record) throw failure('CONFLICT', `${name}@${version.version} disappeared while it was being checked.`);
      const promoted = {
        ...record,
        promotions: [...record.promotions, { alias: request.alias, at: new Date().toISOString(), previous, passed: outcome.passed, summary: outcome.summary, overrideReason: overridden ? reason : null }],
      };
      const title = `Promote ${name}@${version.version} to ${request.alias}${overridden ? ' (check failed; overridden)' : ''}`;
      // The check's summary first, the person's reason last: the reason may hold anything they wrote.
      const body = overridden ? `Check: ${outcome.summary}\n\nOverride: ${reason}` : `Check: ${outcome.summary}`;
      const move = await aliasMove(
        workspace,
        name,
        request.alias,
        version.version,
        registryCommitMessage(title, body, { model: name, version: version.version, action: 'promote', alias: request.alias, check: outcome.passed ? 'passed' : 'failed', override: overridden }),
        previous === version.version ? [] : [{ path: versionPath(name, version.version), content: versionRecord.serialize(promoted) }],
      );
      return { ...move, result: (commit: string | null) => ({ ...move.result(commit), check: outcome, overridden }) };
    },
    events,
  );
}

/** The version to judge against: the one named (of the same model), else where the alias points now. */
async function baselineOf(workspace: Workspace, version: ModelVersion, request: PromoteRequest, pointedAt: number | null): Promise<ModelVersion | null> {
  if (request.against) {
    const against = parseModelRef(request.against, 'against');
    if (against.name !== version.name) {
      throw failure('INVALID_INPUT', `${request.against} is a version of another model; ${version.name}@${version.version} can only be compared with a version of ${version.name}.`, {
        hint: `Name a version of ${version.name}, like ${version.name}@champion, or leave --against out.`,
        location: { field: 'against' },
      });
    }
    return resolveModelVersion(workspace, against);
  }
  if (pointedAt === null || pointedAt === version.version) return null;
  const numbers = await versionNumbers(workspace, version.name);
  if (!numbers.includes(pointedAt)) throw aliasPointsNowhere(version.name, request.alias, pointedAt, numbers);
  return resolveModelVersion(workspace, { name: version.name, kind: 'version', version: pointedAt });
}
