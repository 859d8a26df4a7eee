import { driftText, type InjectedDrift } from '../../../shared/contract/simulate.ts';
import { failure } from '../errors.ts';
import type { CellValue, TrafficTable } from './traffic-table.ts';

/**
 * Drift put into the requests on purpose, to see monitoring catch it: a number column shifted
 * (+X) or scaled (×X), or one category replaced by another (A>B). Each drift is checked against
 * the model's inputs and the dataset's values before anything is sent.
 */
export interface DriftPlan {
  drifts: readonly InjectedDrift[];
  /** Values each drift changed so far, in the order of `drifts`. */
  changed: number[];
}

export function planDrifts(drifts: readonly InjectedDrift[], table: TrafficTable, model: string): DriftPlan {
  const inputs = new Map(table.inputs.map((input) => [input.name, input.kind]));
  drifts.forEach((drift, index) => {
    const field = `drift.${index}`;
    const kind = inputs.get(drift.column);
    if (kind === undefined) {
      throw failure('INVALID_INPUT', `--drift ${driftText(drift)}: ${JSON.stringify(drift.column)} is not an input of model ${model}; its inputs are ${[...inputs.keys()].join(', ')}.`, { location: { field } });
    }
    if (drift.kind !== 'categories' && kind !== 'number') {
      throw failure('INVALID_INPUT', `--drift ${driftText(drift)}: ${drift.column} is a ${kind} column; ${drift.kind}= takes a number column.`, {
        hint: `Drift a text column with ${drift.column}:categories=FROM>TO.`,
        location: { field },
      });
    }
    if (drift.kind === 'categories') {
      if (kind === 'number') {
        throw failure('INVALID_INPUT', `--drift ${driftText(drift)}: ${drift.column} is a number column; categories= takes a text column.`, { hint: `Drift a number column with ${drift.column}:shift=X or ${drift.column}:scale=X.`, location: { field } });
      }
      const categories = kind === 'boolean' ? ['true', 'false'] : table.categories(drift.column);
      if (!categories.includes(drift.from)) {
        const shown = categories.slice(0, 20).map((category) => JSON.stringify(category)).join(', ');
        throw failure('INVALID_INPUT', `--drift ${driftText(drift)}: ${JSON.stringify(drift.from)} does not occur in ${drift.column} of ${table.label}; its categories are ${shown}${categories.length > 20 ? ', …' : ''}.`, { location: { field } });
      }
      if (kind === 'boolean' && !['true', 'false'].includes(drift.to)) {
        throw failure('INVALID_INPUT', `--drift ${driftText(drift)}: ${drift.column} is true/false; replace with true or false, not ${JSON.stringify(drift.to)}.`, { location: { field } });
      }
    }
  });
  return { drifts, changed: drifts.map(() => 0) };
}

/** The row's value of `column` after the drifts on it (applied in the order given). */
export function driftedValue(plan: DriftPlan, column: string, value: CellValue): CellValue {
  let result = value;
  plan.drifts.forEach((drift, index) => {
    if (drift.column !== column || result === null) return;
    const before = result;
    if (drift.kind === 'shift' && typeof result === 'number') result = result + drift.by;
    else if (drift.kind === 'scale' && typeof result === 'number') result = result * drift.by;
    else if (drift.kind === 'categories' && String(result) === drift.from) result = typeof result === 'boolean' ? drift.to === 'true' : drift.to;
    if (result !== before) plan.changed[index]! += 1;
  });
  return result;
}
