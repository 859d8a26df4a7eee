/**
 * A colour per compared run, in the order chosen: ten that tell apart well on light and dark
 * backgrounds (Tableau's 10, a little deepened), then hues spread by the golden angle.
 */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#8c8c9a'];

export function runColor(index: number): string {
  if (index < PALETTE.length) return PALETTE[index]!;
  const hue = Math.round((index * 137.508) % 360);
  return `hsl(${hue} 62% 52%)`;
}
