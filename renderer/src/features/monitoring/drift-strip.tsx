import { memo } from 'react';
import type { DriftStrip, StripCell } from './drift-strip-rows.ts';

export interface ChosenCell {
  readonly row: string;
  readonly window: number;
}

function cellClass(cell: StripCell, chosen: boolean): string {
  const hue = cell.verdict === 'drift' ? 'drift' : cell.verdict === 'no-drift' ? 'ok' : cell.verdict === 'not-enough-data' ? 'thin' : 'absent';
  return `drift-cell drift-cell--${hue}${cell.level !== null ? ` drift-cell--level-${cell.level}` : ''}${chosen ? ' drift-cell--chosen' : ''}`;
}

/**
 * Drift per feature over windows: a row per feature, then the prediction; a column per window.
 * Red shades drifted (stronger: further past the threshold), green shades did not (stronger:
 * closer to it); "not enough data" is hatched grey and an unjudged window plain grey, never green.
 * Each cell is a button: it opens the reference and current distributions of that window.
 */
export const DriftStripView = memo(function DriftStripView({ strip, chosen, onChoose }: { strip: DriftStrip; chosen: ChosenCell | null; onChoose: (cell: ChosenCell) => void }) {
  return (
    <figure className="drift-strip" aria-label="Drift per feature over windows">
      <figcaption className="drift-strip__head">
        <span className="drift-strip__title">Drift per feature</span>
        <span className="faint">
          {strip.windows.length === 1 ? 'window' : 'windows'} {strip.windows[0]}–{strip.windows.at(-1)}
          {strip.hidden > 0 ? ` (the latest ${strip.windows.length}; ${strip.hidden} older not shown)` : ''}
        </span>
        <DriftLegend />
      </figcaption>
      <div className="drift-strip__scroll">
        <table className="drift-strip__table">
          <thead>
            <tr>
              <th scope="col" className="visually-hidden">
                Column
              </th>
              {strip.windows.map((window) => (
                <th key={window} scope="col" className="drift-strip__window num" title={`window ${window}`}>
                  {window}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {strip.rows.map((row) => (
              <tr key={`${row.kind}:${row.name}`} className={row.kind === 'prediction' ? 'drift-strip__prediction' : undefined}>
                <th scope="row" className="drift-strip__name mono" title={row.name}>
                  {row.kind === 'prediction' ? 'prediction' : row.name}
                </th>
                {row.cells.map((cell) => {
                  const isChosen = chosen !== null && chosen.row === row.name && chosen.window === cell.window;
                  return (
                    <td key={cell.window}>
                      <button
                        type="button"
                        className={cellClass(cell, isChosen)}
                        aria-label={cell.label}
                        aria-pressed={isChosen}
                        title={cell.label}
                        data-verdict={cell.verdict}
                        disabled={cell.column === null}
                        onClick={() => onChoose({ row: row.name, window: cell.window })}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
});

function DriftLegend() {
  return (
    <span className="drift-legend" aria-label="Legend">
      <span className="drift-legend__key">
        <span className="drift-cell drift-cell--ok drift-cell--level-0" aria-hidden="true" />
        <span className="drift-cell drift-cell--ok drift-cell--level-2" aria-hidden="true" />
        no drift (stronger: nearer the threshold)
      </span>
      <span className="drift-legend__key">
        <span className="drift-cell drift-cell--drift drift-cell--level-3" aria-hidden="true" />
        <span className="drift-cell drift-cell--drift drift-cell--level-5" aria-hidden="true" />
        drift (stronger: further past it)
      </span>
      <span className="drift-legend__key">
        <span className="drift-cell drift-cell--thin" aria-hidden="true" />
        not enough data
      </span>
      <span className="drift-legend__key">
        <span className="drift-cell drift-cell--absent" aria-hidden="true" />
        not judged
      </span>
    </span>
  );
}
