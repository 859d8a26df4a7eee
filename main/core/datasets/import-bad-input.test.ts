import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

/** Every bad file the issue names, imported through the contract as a front door would. */
const badFiles: { why: string; file: string; content: Buffer; code: string; message: RegExp; line?: number }[] = [
  { why: 'empty file', file: 'empty.csv', content: bytes(''), code: 'PARSE_ERROR', message: /empty/i },
  { why: 'header only', file: 'header.csv', content: bytes('a,b\n'), code: 'PARSE_ERROR', message: /no (data )?rows/i },
  { why: 'ragged row', file: 'ragged.csv', content: bytes('a,b\n1,2\n3\n'), code: 'PARSE_ERROR', message: /1 field.*header has 2/i, line: 3 },
  { why: 'unterminated quote', file: 'quote.csv', content: bytes('a,b\n1,"never closed\n2,3\n'), code: 'PARSE_ERROR', message: /quote/i, line: 2 },
  { why: 'invalid UTF-8', file: 'latin1.csv', content: bytes('name\nJos', [0xe9], '\n'), code: 'ENCODING_ERROR', message: /UTF-8/, line: 2 },
  { why: 'a NUL byte', file: 'nul.csv', content: bytes('a,b\n1,', [0], '\n'), code: 'ENCODING_ERROR', message: /binary|NUL/i, line: 2 },
  { why: 'a binary file', file: 'image.csv', content: bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), code: 'ENCODING_ERROR', message: /binary|NUL|UTF-8/i },
  { why: 'wrong extension', file: 'sheet.xlsx', content: bytes('a,b\n1,2\n'), code: 'UNSUPPORTED_FORMAT', message: /\.xlsx/ },
  { why: 'duplicate column names', file: 'dup.csv', content: bytes('id,name,id\n1,a,2\n'), code: 'PARSE_ERROR', message: /"id"/, line: 1 },
  { why: 'an empty column name', file: 'noname.csv', content: bytes('id,,x\n1,2,3\n'), code: 'PARSE_ERROR', message: /no name/i, line: 1 },
  { why: 'JSON that is not an array of objects', file: 'obj.json', content: bytes('{"a": 1}'), code: 'PARSE_ERROR', message: /array/i, line: 1 },
  { why: 'a JSON Lines line that is not an object', file: 'lines.jsonl', content: bytes('{"a":1}\n[1,2]\n'), code: 'PARSE_ERROR', message: /object/i, line: 2 },
];

describe('a bad file is refused, saying what and where, and nothing is kept', () => {
  it.each(badFiles)('$why', async ({ file, content, code, message, line }) => {
    const root = await tempDir();
    const { call, file: write, workspace } = await coreOnNewWorkspace(root);
    const path = await write(file, content);
    const attempt = call('datasets:import-file', { workspace, path, name: 'data' });
    await expect(attempt).rejects.toMatchObject({ error: { code, message: expect.stringMatching(message), location: { file } } });
    if (line !== undefined) await expect(attempt).rejects.toMatchObject({ error: { location: { line } } });
    expect(await call('datasets:list', { workspace })).toEqual([]);
    expect(gitCli(workspace, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(await readdir(join(workspace, '.lathe/tmp')).catch(() => [])).toEqual([]);
    expect(await readdir(join(workspace, '.lathe/objects')).catch(() => [])).toEqual([]);
    gitFsck(workspace);
  });

  it('imports a 10 MB field (the limit is 64 MiB: see the scanner tests for one over it) and cuts it short in the preview', async () => {
    const root = await tempDir();
    const { call, file: write, workspace } = await coreOnNewWorkspace(root);
    const big = 'x'.repeat(10 * 1024 * 1024);
    const ok = await call('datasets:import-file', { workspace, path: await write('big.csv', `id,blob\n1,${big}\n2,small\n`), name: 'big' });
    expect(ok.version.rows).toBe(2);
    const shown = await call('datasets:show', { workspace, name: 'big' });
    expect(shown.preview.truncatedCells).toBe(true);
    expect(String(shown.preview.rows[0]![1]).length).toBeLessThanOrEqual(1001);
  });

  it('accepts what only looks odd: a BOM, CRLF line ends and quoted fields holding newlines', async () => {
    const root = await tempDir();
    const { call, file: write, workspace } = await coreOnNewWorkspace(root);
    const text = '\ufeffid,note\r\n1,"two\r\nlines"\r\n2,"say ""hi"""\r\n';
    const outcome = await call('datasets:import-file', { workspace, path: await write('odd.csv', text), name: 'odd' });
    expect(outcome.version).toMatchObject({ rows: 2, columns: 2 });
    const shown = await call('datasets:show', { workspace, name: 'odd' });
    expect(shown.preview.columns).toEqual(['id', 'note']);
    expect(shown.preview.rows).toEqual([['1', 'two\r\nlines'], ['2', 'say "hi"']]);
  });
});
