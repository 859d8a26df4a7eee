import type { ColumnType } from '../contract/datasets.ts';

/**
 * What a model learns to predict from a target column: a class (classification) or a number
 * (regression). The wizard, the CLI and training all ask this one function, so all three say
 * the same about the same column.
 *
 * The rule:
 * - a string or boolean column → classification;
 * - an integer column with at most FEW_DISTINCT_INTEGERS distinct values (ratings 1–5, codes
 *   0/1) → classification;
 * - any other integer or number column → regression;
 * - a datetime column, or one with no values, cannot be a target.
 * The caller may choose otherwise: a number column can be classified (each value a class) and
 * an integer column regressed; `taskProblem` says when a choice cannot work.
 */
export const trainingTasks = ['classification', 'regression'] as const;
export type TrainingTask = (typeof trainingTasks)[number];

/** An integer column with at most this many distinct values is taken for classes. */
export const FEW_DISTINCT_INTEGERS = 10;
/** More classes than this is refused: a column like that is an identifier or a number. */
export const MAX_CLASSES = 100;

/** What the rule needs to know of a column: its profile's type and counts. */
export interface TargetFacts {
  name: string;
  type: ColumnType;
  /** Values present. */
  count: number;
  distinct: number;
  /** True when `distinct` is an estimate (too many values to count exactly). */
  approximate?: boolean;
}

export type TaskInference = { task: TrainingTask; why: string } | { task: null; why: string };

export function inferTask(target: TargetFacts): TaskInference {
  switch (target.type) {
    case 'string':
      return { task: 'classification', why: `"${target.name}" holds text, so each value is a class` };
    case 'boolean':
      return { task: 'classification', why: `"${target.name}" is true or false` };
    case 'integer':
      return target.distinct <= FEW_DISTINCT_INTEGERS && !target.approximate
        ? { task: 'classification', why: `"${target.name}" holds whole numbers with only ${target.distinct} distinct values, so each is a class` }
        : { task: 'regression', why: `"${target.name}" holds whole numbers with ${target.distinct} distinct values, so it is predicted as a number` };
    case 'number':
      return { task: 'regression', why: `"${target.name}" holds numbers` };
    case 'datetime':
      return { task: null, why: `"${target.name}" holds dates; Lathe cannot predict a date yet (turn it into a number first, e.g. days since an event)` };
    case 'empty':
      return { task: null, why: `"${target.name}" has no values` };
  }
}

/** Why `task` cannot be learnt from this target, or null when it can. */
export function taskProblem(target: TargetFacts, task: TrainingTask): string | null {
  if (target.type === 'datetime' || target.type === 'empty') return inferTask(target).why;
  if (task === 'regression' && target.type !== 'integer' && target.type !== 'number') {
    return `"${target.name}" is a ${target.type} column; regression needs numbers (use classification)`;
  }
  if (task === 'classification') {
    if (target.distinct < 2) return `"${target.name}" has ${target.distinct === 1 ? 'one value' : 'no values'} in every row, so there is nothing to tell apart; a classifier needs at least two classes`;
    if (target.distinct > MAX_CLASSES || target.approximate) {
      return `"${target.name}" has ${target.approximate ? 'about ' : ''}${target.distinct} distinct values; Lathe classifies into at most ${MAX_CLASSES} classes${target.type === 'integer' || target.type === 'number' ? ' (use regression for a number)' : ' (is it an identifier?)'}`;
    }
  }
  return null;
}
