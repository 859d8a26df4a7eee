import { execFileSync } from 'node:child_process';

/** Real git, to check that what isomorphic-git wrote is a healthy repository. */
export function gitCli(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function gitFsck(dir: string): string {
  return gitCli(dir, 'fsck', '--full', '--strict', '--no-dangling');
}
