import type { GitRepo } from './git-repo.ts';

/** Every commit reachable from a tip (see GitRepo.tips): what a person can still check out. */
export async function reachableCommits(repo: GitRepo): Promise<string[]> {
  const seen = new Set<string>();
  const queue = await repo.tips();
  while (queue.length > 0) {
    const oid = queue.pop()!;
    if (seen.has(oid)) continue;
    seen.add(oid);
    // A shallow clone ends in commits whose parents are not here: the walk stops there.
    for (const parent of await repo.parents(oid).catch(() => [] as string[])) if (!seen.has(parent)) queue.push(parent);
  }
  return [...seen];
}
