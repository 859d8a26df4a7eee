import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import { failure } from '../errors.ts';
import type { ImportSource } from './import-dataset.ts';

/**
 * A file on this machine that the user chose (CLI argument, file dialog, drop). The path is
 * still checked: it must be absolute and name a regular file — not a folder, a device or a pipe
 * that could hang the import or read something the user never meant.
 */
export async function fileImportSource(path: string): Promise<ImportSource> {
  if (!isAbsolute(path)) throw failure('INVALID_INPUT', `The file path must be absolute; got "${path}".`);
  if (path.includes('\0')) throw failure('INVALID_INPUT', 'The file path contains a NUL character.');
  let info;
  try {
    info = await stat(path);
  } catch {
    throw failure('NOT_FOUND', `There is no file at ${path}.`, { location: { file: path } });
  }
  if (info.isDirectory()) {
    throw failure('INVALID_INPUT', `${path} is a folder; import one file at a time.`, { location: { file: path } });
  }
  if (!info.isFile()) {
    throw failure('INVALID_INPUT', `${path} is not a regular file (it is a device, pipe or socket).`, { location: { file: path } });
  }
  return {
    chunks: createReadStream(path, { highWaterMark: 1 << 20 }),
    fileName: basename(path),
    totalBytes: info.size,
  };
}
