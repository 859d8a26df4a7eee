/**
 * Which rows of a fixed-row-height list are on screen, and where to put them: the window maths
 * of a virtual list. Only `first…last` (exclusive) are rendered, shifted down by `offset`, inside
 * a spacer `totalHeight` tall, so the scroll bar is the same as if every row were there.
 */
export interface VisibleWindow {
  /** The first row to render. */
  readonly first: number;
  /** One past the last row to render. */
  readonly last: number;
  /** Where the first rendered row starts, in pixels from the top of the rows. */
  readonly offset: number;
  /** The height of every row together. */
  readonly totalHeight: number;
}

export interface WindowInput {
  /** The scroll container's scrollTop. */
  readonly scrollTop: number;
  /** The height of the scroll container's visible area. */
  readonly viewportHeight: number;
  readonly rowHeight: number;
  readonly rowCount: number;
  /** Rows above the first row inside the scroll container (a sticky header), in pixels. */
  readonly rowsTop?: number;
  /** Extra rows rendered above and below what is visible, so a fast scroll shows no gap. */
  readonly overscan?: number;
}

export function visibleWindow({ scrollTop, viewportHeight, rowHeight, rowCount, rowsTop = 0, overscan = 6 }: WindowInput): VisibleWindow {
  const count = Math.max(0, Math.floor(rowCount));
  const totalHeight = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { first: 0, last: 0, offset: 0, totalHeight };
  // In the rows' own coordinates: the sticky header covers the viewport's top `rowsTop` pixels,
  // so the first row seen is at scrollTop. A scroll beyond the end (elastic scrolling, or rows
  // removed while scrolled down) is clamped so the last rows stay rendered.
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - 1));
  const bottom = Math.max(top + 1, scrollTop + Math.max(0, viewportHeight - rowsTop));
  const firstVisible = Math.floor(top / rowHeight);
  const lastVisible = Math.min(count, Math.ceil(bottom / rowHeight));
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(count, Math.max(lastVisible, firstVisible + 1) + overscan);
  return { first, last, offset: first * rowHeight, totalHeight };
}

/** The scrollTop that brings row `index` fully into view, or null when it already is. */
export function scrollToReveal(index: number, { scrollTop, viewportHeight, rowHeight, rowsTop = 0 }: Omit<WindowInput, 'rowCount' | 'overscan'>): number | null {
  const rowTop = rowsTop + index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  // The sticky header covers the top `rowsTop` pixels of the viewport.
  if (rowTop < scrollTop + rowsTop) return Math.max(0, rowTop - rowsTop);
  if (rowBottom > scrollTop + viewportHeight) return rowBottom - viewportHeight;
  return null;
}
