import type { TargetHealth } from '../../../../shared/contract/deployments.ts';
import './state-chip.css';

type Standing = { readonly status: 'ok' | 'warn' | 'fail' | 'unknown'; readonly words: string };

/** A target in a word: reachable and ready, reachable but not right, or unreachable. */
export function targetStanding(health: TargetHealth | null): Standing {
  if (health === null) return { status: 'unknown', words: 'Not checked' };
  if (!health.reachable) return { status: 'fail', words: 'Unreachable' };
  if (health.authorized === false) return { status: 'fail', words: 'Token refused' };
  if (health.ready === false) return { status: 'warn', words: 'Not ready' };
  return { status: 'ok', words: 'Reachable' };
}

export function TargetHealthChip({ health }: { health: TargetHealth | null }) {
  const standing = targetStanding(health);
  return (
    <span className="state-chip" data-status={standing.status} title={health?.problem ?? undefined}>
      <span className="state-chip__dot" aria-hidden="true" />
      {standing.words}
    </span>
  );
}
