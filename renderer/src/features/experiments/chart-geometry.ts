/**
 * Pixel geometry of the compare charts, apart from React so it can be tested: a linear scale,
 * and a curve as one SVG path (a NaN or infinite value breaks the line, as a gap).
 */
export interface LinearScale {
  (value: number): number;
  readonly domain: readonly [number, number];
}

export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): LinearScale {
  const span = d1 - d0 || 1;
  const scale = ((value: number) => r0 + ((value - d0) / span) * (r1 - r0)) as LinearScale;
  Object.defineProperty(scale, 'domain', { value: [d0, d1] as const });
  return scale;
}

/** The smallest and largest finite numbers of several lists; null when there is none. */
export function extent(lists: readonly (readonly number[])[]): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const list of lists) {
    for (const value of list) {
      if (!Number.isFinite(value)) continue;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  return min <= max ? [min, max] : null;
}

/** A y range with a little air above and below; a flat curve gets a band around it. */
export function paddedRange([min, max]: readonly [number, number], share = 0.05): [number, number] {
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.05;
    return [min - pad, max + pad];
  }
  const pad = (max - min) * share;
  return [min - pad, max + pad];
}

/** `M x y L x y …` through the points; a non-finite value ends the line and the next starts anew. */
export function linePath(steps: readonly number[], values: readonly number[], x: (step: number) => number, y: (value: number) => number): string {
  const parts: string[] = [];
  let pen = false;
  for (let i = 0; i < steps.length; i++) {
    const value = values[i]!;
    if (!Number.isFinite(value)) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${x(steps[i]!).toFixed(1)} ${y(value).toFixed(1)}`);
    pen = true;
  }
  return parts.join('');
}

/** The index of the step nearest `step` (steps ascending); -1 for none. */
export function nearestIndex(steps: readonly number[], step: number): number {
  if (steps.length === 0) return -1;
  let low = 0;
  let high = steps.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (steps[mid]! < step) low = mid + 1;
    else high = mid;
  }
  if (low > 0 && Math.abs(steps[low - 1]! - step) <= Math.abs(steps[low]! - step)) return low - 1;
  return low;
}

/** Curve resolution for a chart `width` pixels wide: its width rounded up to 128 (so a resize rarely refetches), 256 to 2048. */
export function pointsForWidth(width: number): number {
  return Math.min(2048, Math.max(256, Math.ceil(width / 128) * 128));
}
