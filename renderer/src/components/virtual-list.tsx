import { useLayoutEffect, useRef, useState, type ReactNode, type UIEvent } from 'react';
import { visibleWindow } from './virtual-window.ts';

export interface VirtualListProps {
  rowCount: number;
  /** Every row is this tall (CSS pixels); the list never measures rows. */
  rowHeight: number;
  /** One row; it is placed by the list, so it needs no position of its own. */
  renderRow: (index: number) => ReactNode;
  /** Stays at the top while the rows scroll under it (a table's column headers). */
  header?: ReactNode;
  /** The header's height, which must be fixed too. */
  headerHeight?: number;
  /** The rows' width when wider than the list (a table with many columns): it scrolls sideways. */
  contentWidth?: number;
  overscan?: number;
  className?: string;
  /** ARIA for the scrolling element: a table's role and label, say. */
  role?: string;
  ariaLabel?: string;
  ariaRowCount?: number;
  onScroll?: (event: UIEvent<HTMLDivElement>) => void;
}

/**
 * A list of many fixed-height rows that renders only those on screen (see virtual-window.ts):
 * ten thousand rows cost what thirty do. The rows sit in a spacer as tall as all of them, so
 * the scroll bar, the wheel and keyboard scrolling behave as in a plain list.
 */
export function VirtualList({
  rowCount,
  rowHeight,
  renderRow,
  header,
  headerHeight = 0,
  contentWidth,
  overscan = 8,
  className,
  role,
  ariaLabel,
  ariaRowCount,
  onScroll,
}: VirtualListProps) {
  const ownRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(0);

  useLayoutEffect(() => {
    const element = ownRef.current;
    if (!element) return;
    setViewportHeight(element.clientHeight);
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Before the first measure, assume a tall screen so the first paint already has rows.
  const { first, last, offset, totalHeight } = visibleWindow({
    scrollTop,
    viewportHeight: viewportHeight || 1200,
    rowHeight,
    rowCount,
    rowsTop: headerHeight,
    overscan,
  });

  const rows: ReactNode[] = [];
  for (let index = first; index < last; index++) rows.push(renderRow(index));

  return (
    <div
      ref={ownRef}
      className={className}
      role={role}
      aria-label={ariaLabel}
      aria-rowcount={ariaRowCount}
      style={{ overflow: 'auto', position: 'relative' }}
      onScroll={(event) => {
        setScrollTop(event.currentTarget.scrollTop);
        onScroll?.(event);
      }}
    >
      {header ? <div style={{ position: 'sticky', top: 0, zIndex: 2, height: headerHeight, width: contentWidth, minWidth: '100%' }}>{header}</div> : null}
      <div style={{ position: 'relative', height: totalHeight, width: contentWidth, minWidth: '100%' }}>
        <div style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${offset}px)` }}>{rows}</div>
      </div>
    </div>
  );
}
