import type { KeyboardEvent } from 'react';
import { Icon } from '../../components/icon.tsx';
import { useNow } from '../../components/use-now.ts';
import { formatRelativeTime, formatShape } from '../../lib/format.ts';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { useImportTools } from './file-drop.tsx';
import { selectSelectedName, selectSortedDatasets } from './selectors.ts';
import './dataset-list.css';

/** Every dataset in the workspace, by name, with its latest version at a glance. */
export function DatasetList() {
  const { datasetCommands } = useServices();
  const datasets = useLathe(selectSortedDatasets);
  const selected = useLathe(selectSelectedName);
  const { chooseFile } = useImportTools();
  const now = useNow();

  /** Up and Down move through the list, as in a file browser. */
  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const index = datasets.findIndex((dataset) => dataset.name === selected);
    const next = datasets[Math.min(datasets.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (!next) return;
    event.preventDefault();
    void datasetCommands.selectDataset(next.name);
    event.currentTarget.querySelector<HTMLButtonElement>(`[data-dataset="${CSS.escape(next.name)}"]`)?.focus();
  }

  return (
    <section className="dataset-list" aria-labelledby="dataset-list-title">
      <header className="pane-header">
        <h2 id="dataset-list-title" className="pane-header__title">
          Datasets
        </h2>
        <span className="pane-header__count num">{datasets.length}</span>
        <div className="pane-header__spacer" />
        <button type="button" className="button button--small" onClick={chooseFile} title="Import a CSV, TSV, JSON or JSON Lines file">
          <Icon name="upload" size={14} />
          Import
        </button>
      </header>
      <ul className="dataset-list__items" onKeyDown={onKeyDown}>
        {datasets.map((dataset) => {
          const current = dataset.name === selected;
          return (
            <li key={dataset.name}>
              <button
                type="button"
                className="dataset-item"
                data-dataset={dataset.name}
                aria-current={current ? 'true' : undefined}
                onClick={() => void datasetCommands.selectDataset(dataset.name)}
              >
                <span className="dataset-item__row">
                  <Icon name="table" size={14} />
                  <span className="dataset-item__name">{dataset.name}</span>
                  <span className="dataset-item__version num">v{dataset.latest.version}</span>
                </span>
                <span className="dataset-item__meta num">
                  {formatShape(dataset.latest.rows, dataset.latest.columns)}
                  <span aria-hidden="true"> · </span>
                  <time dateTime={dataset.latest.date} title={dataset.latest.date}>
                    {formatRelativeTime(dataset.latest.date, now)}
                  </time>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      <p className="dataset-list__hint">
        <Icon name="upload" size={13} />
        Drop files anywhere to import
      </p>
    </section>
  );
}
