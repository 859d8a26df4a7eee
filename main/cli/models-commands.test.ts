import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainedWorkspace } from '../core/testing/trained-workspace.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { runCli } from './cli-app.ts';
import { latheFiles } from './lathe-files.ts';

const tempDir = useTempDirs();
const files = latheFiles(new URL('./lathe.ts', import.meta.url));

async function lathe(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = join(cwd, '.state');
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lathe models', () => {
  it('registers runs, lists, shows, aliases, promotes, edits, writes the card and shows the history', { timeout: 120_000 }, async () => {
    const root = await tempDir();
    const t = await trainedWorkspace(root, 2);
    try {
      const [first, second] = t.runIds as [string, string];
      const registered = await lathe(root, 'models', 'register', first.slice(0, 12), '--name', 'species', '--description', 'Penguin species', '-w', 'ws');
      expect(registered).toMatchObject({ code: 0, out: expect.stringContaining('Registered species@1 from run penguins-1.') });
      const json = JSON.parse((await lathe(root, 'models', 'register', second, '--name', 'species', '-w', 'ws', '--json')).out);
      expect(json).toMatchObject({ name: 'species', version: 2, lineage: { run: { id: second } } });

      expect((await lathe(root, 'models', 'list', '-w', 'ws')).out).toMatch(/species\s+2\s+@2 accuracy/);
      const shown = await lathe(root, 'models', 'show', 'species', '-w', 'ws');
      expect(shown.out).toContain('species  2 versions');
      expect(shown.out).toMatch(/\n\s*2\s+·\s+penguins-2/);

      expect((await lathe(root, 'models', 'alias', 'species@1', 'champion', '-w', 'ws')).out).toBe('species@champion now points at version 1.');
      const version = await lathe(root, 'models', 'show', 'species@champion', '-w', 'ws');
      expect(version.out).toContain('species@1  (champion)');
      expect(version.out).toContain('data: penguins@1 (sha256:');
      expect(version.out).toMatch(/model\/weights\.bin\s+\d+\s+sha256:/);

      // Whatever the check says of a 3-epoch model, a written reason moves the alias; the output says which it was.
      const promoted = await lathe(root, 'models', 'promote', 'species@2', '--override-reason', 'Testing the CLI', '-w', 'ws');
      expect(promoted).toMatchObject({ code: 0, out: expect.stringMatching(/^species@champion now points at version 2 \(was 1\)\.\n(Check passed|The check failed and was overridden): /) });
      expect((await lathe(root, 'models', 'edit', 'species@champion', '--intended-use', 'Teaching ecology', '-w', 'ws')).out).toBe('Edited species@2.');

      const cardPath = join(root, 'card.md');
      expect((await lathe(root, 'models', 'card', 'species@2', '--out', 'card.md', '-w', 'ws')).code).toBe(0);
      const card = await readFile(cardPath, 'utf8');
      expect(card).toContain('# Model card: species@2');
      expect(card).toContain('## Intended use\n\nTeaching ecology');
      expect(card).toMatch(/\| Adelie \| [0-9.]+ \|/);

      expect((await lathe(root, 'models', 'card', 'species@2', '--out', 'missing/card.md', '-w', 'ws')).err).toContain(`There is no folder ${join(root, 'missing')} to write the card into.`);

      const log = await lathe(root, 'models', 'log', 'species', '-w', 'ws');
      expect(log.out.split('\n').slice(2).map((line) => line.split(/\s{2,}/)[2])).toEqual(['edit-version', 'promote', 'set-alias', 'register', 'register']);
      expect(JSON.parse((await lathe(root, 'models', 'alias', 'species', 'champion', '--remove', '-w', 'ws', '--json')).out)).toMatchObject({ alias: 'champion', version: null, previous: 2 });
    } finally {
      await t.writer.close();
      await t.core.close();
    }
  });

  it('says what is wrong: bad references exit 2, refusals exit 1 with the reason', { timeout: 120_000 }, async () => {
    const root = await tempDir();
    const t = await trainedWorkspace(root, 1);
    try {
      const failed = t.tracking.createRun({ name: 'broken' });
      t.tracking.setStatus(failed.id, 'FAILED');
      const refused = await lathe(root, 'models', 'register', failed.id, '--name', 'species', '-w', 'ws');
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('FAILED, so its model is not one to ship');
      expect((await lathe(root, 'models', 'register', t.runIds[0]!, '-w', 'ws')).code).toBe(2);
      expect((await lathe(root, 'models', 'show', 'nobody', '-w', 'ws')).err).toContain('no registered model named "nobody"');
      await lathe(root, 'models', 'register', t.runIds[0]!, '--name', 'species', '-w', 'ws');
      const badAlias = await lathe(root, 'models', 'alias', 'species@1', 'Champion', '-w', 'ws');
      expect(badAlias.code).toBe(2);
      expect(badAlias.err).toContain('lowercase');
      expect((await lathe(root, 'models', 'promote', 'species@3', '-w', 'ws')).err).toContain('species has no version 3.');
      expect((await lathe(root, 'models', 'promote', 'species@1', '--override-reason', '', '-w', 'ws')).code).toBe(2);
    } finally {
      await t.writer.close();
      await t.core.close();
    }
  });
});
