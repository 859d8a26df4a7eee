import { memo, useCallback, type MouseEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RunSummary } from '../../../../shared/contract/runs.ts';
import { VirtualList } from '../../components/virtual-list.tsx';
import { useNow } from '../../components/use-now.ts';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { formatDuration, formatMetric, formatStart } from './experiments-format.ts';
import { goTo, hashOf } from './experiments-route.ts';
import { columnIsNumeric, columnKey, columnKind, columnLabel, datasetLabel, runDuration, type ColumnId } from './run-columns.ts';
import { latestNumber } from './runs-table-slice.ts';
import { selectColumns, selectRunKeys, selectSortedRuns } from './selectors.ts';
import { StatusBadge } from './status-badge.tsx';
import './runs-table.css';

export const ROW_HEIGHT = 34;
/** Runs compared at once at most (main compares up to 100 too). */
export const MAX_COMPARED = 100;

const selectAllLabel = (listed: number) => (listed <= MAX_COMPARED ? 'Select every run listed' : `Select the first ${MAX_COMPARED} runs listed`);
const HEADER_HEIGHT = 40;
const CHECK_WIDTH = 36;

export function columnWidth(id: ColumnId): number {
  switch (id) {
    case 'status':
      return 112;
    case 'name':
      return 220;
    case 'experiment':
      return 150;
    case 'start':
      return 150;
    case 'duration':
      return 100;
    case 'dataset':
      return 150;
    default:
      // Wide enough for its name (7 px a character of the header's font, and the sort arrow), within reason.
      return Math.min(200, Math.max(columnKind(id) === 'metric' ? 104 : 96, columnLabel(id).length * 7 + 34));
  }
}

/** A running run's duration, counting up every second. */
function LiveDuration({ start }: { start: number }) {
  const now = useNow(1000);
  return <>{formatDuration(Math.max(0, now.getTime() - start))}</>;
}

function cellText(run: RunSummary, id: ColumnId): string {
  switch (columnKind(id)) {
    case 'metric':
      return formatMetric(latestNumber(run, columnKey(id)));
    case 'param':
      return run.params[columnKey(id)] ?? '—';
    default:
      switch (id) {
        case 'experiment':
          return run.experimentName;
        case 'start':
          return formatStart(run.startTime);
        case 'duration':
          return formatDuration(runDuration(run, Date.now()));
        case 'dataset':
          return datasetLabel(run) ?? '—';
        default:
          return run.name;
      }
  }
}

interface RowProps {
  run: RunSummary;
  index: number;
  columns: readonly ColumnId[];
  template: string;
  numeric: ReadonlySet<string>;
  ticked: boolean;
  onTick: (runId: string, ticked: boolean) => void;
}

const RunRow = memo(function RunRow({ run, index, columns, template, numeric, ticked, onTick }: RowProps) {
  return (
    <div
      className="runs-table__row"
      role="row"
      aria-rowindex={index + 2}
      aria-selected={ticked}
      data-run-id={run.id}
      style={{ gridTemplateColumns: template }}
      onClick={(event: MouseEvent) => {
        // A click on the row (not on its box or link) opens the run.
        if ((event.target as HTMLElement).closest('input, a, button')) return;
        goTo({ view: 'run', runId: run.id });
      }}
    >
      <div role="gridcell" className="runs-table__check">
        <input type="checkbox" aria-label={`Select ${run.name}`} checked={ticked} onChange={(event) => onTick(run.id, event.target.checked)} />
      </div>
      {columns.map((id) => {
        const isNumeric = columnIsNumeric(id, numeric);
        if (id === 'status') {
          return (
            <div role="gridcell" key={id} className="runs-table__cell">
              <StatusBadge status={run.status} deleted={run.lifecycle === 'deleted'} />
            </div>
          );
        }
        if (id === 'name') {
          return (
            <div role="gridcell" key={id} className="runs-table__cell runs-table__cell--name">
              <a href={hashOf({ view: 'run', runId: run.id })} title={run.name}>
                {run.name}
              </a>
            </div>
          );
        }
        const text = id === 'duration' && run.status === 'RUNNING' && run.endTime === null ? null : cellText(run, id);
        return (
          <div role="gridcell" key={id} className={`runs-table__cell${isNumeric ? ' num runs-table__cell--num' : ''}${text === '—' ? ' runs-table__cell--none' : ''}`} title={text ?? undefined}>
            {text ?? <LiveDuration start={run.startTime} />}
          </div>
        );
      })}
    </div>
  );
});

/** The runs, virtualised: only the rows on screen are in the page, however many runs there are. */
export function RunsTable() {
  const { store } = useServices();
  const runs = useLathe(selectSortedRuns);
  const columns = useLathe(selectColumns);
  const keys = useLathe(selectRunKeys);
  const { sort, selected } = useLathe(useShallow((state) => ({ sort: state.sort, selected: state.selectedRunIds })));
  const selectedSet = new Set(selected);
  const template = [`${CHECK_WIDTH}px`, ...columns.map((id) => `${columnWidth(id)}px`)].join(' ');
  const width = CHECK_WIDTH + columns.reduce((sum, id) => sum + columnWidth(id), 0);
  const onTick = useCallback((runId: string, ticked: boolean) => store.getState().runTicked(runId, ticked), [store]);

  const header = (
    <div className="runs-table__header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, height: HEADER_HEIGHT }}>
      <div role="columnheader" className="runs-table__check">
        <input
          type="checkbox"
          aria-label={selected.length > 0 ? 'Clear the selection' : selectAllLabel(runs.length)}
          title={selected.length > 0 ? 'Clear the selection' : selectAllLabel(runs.length)}
          checked={selected.length > 0}
          ref={(box) => {
            if (box) box.indeterminate = selected.length > 0 && selected.length < Math.min(runs.length, MAX_COMPARED);
          }}
          onChange={() => store.getState().runsTicked(selected.length > 0 ? [] : runs.slice(0, MAX_COMPARED).map((run) => run.id))}
        />
      </div>
      {columns.map((id) => {
        const kind = columnKind(id);
        const sorted = sort.column === id;
        return (
          <div
            key={id}
            role="columnheader"
            aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            className={`runs-table__heading${columnIsNumeric(id, keys.numericParams) ? ' runs-table__heading--num' : ''}`}
          >
            <button type="button" className="runs-table__sort" title={`Sort by ${columnLabel(id)}`} onClick={() => store.getState().runSortChosen(id)}>
              {kind !== 'attribute' ? <span className={`runs-table__kind runs-table__kind--${kind}`}>{kind === 'param' ? 'param' : 'metric'}</span> : null}
              <span className="runs-table__label">{columnLabel(id)}</span>
              <span className="runs-table__arrow" aria-hidden="true">
                {sorted ? (sort.descending ? '↓' : '↑') : ''}
              </span>
            </button>
          </div>
        );
      })}
    </div>
  );

  return (
    <VirtualList
      className="runs-table"
      role="grid"
      ariaLabel="Runs"
      ariaRowCount={runs.length + 1}
      rowCount={runs.length}
      rowHeight={ROW_HEIGHT}
      header={header}
      headerHeight={HEADER_HEIGHT}
      contentWidth={width}
      renderRow={(index) => {
        const run = runs[index]!;
        return <RunRow key={run.id} run={run} index={index} columns={columns} template={template} numeric={keys.numericParams} ticked={selectedSet.has(run.id)} onTick={onTick} />;
      }}
    />
  );
}
