import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatheFailure } from '../errors.ts';
import { parseFilter, parseOrderTerm, printFilter, runAttributes, type Comparison, type FilterExpr } from './run-filter.ts';

function errorOf(work: () => unknown) {
  try {
    work();
  } catch (error) {
    if (error instanceof LatheFailure) return error.error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('parseFilter', () => {
  it("reads MLflow's filters", () => {
    expect(parseFilter("metrics.acc > 0.9 AND params.model = 'mlp'")).toEqual({
      kind: 'and',
      left: { kind: 'compare', entity: 'metric', key: 'acc', op: '>', value: 0.9 },
      right: { kind: 'compare', entity: 'param', key: 'model', op: '=', value: 'mlp' },
    });
    expect(parseFilter('metrics.`val loss` <= -1.5e-3')).toEqual({ kind: 'compare', entity: 'metric', key: 'val loss', op: '<=', value: -0.0015 });
    expect(parseFilter('metric."a `b"  !=  2')).toEqual({ kind: 'compare', entity: 'metric', key: 'a `b', op: '!=', value: 2 });
    expect(parseFilter("tags.mlflow.runName ILIKE '%it''s%'")).toEqual({ kind: 'compare', entity: 'tag', key: 'mlflow.runName', op: 'ILIKE', value: "%it's%" });
    expect(parseFilter("attributes.status = 'FINISHED' and attr.start_time >= 1700000000000")).toMatchObject({ kind: 'and' });
    expect(parseFilter("parameters.lr like \"0.0%\"")).toEqual({ kind: 'compare', entity: 'param', key: 'lr', op: 'LIKE', value: '0.0%' });
    expect(parseFilter('   ')).toBeNull();
  });

  it('reads OR and parentheses, AND binding tighter', () => {
    const a = "params.a = '1'";
    const b = "params.b = '2'";
    const c = "params.c = '3'";
    const leaf = (key: string, value: string): Comparison => ({ kind: 'compare', entity: 'param', key, op: '=', value });
    expect(parseFilter(`${a} OR ${b} AND ${c}`)).toEqual({ kind: 'or', left: leaf('a', '1'), right: { kind: 'and', left: leaf('b', '2'), right: leaf('c', '3') } });
    expect(parseFilter(`(${a} OR ${b}) AND ${c}`)).toEqual({ kind: 'and', left: { kind: 'or', left: leaf('a', '1'), right: leaf('b', '2') }, right: leaf('c', '3') });
    expect(parseFilter(`((${a}))`)).toEqual(leaf('a', '1'));
  });

  it.each([
    ['metrics.acc ~ 0.9', 13, 'expected a comparison for metrics: =, !=, <, <=, > or >=; found "~"'],
    ["params.model > 'a'", 14, 'expected =, !=, LIKE or ILIKE (params compare text); found ">"'],
    ["metrics.acc LIKE '0.9%'", 13, 'expected =, !=, <, <=, > or >= (metrics compare numbers); found "LIKE"'],
    ['params.model = mlp', 16, "expected text in quotes, like 'mlp' (params hold text); found \"mlp\""],
    ["metrics.acc > '0.9'", 15, 'expected a number (metrics hold numbers)'],
    ['acc > 0.9', 1, 'expected metrics.<key>, params.<key>, tags.<key> or attributes.<name>'],
    ['metric.acc > 0.9 AND', 21, 'found the end'],
    ["(metrics.acc > 0.9 OR params.a = 'b'", 37, 'expected ")" to close the "(" at character 1'],
    ['metrics.acc > 0.9)', 18, 'this ")" closes nothing'],
    ["params.model = 'mlp", 16, "expected a closing ' for the text that starts here"],
    ['attributes.colour = 1', 12, 'expected an attribute: run_id, run_name, status'],
    ["attributes.status = 'DONE'", 21, 'expected a run status: RUNNING, SCHEDULED, FINISHED, FAILED or KILLED'],
    ['metrics.acc > 0.9x', 18, 'expected a space, an operator or ")" after the number'],
    ['metrics. > 1', 10, 'expected a key right after "metrics."'],
    ['metrics.a > 1 params.b', 15, 'expected AND, OR or the end of the filter'],
  ])('says where %j is wrong, and what it expected there', (filter, column, words) => {
    const error = errorOf(() => parseFilter(filter));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.location).toEqual({ field: 'filter', column });
    expect(error.message).toContain(`Invalid filter at character ${column}: `);
    expect(error.message).toContain(words);
    // The filter, then a caret under the character.
    const [, shown, caret] = error.message.split('\n');
    expect(shown).toBe(`  ${filter}`);
    expect(caret).toBe(`  ${' '.repeat(column - 1)}^`);
  });

  it('shows a window of a long filter around the place', () => {
    const filter = `${"params.a = 'x' AND ".repeat(20)}metrics.b ? 1`;
    const error = errorOf(() => parseFilter(filter));
    const [, shown, caret] = error.message.split('\n');
    expect(shown!.length).toBeLessThan(140);
    expect(shown![caret!.length - 1]).toBe('?');
  });

  const key = fc.oneof(fc.constantFrom('acc', 'val_loss', 'a.b/c-d', 'x'), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }));
  const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }));
  const number = fc.double({ noNaN: true, noDefaultInfinity: true });
  const comparison: fc.Arbitrary<Comparison> = fc.oneof(
    fc.record({ kind: fc.constant('compare' as const), entity: fc.constant('metric' as const), key, op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '<=' as const, '>' as const, '>=' as const), value: number }),
    fc.record({ kind: fc.constant('compare' as const), entity: fc.constantFrom('param' as const, 'tag' as const), key, op: fc.constantFrom('=' as const, '!=' as const, 'LIKE' as const, 'ILIKE' as const), value: text }),
    fc.constantFrom(...Object.keys(runAttributes)).chain((name): fc.Arbitrary<Comparison> =>
      runAttributes[name as keyof typeof runAttributes] === 'number'
        ? fc.record({ kind: fc.constant('compare' as const), entity: fc.constant('attribute' as const), key: fc.constant(name), op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '>=' as const), value: number })
        : fc.record({
            kind: fc.constant('compare' as const),
            entity: fc.constant('attribute' as const),
            key: fc.constant(name),
            op: fc.constantFrom('LIKE' as const, 'ILIKE' as const, ...(name === 'status' ? [] : (['=', '!='] as const))),
            value: text,
          }),
    ),
  );
  const expression: fc.Arbitrary<FilterExpr> = fc.letrec<{ expr: FilterExpr }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      comparison,
      fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('expr'), right: tie('expr') }),
    ),
  })).expr;

  it('reads back every filter it prints (round trip of generated expressions)', () => {
    fc.assert(
      fc.property(expression, (expr) => {
        expect(parseFilter(printFilter(expr))).toEqual(expr);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws anything but a located INVALID_INPUT, whatever the text', () => {
    const nearFilter = fc.array(
      fc.oneof(
        fc.constantFrom('metrics.', 'params.', 'tags.', 'attributes.', 'status', 'acc', ' AND ', ' OR ', ' and ', '(', ')', '=', '!=', '<>', '<=', '>', ' LIKE ', ' ILIKE ', "'", '"', '`', '1', '-2.5e3', ' ', '.', 'x'),
        fc.string({ unit: 'binary', maxLength: 3 }),
      ),
      { maxLength: 20 },
    ).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), nearFilter), (text) => {
        try {
          parseFilter(text);
        } catch (error) {
          expect(error).toBeInstanceOf(LatheFailure);
          const { code, location, message } = (error as LatheFailure).error;
          expect(code).toBe('INVALID_INPUT');
          expect(location?.field).toBe('filter');
          expect(location!.column).toBeGreaterThanOrEqual(1);
          expect(location!.column).toBeLessThanOrEqual(text.length + 1);
          expect(message).toMatch(/^Invalid filter at character \d+: expected .+\n {2}.*\n {2} *\^$/);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseOrderTerm', () => {
  it('reads a key and a direction, ascending by default', () => {
    expect(parseOrderTerm('metrics.val_accuracy DESC', 'orderBy[0]')).toEqual({ entity: 'metric', key: 'val_accuracy', descending: true });
    expect(parseOrderTerm('attributes.start_time', 'orderBy[1]')).toEqual({ entity: 'attribute', key: 'start_time', descending: false });
    expect(parseOrderTerm('params.`batch size` asc', 'orderBy[0]')).toEqual({ entity: 'param', key: 'batch size', descending: false });
  });

  it('says which ordering is wrong and where', () => {
    const error = errorOf(() => parseOrderTerm('metrics.acc DOWN', 'orderBy[1]'));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'orderBy[1]', column: 13 } });
    expect(error.message).toContain('Invalid ordering orderBy[1] at character 13: expected ASC, DESC or the end of the ordering; found "DOWN"');
  });
});
