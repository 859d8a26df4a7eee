import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitCli } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { trainedWorkspace } from '../testing/trained-workspace.ts';
import { refusal } from '../testing/refusal.ts';

/** The registry is files in git that people can edit by hand: what Lathe says when they get it wrong. */
const tempDir = useTempDirs();


describe('a registry edited by hand', () => {
  it('names the file and the field that no longer fits, and store:gc stops rather than guess', { timeout: 120_000 }, async () => {
    const t = await trainedWorkspace(await tempDir(), 1);
    const { call, workspace } = t;
    const commitByHand = async (path: string, text: string) => {
      await writeFile(join(workspace, path), text);
      gitCli(workspace, 'add', path);
      gitCli(workspace, '-c', 'user.name=someone', '-c', 'user.email=someone@example.com', 'commit', '-q', '-m', `Edit ${path} by hand`);
    };
    try {
      await call('models:register', { workspace, runId: t.runIds[0]!, name: 'edited' });
      await call('models:set-alias', { workspace, ref: 'edited@1', alias: 'champion' });

      await commitByHand('models/edited/aliases.json', '{ "schemaVersion": 1, "aliases": { "champion": 0 } }\n');
      expect(await refusal(call('models:get-version', { workspace, ref: 'edited@champion' }))).toMatchObject({
        code: 'PARSE_ERROR',
        message: expect.stringContaining('models/edited/aliases.json is not a valid model aliases: aliases.champion:'),
        location: { file: 'models/edited/aliases.json', field: 'aliases.champion' },
      });
      await commitByHand('models/edited/aliases.json', '{ "schemaVersion": 1, "aliases": { "champion": 4 } }\n');
      expect(await refusal(call('models:get-version', { workspace, ref: 'edited@champion' }))).toMatchObject({
        code: 'NOT_FOUND',
        message: 'edited@champion points at version 4, and edited has no version 4 (models/edited/aliases.json).',
        hint: 'Its versions: 1. Point the alias at one on a version\'s page in Models, or with `lathe models alias edited@N champion`.',
        location: { file: 'models/edited/aliases.json', field: 'aliases.champion' },
      });
      // Promoting past an alias that points nowhere says which alias, not only which version.
      expect(await refusal(call('models:promote', { workspace, ref: 'edited@1' }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('edited@champion points at version 4') });

      const version = gitCli(workspace, 'show', 'HEAD:models/edited/versions/1.json');
      await commitByHand('models/edited/versions/2.json', version);
      expect(await refusal(call('models:get-version', { workspace, ref: 'edited@2' }))).toMatchObject({ code: 'PARSE_ERROR', message: expect.stringContaining('says it is edited@1, not edited@2') });

      await commitByHand('models/edited/versions/1.json', version.replace('"schemaVersion": 1', '"schemaVersion": 7'));
      expect(await refusal(call('models:get-version', { workspace, ref: 'edited@1' }))).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('written by a newer Lathe (model version record version 7') });
      expect(await refusal(call('store:gc', { workspace, dryRun: true }))).toMatchObject({ code: 'UNAVAILABLE' });

      // The hand-made commits are in the model's history as they are.
      const log = await call('models:log', { workspace, name: 'edited' });
      expect(log[0]).toMatchObject({ title: 'Edit models/edited/versions/1.json by hand', version: null });
      expect(log).toHaveLength(6);
    } finally {
      await t.writer.close();
      await t.core.close();
    }
  });
});
