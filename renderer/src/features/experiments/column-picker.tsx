import { useEffect, useId, useRef, useState } from 'react';
import { Icon } from '../../components/icon.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { attributeColumns, columnKind, columnLabel, metricColumn, paramColumn, type ColumnId } from './run-columns.ts';
import { selectColumns, selectRunKeys } from './selectors.ts';

/** A column added goes after the last of its kind: attributes, then metrics, then params. */
export function withColumn(columns: readonly ColumnId[], added: ColumnId): ColumnId[] {
  const order = { attribute: 0, metric: 1, param: 2 } as const;
  const rank = order[columnKind(added)];
  let at = columns.length;
  for (let i = columns.length - 1; i >= 0; i--) {
    if (order[columnKind(columns[i]!)] <= rank) {
      at = i + 1;
      break;
    }
    at = i;
  }
  return [...columns.slice(0, at), added, ...columns.slice(at)];
}

/** Add or remove the table's columns: any param or metric the runs have. */
export function ColumnPicker() {
  const { experimentCommands } = useServices();
  const columns = useLathe(selectColumns);
  const keys = useLathe(selectRunKeys);
  const custom = useLathe((state) => state.columns !== null);
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const panelRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector('input')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    window.addEventListener('pointerdown', onPointerDown);
    return () => window.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const shown = new Set(columns);
  const toggle = (id: ColumnId, on: boolean) => experimentCommands.runs.columnsChosen(on ? withColumn(columns, id) : columns.filter((column) => column !== id));
  const matches = (key: string) => key.toLowerCase().includes(search.trim().toLowerCase());

  const group = (title: string, ids: ColumnId[]) =>
    ids.length === 0 ? null : (
      <fieldset className="column-picker__group">
        <legend className="menu__label">{title}</legend>
        {ids.map((id) => (
          <label key={id} className="column-picker__item">
            <input type="checkbox" checked={shown.has(id)} onChange={(event) => toggle(id, event.target.checked)} />
            <span className={columnKind(id) === 'attribute' ? undefined : 'mono'}>{columnLabel(id)}</span>
          </label>
        ))}
      </fieldset>
    );

  return (
    <div className="column-picker">
      <button
        ref={buttonRef}
        type="button"
        className="button button--small"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((value) => !value)}
      >
        <Icon name="columns" size={14} />
        Columns
      </button>
      {open ? (
        <div
          ref={panelRef}
          id={panelId}
          className="menu column-picker__panel"
          role="dialog"
          aria-label="Columns"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              setOpen(false);
              buttonRef.current?.focus();
            }
          }}
        >
          <input className="input column-picker__search" type="search" placeholder="Find a param or metric" aria-label="Find a column" value={search} onChange={(event) => setSearch(event.target.value)} />
          <div className="column-picker__groups">
            {group('Run', attributeColumns.filter((id) => matches(columnLabel(id))))}
            {group('Metrics', keys.metrics.filter(matches).map(metricColumn))}
            {group('Params', keys.params.filter(matches).map(paramColumn))}
          </div>
          <div className="column-picker__footer">
            <button type="button" className="button button--small button--ghost" disabled={!custom} onClick={() => experimentCommands.runs.columnsChosen(null)}>
              Suggested columns
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
