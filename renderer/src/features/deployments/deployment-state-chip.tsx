import './state-chip.css';
import type { DeploymentState } from '../../../../shared/contract/deployments.ts';

const words: Record<DeploymentState, { text: string; status: 'ok' | 'warn' | 'fail' | 'live' }> = {
  deploying: { text: 'Deploying', status: 'live' },
  'rolling-out': { text: 'Rolling out', status: 'live' },
  succeeded: { text: 'Succeeded', status: 'ok' },
  'rolled-back': { text: 'Rolled back', status: 'warn' },
  failed: { text: 'Failed', status: 'fail' },
};

export function DeploymentStateChip({ state }: { state: DeploymentState }) {
  const { text, status } = words[state];
  return (
    <span className="state-chip" data-status={status}>
      <span className="state-chip__dot" aria-hidden="true" />
      {text}
    </span>
  );
}

export const strategyWords = { replace: 'Replace', canary: 'Canary', ab: 'A/B test', shadow: 'Shadow' } as const;
