import type { Decision } from '../../../../shared/contract/agent-admin.ts';
import type { DeploymentEvent } from '../../../../shared/contract/deployments.ts';

/** Decisions come seconds apart: the time to the second. */
const clock = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
};

/**
 * Why the rollout is where it is: the agent's decisions as its controller logged them (each
 * analysis, step, promotion or rollback with its reason; none for a replace), and the events this
 * workspace recorded.
 */
export function DecisionLog({ decisions, events }: { decisions: readonly Decision[] | null; events: readonly DeploymentEvent[] }) {
  return (
    <div className="decision-log">
      {decisions === null ? null : (
        <section aria-labelledby="decisions-title">
          <h2 id="decisions-title" className="deploy-section__title">
            The agent’s decisions
          </h2>
          {decisions.length === 0 ? (
            <p className="faint">None yet.</p>
          ) : (
            <ol className="decision-log__list" aria-label="Decisions">
              {[...decisions].reverse().map((decision, index) => (
                <li key={`${decision.at}-${index}`} className="decision-log__item" data-kind={decision.action}>
                  <time className="decision-log__time num" dateTime={decision.at} title={decision.at}>
                    {clock(decision.at)}
                  </time>
                  <span>{decision.reason}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
      <section aria-labelledby="events-title">
        <h2 id="events-title" className="deploy-section__title">
          Recorded events
        </h2>
        <ol className="decision-log__list" aria-label="Events">
          {[...events].reverse().map((event, index) => (
            <li key={`${event.at}-${index}`} className="decision-log__item" data-kind={event.kind}>
              <time className="decision-log__time num" dateTime={event.at} title={event.at}>
                {clock(event.at)}
              </time>
              <span>{event.message}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
