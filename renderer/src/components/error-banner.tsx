import type { ReactNode } from 'react';
import type { LatheError } from '../../../shared/contract/result.ts';
import { describeFailure } from '../lib/format.ts';
import { Icon } from './icon.tsx';
import { InlineCodeText } from './inline-code-text.tsx';

/** A failure in words: what failed, where (file:line:column, field) and what to do. */
export function ErrorBanner({
  error,
  fileName,
  onDismiss,
  actions,
  title,
}: {
  error: LatheError;
  fileName?: string;
  onDismiss?: () => void;
  actions?: ReactNode;
  /** A line above the error's own message, e.g. "Could not import scores.csv". */
  title?: string;
}) {
  const report = describeFailure(error, fileName);
  return (
    <div className="banner banner--error" role="alert">
      <Icon name="alert" size={18} />
      <div>
        {title ? <p className="banner__title">{title}</p> : null}
        <p className={title ? undefined : 'banner__title'}>
          <InlineCodeText text={report.title} />
        </p>
        {report.where ? <p className="banner__where">{report.where}</p> : null}
        {report.hint ? (
          <p className="banner__hint">
            <InlineCodeText text={report.hint} />
          </p>
        ) : null}
        {report.details.length > 0 ? (
          <ul className="banner__details">
            {report.details.map((detail) => (
              <li key={detail}>{detail}</li>
            ))}
          </ul>
        ) : null}
        {actions ? <div className="banner__actions">{actions}</div> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
          <Icon name="close" size={14} />
        </button>
      ) : (
        <span />
      )}
    </div>
  );
}
