import { execFileSync, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { commands, runCli } from './cli-app.ts';
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

const CSV = 'city,temp\nOslo,3.5\nLima,19\n';

describe('lathe CLI', () => {
  it('runs the whole loop: init, import, log, show, list — for people and for scripts', async () => {
    const root = await tempDir();
    expect(await lathe(root, 'init', 'ws')).toMatchObject({ code: 0, out: expect.stringContaining('is ready at') });
    await writeFile(join(root, 'Weather Data.csv'), CSV);

    const imported = await lathe(root, 'data', 'import', 'Weather Data.csv', '--workspace', 'ws', '--message', 'first', '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({ status: 'created', version: { name: 'weather-data', version: 1, rows: 2, columns: 2 } });

    const again = await lathe(join(root, 'ws'), 'data', 'import', '../Weather Data.csv', '-n', 'weather-data');
    expect(again).toMatchObject({ code: 0, out: expect.stringContaining('No changes') });

    const log = await lathe(join(root, 'ws'), 'data', 'log', 'weather-data', '--json');
    expect(JSON.parse(log.out)).toHaveLength(1);
    expect((await lathe(join(root, 'ws'), 'data', 'log', 'weather-data')).out).toMatch(/version\s+date\s+message/);

    const shown = await lathe(root, 'data', 'show', 'weather-data@1', '-w', 'ws', '--json');
    expect(JSON.parse(shown.out)).toMatchObject({ version: { version: 1 }, preview: { columns: ['city', 'temp'] } });
    const human = await lathe(root, 'data', 'show', 'weather-data', '-w', 'ws');
    expect(human.out).toContain('weather-data@1');
    expect(human.out).toContain('Oslo');

    expect(JSON.parse((await lathe(root, 'data', 'list', '-w', 'ws', '--json')).out)).toHaveLength(1);
  });

  it('exits 1 with the file and line when the data is malformed, and prints JSON errors with --json', async () => {
    const root = await tempDir();
    await lathe(root, 'init', '.');
    await writeFile(join(root, 'bad.csv'), 'a,b\n1,2\n3,4,5\n');
    const human = await lathe(root, 'data', 'import', 'bad.csv');
    expect(human.code).toBe(1);
    expect(human.err).toMatch(/^lathe: .*bad\.csv:3/m);
    const json = await lathe(root, 'data', 'import', 'bad.csv', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ error: { code: 'PARSE_ERROR', location: { file: 'bad.csv', line: 3 } } });
  });

  it('exits 2 for a wrong command line, naming what is wrong', async () => {
    const root = await tempDir();
    expect(await lathe(root, 'data', 'frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('Unknown command') });
    expect(await lathe(root, 'data', 'import', 'x.csv', '--colour')).toMatchObject({ code: 2, err: expect.stringContaining("'--colour'") });
    expect(await lathe(root, 'data', 'show', 'p@zero', '-w', root)).toMatchObject({ code: 2, err: expect.stringContaining('whole number') });
    expect(await lathe(root, 'data', 'import')).toMatchObject({ code: 2, err: expect.stringContaining('Name the file') });
  });

  it('says so when run outside a workspace', async () => {
    const root = await tempDir();
    expect(await lathe(root, 'data', 'list')).toMatchObject({ code: 1, err: expect.stringContaining('not inside a Lathe workspace') });
  });

  it('has --help for every command', async () => {
    const root = await tempDir();
    for (const command of commands) {
      const help = await lathe(root, ...command.path, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toContain(`Usage: ${command.usage}`);
      expect(help.out).toContain('--json');
    }
    expect((await lathe(root, '--help')).out).toContain('lathe data import FILE');
  });

  it('runs as a real command on Node 24', () => {
    const out = execFileSync(process.execPath, ['main/cli/lathe.ts', '--version'], { encoding: 'utf8' });
    expect(out.trim()).toMatch(/^lathe \d+\.\d+\.\d+$/);
  });

  it('starts without loading the core, the server or zod for --help; loads the core when a command calls it', async () => {
    // A module hook in the child records every module it loads.
    const recorder = [
      "import { registerHooks } from 'node:module';",
      'const loaded = [];',
      'registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });',
      "process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(loaded) + '\\n'));",
    ].join('\n');
    const loadedBy = (...argv: string[]) => {
      const child = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(recorder)}`, 'main/cli/lathe.ts', ...argv], { encoding: 'utf8' });
      const line = child.stderr.split('\n').find((text) => text.startsWith('LOADED '));
      return { code: child.status, out: child.stdout, loaded: JSON.parse(line?.slice('LOADED '.length) ?? '[]') as string[] };
    };
    const heavy = /node_modules\/(zod|isomorphic-git|ws)\/|main\/core\/lathe-core\.ts$|main\/server\//;

    const help = loadedBy('--help');
    expect(help).toMatchObject({ code: 0, out: expect.stringContaining('lathe data import FILE') });
    expect(help.loaded.some((url) => url.endsWith('main/cli/cli-app.ts'))).toBe(true);
    expect(help.loaded.filter((url) => heavy.test(url))).toEqual([]);
    expect(loadedBy('data', 'import', '--help').loaded.filter((url) => heavy.test(url))).toEqual([]);

    const init = loadedBy('init', join(await tempDir(), 'ws'));
    expect(init.code).toBe(0);
    expect(init.loaded.some((url) => url.endsWith('main/core/lathe-core.ts'))).toBe(true);
    expect(init.loaded.some((url) => url.includes('node_modules/isomorphic-git/'))).toBe(true);
    expect(init.loaded.some((url) => url.includes('main/server/'))).toBe(false);
  });
});
