import { useState } from 'react';
import { Icon } from '../../components/icon.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { useImportTools } from './file-drop.tsx';
import { selectIsImporting } from './selectors.ts';
import './empty-state.css';

/** A workspace with no datasets: one obvious way in (drop or choose a file), and a sample to try. */
export function EmptyState() {
  const { datasetCommands } = useServices();
  const { chooseFile } = useImportTools();
  const importing = useLathe(selectIsImporting);
  const [sampleBusy, setSampleBusy] = useState(false);

  return (
    <section className="empty-state" aria-labelledby="empty-state-title">
      <div className="empty-state__drop">
        <span className="empty-state__icon">
          <Icon name="upload" size={26} />
        </span>
        <h1 id="empty-state-title" className="empty-state__title">
          Bring in your first dataset
        </h1>
        <p className="empty-state__lead">
          Drop a CSV, TSV, JSON or JSON Lines file anywhere in this window, or choose one. Lathe profiles every column and keeps each import as a
          version you can go back to.
        </p>
        <div className="empty-state__actions">
          <button type="button" className="button button--primary button--large" onClick={chooseFile} disabled={importing}>
            <Icon name="file" size={16} />
            Choose file…
          </button>
          <button
            type="button"
            className="button button--large"
            disabled={importing || sampleBusy}
            onClick={() => {
              setSampleBusy(true);
              void datasetCommands.importSample().finally(() => setSampleBusy(false));
            }}
          >
            <Icon name="sample" size={16} />
            Import sample data
          </button>
        </div>
        <p className="empty-state__note">The sample is the Palmer Penguins table: 344 penguins of three species, measured on three islands of the Palmer Archipelago, Antarctica.</p>
      </div>
      <ul className="empty-state__facts" aria-label="How datasets work in Lathe">
        <li>
          <Icon name="history" size={16} />
          <span>
            <strong>Versioned.</strong> Import the same dataset again and it becomes the next version; identical bytes make no new one.
          </span>
        </li>
        <li>
          <Icon name="profile" size={16} />
          <span>
            <strong>Profiled.</strong> Types, missing values, ranges and the most common values of every column.
          </span>
        </li>
        <li>
          <Icon name="folder" size={16} />
          <span>
            <strong>In your workspace.</strong> Manifests are committed to git; the bytes sit in a content-addressed store.
          </span>
        </li>
      </ul>
    </section>
  );
}
