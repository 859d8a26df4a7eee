import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registryActions } from '../../../shared/contract/registry.ts';
import { commitMessage } from '../workspace/git-repo.ts';
import { overrideReason } from './model-log.ts';
import { readRegistryCommit, registryCommitMessage, type RegistryTrailers } from './registry-commits.ts';

/** Commit messages are the registry's audit log: what is written must read back the same, whatever a person typed in them. */
const trailers: fc.Arbitrary<RegistryTrailers> = fc.record({
  model: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/),
  action: fc.constantFrom(...registryActions),
  version: fc.option(fc.integer({ min: 1, max: 999_999_999 }), { nil: undefined }),
  alias: fc.option(fc.stringMatching(/^[a-z][a-z0-9_-]{0,20}$/), { nil: undefined }),
  run: fc.option(fc.stringMatching(/^[0-9a-f]{32}$/), { nil: undefined }),
  check: fc.option(fc.constantFrom('passed' as const, 'failed' as const), { nil: undefined }),
  override: fc.boolean(),
});

// Text a person may write: several lines, some of them looking like trailers.
const personText = fc.array(fc.oneof(fc.string(), fc.constant('Lathe-Model: someone-else'), fc.constant('Lathe-Action: promote'), fc.constant(''), fc.constant('Check: forged')), { maxLength: 6 }).map((lines) => lines.join('\n'));

describe('registry commit messages', () => {
  it('read back the trailers they were written with, whatever the body says', () => {
    fc.assert(
      fc.property(fc.string(), personText, trailers, (title, body, written) => {
        const read = readRegistryCommit(commitMessage(registryCommitMessage(title.replace(/\n/g, ' ') || 'title', body, written)));
        expect(read.trailers).toEqual({ ...written, alias: written.alias, run: written.run, check: written.check });
      }),
    );
  });

  it("keep an override's reason whole, after the check's summary", () => {
    fc.assert(
      fc.property(personText.filter((reason) => reason.trim().length > 0), fc.string().map((s) => s.replace(/\n/g, ' ')), (reason, summary) => {
        const message = commitMessage(registryCommitMessage('Promote m@2 to champion', `Check: ${summary}\n\nOverride: ${reason.trim()}`, { model: 'm', action: 'promote', version: 2, override: true }));
        expect(overrideReason(readRegistryCommit(message).body)).toBe(commitMessage(reason.trim()).trim());
      }),
    );
  });

  it("read a gate run's commit (Lathe-Gates, as the gates write it) as the gates of that version, failed or not", () => {
    const failed = 'Gates fail for churn@3 against churn@2\n\nchurn@3 failed 1 of 10 checks: Worst slice.\n\nLathe-Model: churn\nLathe-Version: 3\nLathe-Gates: fail\n';
    expect(readRegistryCommit(failed).trailers).toMatchObject({ model: 'churn', action: 'gates', version: 3, check: 'failed' });
    const warned = 'Gates warn for churn@4\n\nchurn@4 passed its gates with 1 warning.\n\nLathe-Model: churn\nLathe-Version: 4\nLathe-Gates: warn\n';
    expect(readRegistryCommit(warned).trailers).toMatchObject({ model: 'churn', action: 'gates', version: 4, check: 'passed' });
  });

  it('say "no trailers" for a commit made by hand', () => {
    expect(readRegistryCommit('Fix a typo in the description\n').trailers).toBeNull();
    expect(readRegistryCommit('Lathe-Model: x\nLathe-Action: nonsense\n').trailers).toBeNull();
  });
});
