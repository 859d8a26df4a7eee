import { stat, statfs } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { failure } from '../errors.ts';

/**
 * Where a workspace may live. Kernel file systems (/proc, /sys, cgroups…) look like folders but
 * are windows into the running system: `mkdir -p` under /proc never returns, and nothing written
 * there is kept. Such places are refused before anything touches them.
 */
const KERNEL_FILE_SYSTEMS: Record<number, string> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x1cd1: 'devpts',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0x73636673: 'securityfs',
  0xcafe4a11: 'bpf',
  0x6165676c: 'pstore',
  0x62656570: 'configfs',
  0x65735543: 'fusectl',
  0x42494e4d: 'binfmt_misc',
  0x19800202: 'mqueue',
  0x6e736673: 'nsfs',
};
const KERNEL_FOLDERS = ['/proc', '/sys', '/dev'];

export async function refuseKernelFileSystem(path: string): Promise<void> {
  if (process.platform !== 'linux') return;
  const absolute = resolve(path);
  const inKernelFolder = KERNEL_FOLDERS.find((top) => absolute === top || absolute.startsWith(`${top}${sep}`));
  if (inKernelFolder && !absolute.startsWith('/dev/shm/')) throw kernelPlace(absolute, inKernelFolder);
  const existing = await nearestExisting(absolute);
  const kind = KERNEL_FILE_SYSTEMS[Number((await statfs(existing).catch(() => null))?.type ?? 0)];
  if (kind) throw kernelPlace(absolute, `${existing} (${kind})`);
}

function kernelPlace(path: string, where: string) {
  return failure('INVALID_INPUT', `${path} is inside ${where}, a window into the running system rather than a disk: a workspace cannot live there.`, {
    hint: 'Choose a folder on a disk, such as one in your home folder.',
  });
}

async function nearestExisting(path: string): Promise<string> {
  for (let dir = path; ; dir = dirname(dir)) {
    if (await stat(dir).then(() => true, () => false)) return dir;
    if (dirname(dir) === dir) return dir;
  }
}
