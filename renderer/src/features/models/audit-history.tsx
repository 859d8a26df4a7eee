import type { RegistryAction, RegistryLogEntry } from '../../../../shared/contract/registry.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { formatRelativeTime } from '../../lib/format.ts';
import type { Loaded } from './use-answer.ts';

const actionWords: Record<RegistryAction, string> = {
  'create-model': 'Created',
  register: 'Registered',
  'set-alias': 'Alias',
  'remove-alias': 'Alias removed',
  promote: 'Promoted',
  'edit-model': 'Edited',
  'edit-version': 'Edited',
  gates: 'Gates',
};

/**
 * A model's audit history, newest first, read from the workspace's git (models:log): each change
 * is a commit. This version's own changes stand out; an overridden promotion shows its reason.
 */
export function AuditHistory({ log, version }: { log: Loaded<RegistryLogEntry[]>; version: number }) {
  return (
    <section className="model-section" aria-labelledby="history-title">
      <h2 id="history-title" className="model-section__title">
        History <span className="faint model-section__sub">every change is a commit in the workspace</span>
      </h2>
      {log.state === 'failed' ? (
        <ErrorBanner error={log.error} title="Could not read the model's history" />
      ) : log.state !== 'ready' ? (
        <div className="spinner" aria-busy="true" />
      ) : log.value.length === 0 ? (
        <p className="faint">No changes recorded.</p>
      ) : (
        <ol className="audit" aria-label="History">
          {log.value.map((entry) => (
            <li key={entry.commit} className="audit__entry" data-this-version={entry.version === version || undefined} data-action={entry.action}>
              <span className="audit__action">{actionWords[entry.action]}</span>
              <span className="audit__title">
                {entry.title}
                {entry.action === 'promote' && entry.passed === false ? <span className="audit__override">checks failed, overridden</span> : null}
                {entry.overrideReason ? <span className="audit__reason">Reason: “{entry.overrideReason}”</span> : null}
              </span>
              <code className="hash faint audit__commit" title={entry.commit}>
                {entry.commit.slice(0, 8)}
              </code>
              <time className="faint audit__date" dateTime={entry.date} title={entry.date}>
                {formatRelativeTime(entry.date)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
