import { useEffect, useState } from 'react';
import type { LatheError } from '../../../../shared/contract/result.ts';
import type { ApprovableStep, RetrainRun, TimelineEntry } from '../../../../shared/contract/retraining.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { InlineCodeText } from '../../components/inline-code-text.tsx';
import { useServices } from '../../app/services-context.tsx';
import { formatDateTime, formatRelativeTime } from '../../lib/format.ts';
import { useAnswer } from '../models/use-answer.ts';
import { useWorkspacePath } from '../deployments/use-deploy.ts';
import { useRetrainCommands } from './retrain-commands.ts';
import { entryLink, kindWords, policyLines, timelineGroups, waitingStep } from './retrain-words.ts';

/** Ask again when main says a retrain of this model moved on, waits, or an alert was raised. */
function useRetrainChanged(model: string, onChange: () => void): void {
  const { api } = useServices();
  const workspace = useWorkspacePath();
  useEffect(() => {
    const offs = [
      api.on('retrain:changed', (changed) => (changed.workspace === workspace && changed.model === model ? onChange() : undefined)),
      api.on('retrain:needs-approval', (asked) => (asked.workspace === workspace && asked.model === model ? onChange() : undefined)),
      api.on('alerts:raised', (raised) => (raised.workspace === workspace ? onChange() : undefined)),
      api.on('deployments:changed', (changed) => (changed.workspace === workspace ? onChange() : undefined)),
    ];
    return () => offs.forEach((off) => off());
  }, [api, workspace, model, onChange]);
}

/**
 * Retraining of the deployment's model: its policy in a few lines, a one-click Approve / Reject
 * on a run waiting for a person, and its timeline — alert → run → gates → version → rollout →
 * outcome — each entry linking where it can.
 */
export function RetrainingPanel({ model }: { model: string }) {
  const commands = useRetrainCommands();
  const workspace = useWorkspacePath();
  const key = workspace && `${workspace}\n${model}`;
  const policy = useAnswer(key, () => commands.policy(model));
  const timeline = useAnswer(key, () => commands.timeline(model));
  const runs = useAnswer(key, () => commands.runs(model));
  const reloadAll = policy.reload;
  const reloadTimeline = timeline.reload;
  const reloadRuns = runs.reload;
  useRetrainChanged(model, () => {
    reloadAll();
    reloadTimeline();
    reloadRuns();
  });
  const waiting = runs.loaded.state === 'ready' ? runs.loaded.value.filter((run) => waitingStep(run) !== null) : [];

  return (
    <section className="monitor-section retraining" aria-label="Retraining">
      <h3 className="monitor-section__title">
        Retraining <span className="mono faint">{model}</span>
      </h3>
      {policy.loaded.state === 'failed' ? <ErrorBanner error={policy.loaded.error} title={`Could not read the retraining policy of ${model}`} /> : null}
      {policy.loaded.state === 'ready' ? (
        <ul className="retraining__policy" aria-label="Policy">
          {policyLines(policy.loaded.value).map((line) => (
            <li key={line}>
              <InlineCodeText text={line} />
            </li>
          ))}
        </ul>
      ) : null}
      {waiting.map((run) => (
        <WaitingRun key={run.id} run={run} onDone={() => (reloadRuns(), reloadTimeline())} />
      ))}
      {timeline.loaded.state === 'failed' ? <ErrorBanner error={timeline.loaded.error} title={`Could not read the timeline of ${model}`} /> : null}
      {timeline.loaded.state === 'ready' ? <Timeline model={model} entries={timeline.loaded.value.entries} /> : null}
    </section>
  );
}

function WaitingRun({ run, onDone }: { run: RetrainRun; onDone: () => void }) {
  const commands = useRetrainCommands();
  const step = waitingStep(run)!;
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LatheError | null>(null);
  const act = async (ask: () => ReturnType<typeof commands.approve>) => {
    setBusy(true);
    const result = await ask();
    setBusy(false);
    if (!result.ok) setError(result.error);
    else onDone();
  };
  const stepName = step.name as ApprovableStep;
  return (
    <div className="retraining__waiting" role="group" aria-label={`Run ${run.id} waits for approval`}>
      <p>
        <strong>Waiting for you:</strong> the {step.name} step of retrain run <span className="mono">{run.id}</span>
        {step.message && !/^waiting for approval\.?$/i.test(step.message) ? ` — ${step.message}` : ''} <span className="faint">(started by {run.trigger.kind}: {run.trigger.detail})</span>
      </p>
      {rejecting ? (
        <form
          className="retraining__reject"
          onSubmit={(event) => {
            event.preventDefault();
            void act(() => commands.reject(run.id, stepName, reason));
          }}
        >
          <input className="input" aria-label="Why reject it?" placeholder="Why reject it?" value={reason} autoFocus onChange={(event) => setReason(event.target.value)} />
          <button type="submit" className="button button--small" disabled={busy || reason.trim() === ''}>
            Reject {step.name}
          </button>
          <button type="button" className="button button--small button--ghost" onClick={() => setRejecting(false)}>
            Back
          </button>
        </form>
      ) : (
        <div className="retraining__buttons">
          <button type="button" className="button button--primary button--small" disabled={busy} onClick={() => void act(() => commands.approve(run.id, stepName))}>
            Approve {step.name}
          </button>
          <button type="button" className="button button--small" disabled={busy} onClick={() => setRejecting(true)}>
            Reject…
          </button>
        </div>
      )}
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
    </div>
  );
}

const GROUPS_SHOWN = 30;

function Timeline({ model, entries }: { model: string; entries: readonly TimelineEntry[] }) {
  if (entries.length === 0) return <p className="faint">Nothing on the timeline yet: no alert, trigger or retrain run for {model}.</p>;
  const groups = timelineGroups(entries);
  const shown = groups.slice(Math.max(0, groups.length - GROUPS_SHOWN));
  return (
    <div className="timeline">
      {groups.length > shown.length ? <p className="faint">{groups.length - shown.length} earlier entries not shown.</p> : null}
      <ol className="timeline__groups" aria-label="Timeline">
        {shown.map((group) => (
          <li key={group.key} className={group.runId ? 'timeline__group timeline__group--run' : 'timeline__group'}>
            {group.runId ? <p className="timeline__run mono faint">{group.runId}</p> : null}
            <ol className="timeline__entries">
              {group.entries.map((entry, index) => {
                const link = entryLink(entry.links, model);
                return (
                  <li key={index} className={`timeline__entry timeline__entry--${entry.kind}`}>
                    <span className="timeline__kind">{kindWords(entry.kind)}</span>
                    <span className="timeline__message">
                      <InlineCodeText text={entry.message} />
                    </span>
                    {link ? (
                      <a className="timeline__link" href={link.href}>
                        {link.label}
                      </a>
                    ) : null}
                    <time className="timeline__at faint" dateTime={entry.at} title={formatDateTime(entry.at)}>
                      {formatRelativeTime(entry.at)}
                    </time>
                  </li>
                );
              })}
            </ol>
          </li>
        ))}
      </ol>
    </div>
  );
}
