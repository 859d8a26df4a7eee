import type { ReactNode } from 'react';
import { CopyButton } from './copy-button.tsx';
import { Icon, type IconName } from './icon.tsx';

/**
 * An area with nothing in it yet: what the thing is, where in the app it is made, and the
 * command that makes it from a terminal (with a copy button). No fake rows, no sample data.
 */
export function EmptyArea({
  id,
  icon,
  title,
  lead,
  action,
  how,
  command,
  after,
}: {
  id: string;
  icon: IconName;
  title: string;
  lead: ReactNode;
  action: { href: string; icon: IconName; label: string };
  /** Where in the app it is made; ends before the command. */
  how: ReactNode;
  command: string;
  /** What happens next, under the command. */
  after: ReactNode;
}) {
  return (
    <section className="empty-area" aria-labelledby={id}>
      <span className="empty-area__icon">
        <Icon name={icon} size={26} />
      </span>
      <h1 id={id} className="empty-area__title">
        {title}
      </h1>
      <p className="empty-area__lead">{lead}</p>
      <div className="empty-area__actions">
        <a className="button button--primary button--large" href={action.href}>
          <Icon name={action.icon} size={16} />
          {action.label}
        </a>
      </div>
      <div className="empty-area__how">
        <p>{how}</p>
        <div className="empty-area__command">
          <code>{command}</code>
          <CopyButton text={command} label="Copy the command" />
        </div>
        <p>{after}</p>
      </div>
    </section>
  );
}
