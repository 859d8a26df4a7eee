import { describe, expect, it } from 'vitest';
import { FEW_DISTINCT_INTEGERS, MAX_CLASSES, inferTask, taskProblem, type TargetFacts } from './infer-task.ts';

const column = (type: TargetFacts['type'], distinct: number, extra: Partial<TargetFacts> = {}): TargetFacts => ({ name: 'y', type, count: 1000, distinct, ...extra });

describe('inferring the task from the target column', () => {
  it('classifies text and true/false, and whole numbers with few distinct values', () => {
    expect(inferTask(column('string', 3)).task).toBe('classification');
    expect(inferTask(column('boolean', 2)).task).toBe('classification');
    expect(inferTask(column('integer', FEW_DISTINCT_INTEGERS)).task).toBe('classification');
  });

  it('regresses numbers, and whole numbers with many distinct values (or an estimated count)', () => {
    expect(inferTask(column('number', 4)).task).toBe('regression');
    expect(inferTask(column('integer', FEW_DISTINCT_INTEGERS + 1)).task).toBe('regression');
    expect(inferTask(column('integer', 5, { approximate: true })).task).toBe('regression');
  });

  it('cannot predict dates or empty columns, and says why', () => {
    expect(inferTask(column('datetime', 50))).toMatchObject({ task: null, why: expect.stringContaining('dates') });
    expect(inferTask(column('empty', 0))).toMatchObject({ task: null, why: expect.stringContaining('no values') });
  });

  it('refuses a choice that cannot work', () => {
    expect(taskProblem(column('string', 3), 'regression')).toContain('regression needs numbers');
    expect(taskProblem(column('string', 1), 'classification')).toContain('one value');
    expect(taskProblem(column('string', MAX_CLASSES + 1), 'classification')).toContain('identifier');
    expect(taskProblem(column('number', 5000), 'classification')).toContain('use regression');
    expect(taskProblem(column('integer', 3), 'regression')).toBeNull();
    expect(taskProblem(column('number', 3), 'classification')).toBeNull();
  });
});
