import type { DeploymentWithEvents } from '../../../../shared/contract/deployments.ts';

/** Each target and model deployed from this workspace, newest first, with its latest deployment. */
export function deployedPairs(history: readonly DeploymentWithEvents[]): DeploymentWithEvents[] {
  const seen = new Set<string>();
  return history.filter((one) => {
    const key = `${one.target}\n${one.model}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
