import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scrollToReveal, visibleWindow } from './virtual-window.ts';

describe('virtual list window', () => {
  it('renders only the rows on screen, plus the overscan', () => {
    const window = visibleWindow({ scrollTop: 3200, viewportHeight: 640, rowHeight: 32, rowCount: 10_000, overscan: 5 });
    // Rows 100…119 are visible.
    expect(window).toEqual({ first: 95, last: 125, offset: 95 * 32, totalHeight: 320_000 });
  });

  it('keeps the rows under a sticky header counted', () => {
    // A 32 px header inside the scroller: at scrollTop 0 rows 0…18 show below it in 640 px.
    const window = visibleWindow({ scrollTop: 0, viewportHeight: 640, rowHeight: 32, rowCount: 100, rowsTop: 32, overscan: 0 });
    expect(window.first).toBe(0);
    expect(window.last).toBe(19);
  });

  it('clamps a scroll past the end to the last rows', () => {
    const window = visibleWindow({ scrollTop: 1_000_000, viewportHeight: 300, rowHeight: 30, rowCount: 50, overscan: 2 });
    expect(window.last).toBe(50);
    expect(window.first).toBeLessThan(50);
    expect(window.offset).toBe(window.first * 30);
  });

  it('renders nothing for no rows', () => {
    expect(visibleWindow({ scrollTop: 0, viewportHeight: 500, rowHeight: 30, rowCount: 0 })).toEqual({ first: 0, last: 0, offset: 0, totalHeight: 0 });
  });

  it('always covers every row that is even partly visible', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 0, max: 60 }),
        fc.nat(),
        fc.integer({ min: 0, max: 10 }),
        (rowCount, rowHeight, viewportHeight, rowsTop, scroll, overscan) => {
          const totalHeight = rowCount * rowHeight;
          const maxScroll = Math.max(0, totalHeight + rowsTop - viewportHeight);
          const scrollTop = scroll % (maxScroll + 1);
          const { first, last, offset } = visibleWindow({ scrollTop, viewportHeight, rowHeight, rowCount, rowsTop, overscan });
          expect(offset).toBe(first * rowHeight);
          expect(first).toBeGreaterThanOrEqual(0);
          expect(last).toBeLessThanOrEqual(rowCount);
          for (let row = 0; row < rowCount; row++) {
            const top = rowsTop + row * rowHeight - scrollTop;
            const bottom = top + rowHeight;
            const visible = bottom > rowsTop && top < viewportHeight;
            if (visible) expect(row >= first && row < last).toBe(true);
            if (row > last + 2) break;
          }
          // Never more than a screenful plus the overscan.
          expect(last - first).toBeLessThanOrEqual(Math.ceil(viewportHeight / rowHeight) + 1 + 2 * overscan + 1);
        },
      ),
    );
  });

  it('scrolls just enough to reveal a row', () => {
    const view = { scrollTop: 320, viewportHeight: 320, rowHeight: 32, rowsTop: 32 };
    expect(scrollToReveal(12, view)).toBeNull();
    expect(scrollToReveal(0, view)).toBe(0);
    expect(scrollToReveal(20, view)).toBe(32 + 21 * 32 - 320);
  });
});
