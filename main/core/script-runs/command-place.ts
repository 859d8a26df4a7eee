import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { failure } from '../errors.ts';

/**
 * Where a script runs and what program it is, both settled before any run is recorded: a folder
 * outside the workspace, or a program that is not there, is an error that leaves nothing behind
 * (no run, no process).
 */

/** The working folder: the workspace, or a folder inside it (relative to it, or absolute). */
export async function scriptFolder(workspace: string, cwd: string | undefined): Promise<string> {
  const root = await realpath(workspace);
  if (cwd === undefined || cwd === '' || cwd === '.') return root;
  const wanted = resolve(root, cwd);
  let real: string;
  try {
    real = await realpath(wanted);
  } catch {
    throw failure('NOT_FOUND', `The folder ${JSON.stringify(cwd)} does not exist in the workspace ${root}.`, {
      hint: 'Give a folder inside the workspace (relative to it), or leave it out to run in the workspace itself.',
      location: { field: 'cwd' },
    });
  }
  const inside = relative(root, real);
  if (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw failure('INVALID_INPUT', `The folder ${JSON.stringify(cwd)} is outside the workspace ${root}; a script runs in the workspace or a folder inside it.`, {
      hint: 'Move the script into the workspace, or open the workspace that holds it.',
      location: { field: 'cwd' },
    });
  }
  if (!(await stat(real)).isDirectory()) {
    throw failure('INVALID_INPUT', `${JSON.stringify(cwd)} is a file, not a folder; a script runs in a folder.`, { location: { field: 'cwd' } });
  }
  return real;
}

/**
 * The program's file, as the system would find it: a word with a "/" is a path from the
 * working folder; a bare name is looked up on PATH. Not found, or not executable, is NOT_FOUND
 * naming what was searched.
 */
export async function findProgram(word: string, cwd: string, path: string | undefined): Promise<string> {
  if (word.includes('/') || (sep === '\\' && word.includes('\\'))) {
    const file = resolve(cwd, word);
    if (await isExecutableFile(file)) return file;
    throw failure('NOT_FOUND', `There is no program ${JSON.stringify(word)} (looked for ${file}, from ${cwd}); nothing was run and no run was recorded.`, {
      hint: (await exists(file)) ? `It exists but is not executable: chmod +x it, or run it through its interpreter (python3 ${word}).` : 'Check the path: it is taken from the folder the script runs in.',
      location: { field: 'command' },
    });
  }
  const folders = (path ?? '').split(delimiter).filter((folder) => folder.length > 0);
  for (const folder of folders) {
    const file = join(folder, word);
    if (await isExecutableFile(file)) return file;
  }
  throw failure('NOT_FOUND', `The program ${JSON.stringify(word)} was not found on PATH; nothing was run and no run was recorded.`, {
    hint: `Check its spelling, install it, or give its path (./${word}, /usr/bin/${word}). ${folders.length === 0 ? 'PATH is empty.' : `PATH has ${folders.length} ${folders.length === 1 ? 'folder' : 'folders'}, starting ${folders.slice(0, 4).join(delimiter)}.`}`,
    location: { field: 'command' },
  });
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** The command as one line a person reads (and could paste into a POSIX shell). */
export function commandLine(words: readonly string[]): string {
  return words.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`)).join(' ');
}

/**
 * A run name from the command: the script's file name (`python train.py` → train.py,
 * `python -m pkg.train` → pkg.train), else the program's (`python -c '…'` → python).
 */
export function runNameOf(words: readonly string[]): string {
  const script = words.slice(1).find((word) => !word.startsWith('-') && /^[\w@%+=:,./-]+$/.test(word) && /[./]/.test(word));
  const base = (script ?? words[0]!).split(/[\\/]/).filter(Boolean).at(-1) ?? 'script';
  // eslint-disable-next-line no-control-regex -- a run name is one line of plain text
  return base.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').slice(0, 200) || 'script';
}
