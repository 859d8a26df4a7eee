import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icon.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { formatCount } from '../../lib/format.ts';
import { formatBytes } from '../../../../shared/format-bytes.ts';
import { useLathe, useServices } from '../../app/services-context.tsx';
import type { ActiveImport } from './import-slice.ts';

const NOTICE_SECONDS = 12;

/** Bottom-right: the import under way with its progress, then what it made. */
export function ImportToasts() {
  const { store } = useServices();
  const { activeImport, queued, notice } = useLathe(
    useShallow((state) => ({ activeImport: state.activeImport, queued: state.queuedImports, notice: state.notice })),
  );

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => store.getState().noticeDismissed(notice.id), NOTICE_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [notice, store]);

  return (
    <div className="toasts">
      {activeImport ? <ProgressToast active={activeImport} queued={queued} /> : null}
      {/* Always present, so screen readers announce the outcome when it appears. */}
      <div className="toasts__live" role="status" aria-live="polite">
        {notice && !activeImport ? (
          <div className={`toast toast--${notice.tone}`}>
            <Icon name={notice.tone === 'success' ? 'success' : 'info'} size={18} />
            <div className="toast__body">
              <p className="toast__title">{notice.text}</p>
            </div>
            <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={() => store.getState().noticeDismissed(notice.id)}>
              <Icon name="close" size={14} />
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}

function ProgressToast({ active, queued }: { active: ActiveImport; queued: number }) {
  const { datasetCommands } = useServices();
  const known = active.totalBytes !== null && active.totalBytes > 0;
  let detail: string;
  if (active.phase === 'sending') detail = known ? `sending ${formatBytes(active.bytesDone)} of ${formatBytes(active.totalBytes ?? 0)}` : 'sending…';
  else if (active.rows > 0) detail = `${formatCount(active.rows)} rows read${known ? ` · ${formatBytes(active.bytesDone)} of ${formatBytes(active.totalBytes ?? 0)}` : ''}`;
  else detail = 'reading and profiling…';
  return (
    <div className="toast toast--progress">
      <div className="spinner" aria-hidden="true" />
      <div className="toast__body">
        <p className="toast__title toast__title--one-line" title={active.fileName}>
          Importing {active.fileName}
        </p>
        <p className="toast__text num">
          {active.datasetName ? (
            <>
              into <strong>{active.datasetName}</strong> ·{' '}
            </>
          ) : null}
          {detail}
          {queued > 0 ? ` · ${queued} more waiting` : ''}
        </p>
        <ProgressBar label={`Importing ${active.fileName}`} value={active.bytesDone} max={known ? active.totalBytes : null} />
      </div>
      {active.jobId ? (
        <button type="button" className="button button--small button--ghost" onClick={() => void datasetCommands.cancelImport()}>
          Cancel
        </button>
      ) : (
        <span />
      )}
    </div>
  );
}
