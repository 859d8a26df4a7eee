import { useCallback, useEffect, useRef, useState } from 'react';
import { clampWidth, widthsToRemember } from './column-widths.ts';
import { useServices } from '../../app/services-context.tsx';

/**
 * Column widths a user set on a dataset's preview, remembered per workspace and dataset in
 * IndexedDB. `resize` moves a column's edge (null: back to its default); `commit` saves.
 */
export function useColumnWidths(workspace: string, dataset: string, columns: readonly string[]) {
  const { memory } = useServices();
  const key = `${workspace}\u0000${dataset}`;
  const [state, setState] = useState<{ key: string; widths: Record<string, number> }>({ key, widths: {} });
  const latest = useRef(state);
  const widths = state.key === key ? state.widths : {};

  useEffect(() => {
    latest.current = state;
  }, [state]);

  useEffect(() => {
    let cancelled = false;
    void memory.columnWidths(workspace, dataset).then((saved) => {
      if (!cancelled) setState({ key, widths: saved });
    });
    return () => {
      cancelled = true;
    };
  }, [key, workspace, dataset, memory]);

  const resize = useCallback(
    (column: string, width: number | null) => {
      const current = latest.current.key === key ? latest.current.widths : {};
      const next = { ...current };
      if (width === null) delete next[column];
      else next[column] = clampWidth(width);
      latest.current = { key, widths: next };
      setState(latest.current);
    },
    [key],
  );

  const commit = useCallback(() => {
    if (latest.current.key !== key) return;
    void memory.columnWidthsChanged(workspace, dataset, widthsToRemember(latest.current.widths, columns));
  }, [key, workspace, dataset, columns, memory]);

  return { widths, resize, commit };
}
