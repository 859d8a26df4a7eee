import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { ColumnType, DatasetDetail, PreviewCell } from '../../../../shared/contract/datasets.ts';
import { formatCount } from '../../lib/format.ts';
import { useLathe } from '../../app/services-context.tsx';
import { defaultColumnWidth, KEYBOARD_STEP } from './column-widths.ts';
import { TypeBadge } from './type-badge.tsx';
import { useColumnWidths } from './use-column-widths.ts';
import './preview-table.css';

const ROW_NUMBER_WIDTH = 52;
const numeric = (type: ColumnType | undefined) => type === 'integer' || type === 'number';

/** The first rows of the version on screen: sticky header, types, resizable columns. */
export function PreviewTable({ detail }: { detail: DatasetDetail }) {
  const workspace = useLathe((state) => state.workspace?.path ?? '');
  const { columns, rows, truncatedCells } = detail.preview;
  const types = new Map(detail.profile.map((column) => [column.name, column.type] as const));
  const { widths, resize, commit } = useColumnWidths(workspace, detail.version.name, columns);
  const widthOf = (column: string) => widths[column] ?? defaultColumnWidth(column, types.get(column));
  const tableWidth = ROW_NUMBER_WIDTH + columns.reduce((sum, column) => sum + widthOf(column), 0);

  return (
    <div className="preview">
      <div className="preview__scroll" tabIndex={0} role="region" aria-label={`First ${rows.length} rows of ${detail.version.name}`}>
        <table className="data-table preview-table" style={{ width: tableWidth }}>
          <colgroup>
            <col style={{ width: ROW_NUMBER_WIDTH }} />
            {columns.map((column) => (
              <col key={column} style={{ width: widthOf(column) }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              <th scope="col" className="preview-table__row-number">
                <span className="visually-hidden">Row</span>
              </th>
              {columns.map((column) => {
                const type = types.get(column);
                return (
                  <th key={column} scope="col" className={numeric(type) ? 'num' : undefined}>
                    <span className="preview-table__head">
                      <span className="preview-table__name" title={column}>
                        {column}
                      </span>
                      {type ? <TypeBadge type={type} /> : null}
                    </span>
                    <ColumnResizer column={column} width={widthOf(column)} onResize={resize} onCommit={commit} />
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index}>
                <th scope="row" className="preview-table__row-number num">
                  {index + 1}
                </th>
                {columns.map((column, c) => (
                  <Cell key={column} value={row[c] ?? null} numeric={numeric(types.get(column))} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="preview__footer num">
        {rows.length < detail.version.rows
          ? `The first ${formatCount(rows.length)} of ${formatCount(detail.version.rows)} rows`
          : `All ${formatCount(rows.length)} rows`}
        {truncatedCells ? ' · long values are shortened here, not in the data' : ''}
        <span className="preview__footer-hint"> · drag a column&rsquo;s edge to resize it; double-click to reset</span>
      </p>
    </div>
  );
}

function Cell({ value, numeric }: { value: PreviewCell; numeric: boolean }) {
  if (value === null) {
    return (
      <td className={numeric ? 'num' : undefined}>
        <span className="null-cell">null</span>
      </td>
    );
  }
  const text = typeof value === 'string' ? value : String(value);
  return (
    <td className={numeric || typeof value === 'number' ? 'num' : typeof value === 'boolean' ? 'preview-table__bool' : undefined} title={text.length > 24 ? text : undefined}>
      {text === '' ? <span className="null-cell">empty</span> : text}
    </td>
  );
}

/** The right edge of a header cell: drag it, or focus it and use the arrow keys. */
function ColumnResizer({
  column,
  width,
  onResize,
  onCommit,
}: {
  column: string;
  width: number;
  onResize: (column: string, width: number | null) => void;
  onCommit: () => void;
}) {
  const start = useRef<{ x: number; width: number } | null>(null);

  function onPointerDown(event: PointerEvent<HTMLSpanElement>) {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    start.current = { x: event.clientX, width };
  }
  function onPointerMove(event: PointerEvent<HTMLSpanElement>) {
    if (!start.current) return;
    onResize(column, start.current.width + event.clientX - start.current.x);
  }
  function onPointerUp() {
    if (!start.current) return;
    start.current = null;
    onCommit();
  }
  function onKeyDown(event: KeyboardEvent<HTMLSpanElement>) {
    const step = event.shiftKey ? KEYBOARD_STEP * 4 : KEYBOARD_STEP;
    if (event.key === 'ArrowLeft') onResize(column, width - step);
    else if (event.key === 'ArrowRight') onResize(column, width + step);
    else if (event.key === 'Home' || event.key === 'Delete' || event.key === 'Backspace') onResize(column, null);
    else return;
    event.preventDefault();
    onCommit();
  }

  return (
    <span
      className="column-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize column ${column}`}
      aria-valuenow={width}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => {
        onResize(column, null);
        onCommit();
      }}
      onKeyDown={onKeyDown}
      onClick={(event) => event.stopPropagation()}
    />
  );
}
