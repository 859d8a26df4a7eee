import type { CheckStatus, GateCheck } from '../../../shared/contract/gates.ts';

/** A check's verdict before the runner times it. */
export type CheckResult = Omit<GateCheck, 'durationMs'>;

export function check(group: GateCheck['group'], id: string, title: string, status: CheckStatus, sentence: string, details?: Record<string, unknown>): CheckResult {
  return { group, id, title, status, sentence, ...(details ? { details } : {}) };
}

/** 0.0312 → "3.1%" */
export function percent(share: number): string {
  if (share === 0) return '0%';
  const value = share * 100;
  return `${Math.abs(value) < 0.1 ? value.toPrecision(1) : value.toFixed(1)}%`;
}

/** A metric as people read it: 4 significant digits. */
export function figure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(1) : Number(value.toPrecision(4)).toString();
}

/** A p-value: "p = 0.031", "p < 1e-12". */
export function pValue(p: number): string {
  if (p < 1e-12) return 'p < 1e-12';
  return `p = ${p < 0.001 ? p.toExponential(1) : p.toPrecision(2)}`;
}

/** "a, b and c" */
export function list(items: readonly string[], most = 5): string {
  const shown = items.slice(0, most);
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}
