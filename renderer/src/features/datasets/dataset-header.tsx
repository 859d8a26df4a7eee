import { useState } from 'react';
import type { DatasetVersion } from '../../../../shared/contract/datasets.ts';
import { NewRunDialog } from '../training/new-run-dialog.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { Icon } from '../../components/icon.tsx';
import { useNow } from '../../components/use-now.ts';
import { formatCount, formatDateTime, formatRelativeTime, shortHash } from '../../lib/format.ts';
import { formatBytes } from '../../../../shared/format-bytes.ts';
import { useImportTools } from './file-drop.tsx';
import { useServices } from '../../app/services-context.tsx';

/** Name, version and the facts of the version on screen. */
export function DatasetHeader({ version, latest }: { version: DatasetVersion; latest: DatasetVersion | null }) {
  const { datasetCommands } = useServices();
  const { openImportDialog } = useImportTools();
  const [training, setTraining] = useState(false);
  const isLatest = latest === null || latest.version === version.version;
  const now = useNow();

  return (
    <header className="dataset-header">
      <div className="dataset-header__title-row">
        <h1 className="dataset-header__name">{version.name}</h1>
        <span className="badge badge--accent num" aria-label={`version ${version.version}`}>
          v{version.version}
        </span>
        {isLatest ? (
          <span className="badge">latest</span>
        ) : latest ? (
          <button type="button" className="button button--small" onClick={() => void datasetCommands.selectDataset(version.name, null)}>
            Newer: v{latest.version}
            <Icon name="arrowRight" size={13} />
          </button>
        ) : null}
        <div className="dataset-header__spacer" />
        <button type="button" className="button button--small" onClick={() => setTraining(true)}>
          <Icon name="experiments" size={14} />
          Train a model…
        </button>
        {training ? <NewRunDialog dataset={version.name} onClose={() => setTraining(false)} /> : null}
        <button type="button" className="button button--small" onClick={() => openImportDialog({ datasetName: version.name })}>
          <Icon name="upload" size={14} />
          New version…
        </button>
      </div>
      <p className="dataset-header__message">
        <span className="dataset-header__message-text">{version.message || 'No message'}</span>
        <span className="faint" aria-hidden="true">
          ·
        </span>
        <time className="muted" dateTime={version.date} title={formatDateTime(version.date)}>
          {formatRelativeTime(version.date, now)}
        </time>
      </p>
      <dl className="facts">
        <div className="facts__item">
          <dt>Rows</dt>
          <dd className="num">{formatCount(version.rows)}</dd>
        </div>
        <div className="facts__item">
          <dt>Columns</dt>
          <dd className="num">{formatCount(version.columns)}</dd>
        </div>
        <div className="facts__item">
          <dt>Size</dt>
          <dd className="num" title={`${formatCount(version.bytes)} bytes`}>
            {formatBytes(version.bytes)}
          </dd>
        </div>
        <div className="facts__item">
          <dt>Format</dt>
          <dd>{version.format.toUpperCase()}</dd>
        </div>
        <div className="facts__item facts__item--wide">
          <dt>Source file</dt>
          <dd className="facts__truncate" title={version.sourceFile}>
            {version.sourceFile}
          </dd>
        </div>
        <div className="facts__item">
          <dt>Content hash</dt>
          <dd className="facts__hash">
            <code className="hash" title={version.contentHash}>
              {shortHash(version.contentHash)}
            </code>
            <CopyButton text={version.contentHash} label="Copy content hash" />
          </dd>
        </div>
      </dl>
    </header>
  );
}
