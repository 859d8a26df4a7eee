import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();

describe('names that would break on another system are refused, saying why', () => {
  it.each([
    ['CON', /device names on Windows/],
    ['nul', /device names on Windows/],
    ['COM1', /device names on Windows/],
    ['aux.csv', /device names on Windows/],
    ['data.', /cannot end with "\."/],
  ])('%s', async (name, message) => {
    const root = await tempDir();
    const { call, file, workspace } = await coreOnNewWorkspace(root);
    await expect(call('datasets:import-file', { workspace, path: await file('a.csv', 'x\n1\n'), name })).rejects.toMatchObject({
      error: { code: 'INVALID_INPUT', issues: [{ path: 'name', message: expect.stringMatching(message) }] },
    });
  });

  it('refuses a second dataset whose name differs from the first only in case', async () => {
    const root = await tempDir();
    const { call, file, workspace } = await coreOnNewWorkspace(root);
    await call('datasets:import-file', { workspace, path: await file('a.csv', 'x\n1\n'), name: 'Penguins' });
    await expect(call('datasets:import-file', { workspace, path: await file('b.csv', 'x\n2\n'), name: 'penguins' })).rejects.toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringContaining('"Penguins" already exists'), hint: expect.stringContaining('Import into "Penguins"') },
    });
    expect((await call('datasets:list', { workspace })).map((d) => d.name)).toEqual(['Penguins']);
    // The same name in the same case is a new version, as always.
    expect((await call('datasets:import-file', { workspace, path: await file('c.csv', 'x\n3\n'), name: 'Penguins' })).version.version).toBe(2);
  });
});

describe('text that reaches a commit', () => {
  it('refuses NUL and escape characters in a message or an uploaded file name, and commits nothing', async () => {
    const root = await tempDir();
    const { call, file, workspace } = await coreOnNewWorkspace(root);
    await expect(call('datasets:import-file', { workspace, path: await file('a.csv', 'x\n1\n'), name: 'a', message: 'fine\u0000hidden' })).rejects.toMatchObject({
      error: { code: 'INVALID_INPUT', issues: [{ path: 'message', message: expect.stringContaining('U+0000 at character 5') }] },
    });
    const upload = (fileName: string) =>
      call('datasets:import-upload', { workspace, fileName, name: 'up' }, { upload: { chunks: (async function* () { yield new TextEncoder().encode('x\n1\n'); })(), declaredBytes: 4, maxBytes: 100 } });
    // The HTTP door validates the upload's fields with the contract before reading the body:
    const { parseInput } = await import('../dispatch.ts');
    expect(() => parseInput('datasets:import-upload', { workspace, fileName: 'evil\u0000.csv', name: 'up' })).toThrow(/U\+0000/);
    expect(() => parseInput('datasets:import-upload', { workspace, fileName: '\u001b[2Jx.csv', name: 'up' })).toThrow(/U\+001B/);
    await expect(upload('fine.csv')).resolves.toMatchObject({ status: 'created' });
    expect(gitCli(workspace, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
    gitFsck(workspace);
  });

  it('makes only commits that git fsck --strict accepts, whatever text a front door sends', { timeout: 120_000 }, async () => {
    const root = await tempDir();
    const { call, file, workspace } = await coreOnNewWorkspace(root);
    const path = await file('data.csv', 'x\n1\n');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }), async (message, name) => {
        n += 1;
        await call('datasets:import-file', { workspace, path: await file(`f${n}.csv`, `x\n${n}\n`), name: `d${n % 3}`, message }).catch((error: { error?: { code: string } }) => {
          // Refused input is fine; anything else (INTERNAL above all) is not.
          expect(error.error?.code).toBe('INVALID_INPUT');
        });
        await call('datasets:import-file', { workspace, path, name, message: 'by name' }).catch((error: { error?: { code: string } }) => {
          expect(['INVALID_INPUT', 'CONFLICT']).toContain(error.error?.code);
        });
      }),
      { numRuns: 40 },
    );
    gitFsck(workspace);
    expect(gitCli(workspace, 'log', '--format=%B').includes('\u0000')).toBe(false);
    await expect(call('datasets:list', { workspace })).resolves.toBeTruthy();
  });
});
