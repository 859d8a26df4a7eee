import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitCli } from '../core/testing/git-cli.ts';
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

describe('what lathe prints cannot drive the terminal', () => {
  // An erase-screen sequence, a one-byte CSI (C1) and a right-to-left override.
  const NASTY = '\x1b[2J\x9b31m\u202e';
  const ESCAPED = '\\x1b[2J\\x9b31m\\u202e';
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  async function workspaceWithNastyData() {
    const root = await tempDir();
    await lathe(root, 'init', '.');
    await writeFile(join(root, 'cells.csv'), `name,note\nplain,ok\nnasty,"${NASTY}"\n`);
    expect((await lathe(root, 'data', 'import', 'cells.csv', '-m', 'clean')).code).toBe(0);
    // A message that did not come through Lathe (Lathe refuses such text): a manifest committed
    // with git by someone else, then pulled.
    const manifestFile = join(root, 'datasets', 'cells', 'dataset.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { message: string };
    await writeFile(manifestFile, JSON.stringify({ ...manifest, message: `pulled ${NASTY}` }, null, 2));
    gitCli(root, '-c', 'user.name=Someone', '-c', 'user.email=someone@example.com', 'commit', '-qam', 'edited by hand');
    return root;
  }

  it('shows control and bidi characters of a CSV cell and a message as escapes, in human output', async () => {
    const root = await workspaceWithNastyData();
    const shown = await lathe(root, 'data', 'show', 'cells');
    expect(shown.code).toBe(0);
    expect(shown.out).not.toMatch(RAW);
    expect(shown.out).toContain(`pulled ${ESCAPED}`); // the message, in the heading
    expect(shown.out).toContain(ESCAPED); // the cell, in the first rows and the top values
    expect(shown.out.split('\n').filter((line) => line.includes(ESCAPED)).length).toBeGreaterThanOrEqual(3);

    const log = await lathe(root, 'data', 'log', 'cells');
    expect(log.out).not.toMatch(RAW);
    expect(log.out).toContain(`pulled ${ESCAPED}`);
  });

  it('writes them as \\u escapes in --json output, which still parses to the same text', async () => {
    const root = await workspaceWithNastyData();
    const shown = await lathe(root, 'data', 'show', 'cells', '--json');
    expect(shown.out).not.toMatch(RAW);
    expect(shown.out).toContain('\\u001b[2J\\u009b31m\\u202e');
    const detail = JSON.parse(shown.out) as { version: { message: string }; preview: { rows: unknown[][] } };
    expect(detail.version.message).toBe(`pulled ${NASTY}`);
    expect(detail.preview.rows).toContainEqual(['nasty', NASTY]);

    const log = await lathe(root, 'data', 'log', 'cells', '--json');
    expect(log.out).not.toMatch(RAW);
    expect((JSON.parse(log.out) as { message: string }[])[0]?.message).toBe(`pulled ${NASTY}`);
  });

  it('shows them as escapes in error messages, in both modes', async () => {
    const root = await tempDir();
    await lathe(root, 'init', '.');
    const human = await lathe(root, 'data', 'show', `bad${NASTY}name`);
    expect(human.code).toBe(2);
    expect(human.err).toContain(`bad${ESCAPED}name`);
    expect(human.err).not.toMatch(RAW);

    const json = await lathe(root, 'data', 'show', `bad${NASTY}name`, '--json');
    expect(json.code).toBe(2);
    expect(json.out).not.toMatch(RAW);
    expect((JSON.parse(json.out) as { error: { message: string } }).error.message).toContain(`bad${NASTY}name`);

    const unknown = await lathe(root, 'data', `frob${NASTY}`);
    expect(unknown).toMatchObject({ code: 2, err: expect.stringContaining(`frob${ESCAPED}`) });
    expect(unknown.err).not.toMatch(RAW);
  });
});

