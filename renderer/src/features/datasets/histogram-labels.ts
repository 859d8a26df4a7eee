import { formatCount } from '../../lib/format.ts';

export interface HistogramData {
  edges: number[];
  counts: number[];
}

/**
 * An edge to the precision its bins need: one decimal more than the bin width has, so
 * 12.5 – 13 reads as such and an edge a rounding ulp off (0.30000000000000004) reads 0.3.
 */
export function formatEdge(value: number, width: number, locale?: string): string {
  const magnitude = Math.max(Math.abs(value), width);
  if (magnitude >= 1e15 || (magnitude > 0 && magnitude < 1e-6)) {
    return new Intl.NumberFormat(locale, { notation: 'scientific', maximumFractionDigits: 3 }).format(value);
  }
  const digits = width > 0 ? Math.min(10, Math.max(0, 1 - Math.floor(Math.log10(width)))) : 0;
  const text = new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  // "-0" from rounding a value just below zero.
  return /^[-−]0$/.test(text) ? '0' : text;
}

/**
 * What bin `index` holds. Integer columns name the values it holds ("5", "172 – 173"), others
 * its range ("12.5 – 13"), which is [lower, upper) except for the last bin.
 */
export function binLabel(histogram: HistogramData, index: number, integer: boolean, locale?: string): string {
  const lower = histogram.edges[index] as number;
  const upper = histogram.edges[index + 1] as number;
  const width = upper - lower;
  if (integer && Number.isInteger(lower) && Number.isInteger(upper)) {
    if (width === 1) return formatEdge(lower, 1, locale);
    return `${formatEdge(lower, 1, locale)} – ${formatEdge(upper - 1, 1, locale)}`;
  }
  return `${formatEdge(lower, width, locale)} – ${formatEdge(upper, width, locale)}`;
}

export function rowCount(count: number, locale?: string): string {
  return `${formatCount(count, locale)} ${count === 1 ? 'row' : 'rows'}`;
}

/** A bar's tooltip: "12.5 – 13 · 14 rows". */
export function binTitle(histogram: HistogramData, index: number, integer: boolean, locale?: string): string {
  return `${binLabel(histogram, index, integer, locale)} · ${rowCount(histogram.counts[index] ?? 0, locale)}`;
}

/** For screen readers: the range, the bin count and where most rows are. */
export function histogramSummary(name: string, histogram: HistogramData, integer: boolean, locale?: string): string {
  const { edges, counts } = histogram;
  if (counts.length === 0) return `Histogram of ${name}: no values`;
  let peak = 0;
  counts.forEach((count, index) => {
    if (count > (counts[peak] as number)) peak = index;
  });
  const width = (edges[edges.length - 1] as number) - (edges[0] as number);
  const from = formatEdge(edges[0] as number, width / counts.length, locale);
  const to = formatEdge(edges[edges.length - 1] as number, width / counts.length, locale);
  const bins = `${counts.length} ${counts.length === 1 ? 'bin' : 'bins'}`;
  return `Histogram of ${name}: ${bins} from ${from} to ${to}; the most rows, ${formatCount(counts[peak] as number, locale)}, in ${binLabel(histogram, peak, integer, locale)}`;
}
