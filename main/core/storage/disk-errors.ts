import type { LatheError } from '../../../shared/contract/result.ts';

/**
 * What the operating system says when a disk refuses a read or a write, in words a person can
 * act on. These are not bugs in Lathe: they become DISK_ERROR (or NOT_FOUND for a path that has
 * gone) with the file involved, never INTERNAL.
 */
const DISK_PROBLEMS: Record<string, { what: string; hint: string }> = {
  ENOSPC: { what: 'the disk is full', hint: 'Free some space on that disk, then try again.' },
  EDQUOT: { what: 'your disk quota is used up', hint: 'Free some of your space on that disk (or ask for a larger quota), then try again.' },
  EROFS: { what: 'the file system is read-only', hint: 'Open the workspace from a writable disk, or remount this one read-write.' },
  EIO: { what: 'the disk reported an input/output error', hint: 'The disk or its connection may be failing: check it, and copy the workspace somewhere safe.' },
  ENOTDIR: { what: 'a part of the path is a file, not a folder', hint: 'Something replaced a folder of the workspace with a file; move that file away.' },
  EISDIR: { what: 'a folder is where a file should be', hint: 'Something replaced a file of the workspace with a folder; move that folder away.' },
  EACCES: { what: 'permission was denied', hint: 'Check the owner and permissions of the workspace folder.' },
  EPERM: { what: 'the operation is not permitted', hint: 'Check the owner and permissions of the workspace folder, and that no other program holds the file.' },
  EMFILE: { what: 'too many files are open', hint: 'Close other programs or raise the open-file limit (ulimit -n), then try again.' },
  ENFILE: { what: 'the system has too many files open', hint: 'Close other programs, then try again.' },
  EFBIG: { what: 'the file is larger than this file system allows', hint: 'Use a disk whose file system allows larger files.' },
  ENAMETOOLONG: { what: 'a path is too long for this file system', hint: 'Move the workspace to a folder with a shorter path.' },
  ELOOP: { what: 'a path loops through symbolic links', hint: 'Fix the symbolic links in the workspace path.' },
  EBUSY: { what: 'the file is busy (held by another program)', hint: 'Close the program holding it, then try again.' },
  ESTALE: { what: 'a network file handle went stale', hint: 'Reconnect the network drive, then try again.' },
};

export interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

export function isSystemError(thrown: unknown): thrown is SystemError {
  const code = (thrown as { code?: unknown } | null)?.code;
  return thrown instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/** The error for a failed file operation, or null when it is not one this module knows. */
export function diskError(error: SystemError): LatheError | null {
  const where = error.path ? `${error.syscall ?? 'accessing'} ${error.path}` : '';
  const location = error.path ? { location: { file: error.path } } : {};
  if (error.code === 'ENOENT') {
    return {
      code: 'NOT_FOUND',
      message: `A file or folder Lathe needed is not there${where ? ` (${where})` : ''}: it was deleted or moved while Lathe was using it.`,
      hint: 'If the workspace folder was moved or deleted, open it again from where it is now.',
      ...location,
    };
  }
  const problem = DISK_PROBLEMS[error.code];
  if (!problem) return null;
  return { code: 'DISK_ERROR', message: `${capitalized(problem.what)} (${error.code}${where ? `, ${where}` : ''}).`, hint: problem.hint, ...location };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
