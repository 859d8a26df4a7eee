import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricNumber, type RunSummary } from '../../../shared/contract/runs.ts';
import { LatheFailure } from '../errors.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { printFilter, type Comparison, type FilterExpr } from './run-filter.ts';
import { likeToGlob } from './run-search.ts';
import { storeOnNewWorkspace } from './testing-store.ts';
import type { TrackingStore } from './tracking-store.ts';

const tempDir = useTempDirs();
const TEXTS = ['a', 'A', 'ab', 'aB', 'a%b', 'x_y', 'xzy', '*', '[x]', 'é', 'É', ''];
const PATTERNS = [...TEXTS, '%', 'a%', 'A%', '_', '%b', '%B', 'x_y', '[%', '*%', '%]', '_%_', 'é%'];
const KEYS = ['p', 'q'];
const METRIC_VALUES = [0, 0.5, 1, -1, NaN, Infinity, -Infinity];

/** What a run looks like to the reference evaluator below. */
interface Known {
  summary: RunSummary;
  user: string;
}

/** LIKE as MLflow means it: % any run, _ any one character; ILIKE folds ASCII case only (as SQLite does). */
function like(value: string, pattern: string, foldCase: boolean): boolean {
  const fold = (text: string) => (foldCase ? text.replace(/[A-Z]/g, (c) => c.toLowerCase()) : text);
  const source = [...fold(pattern)].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'su').test(fold(value));
}

function evaluate(expr: FilterExpr, run: Known): boolean {
  if (expr.kind === 'compare') return compare(expr, run);
  return expr.kind === 'and' ? evaluate(expr.left, run) && evaluate(expr.right, run) : evaluate(expr.left, run) || evaluate(expr.right, run);
}

function compare({ entity, key, op, value }: Comparison, { summary, user }: Known): boolean {
  let actual: string | number | null | undefined;
  if (entity === 'metric') actual = summary.metrics[key] === undefined ? undefined : metricNumber(summary.metrics[key].value);
  else if (entity === 'param') actual = summary.params[key];
  else if (entity === 'tag') actual = summary.tags[key];
  else actual = { run_id: summary.id, run_name: summary.name, status: summary.status, user_id: user, start_time: summary.startTime, created: summary.startTime, end_time: summary.endTime }[key];
  if (actual === undefined || actual === null) return false;
  switch (op) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case 'LIKE':
      return like(actual as string, value as string, false);
    case 'ILIKE':
      return like(actual as string, value as string, true);
  }
}

describe('runs:search against a reference evaluator', () => {
  let store: TrackingStore;
  let workspace: Workspace;
  const known: Known[] = [];

  beforeAll(async () => {
    ({ store, workspace } = await storeOnNewWorkspace(await tempDir()));
    const random = fc.sample(
      fc.record({
        params: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...TEXTS), { maxKeys: 2 }),
        tags: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...TEXTS), { maxKeys: 2 }),
        metrics: fc.dictionary(fc.constantFrom('m', 'n'), fc.constantFrom(...METRIC_VALUES), { maxKeys: 2 }),
        name: fc.constantFrom(...TEXTS),
        status: fc.constantFrom('RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'SCHEDULED' as const),
        start: fc.integer({ min: 0, max: 20 }),
      }),
      { numRuns: 60, seed: 7 },
    );
    for (const spec of random) {
      const run = store.createRun({ name: spec.name, params: spec.params, tags: spec.tags, startTime: spec.start * 1000, user: spec.start % 2 ? 'ada' : 'bob' });
      store.logMetrics(run.id, Object.entries(spec.metrics).map(([key, value]) => ({ key, value })));
      if (spec.status !== 'RUNNING') store.setStatus(run.id, spec.status, spec.status === 'SCHEDULED' ? undefined : spec.start * 1000 + 500);
      known.push({ summary: store.getRun(run.id), user: spec.start % 2 ? 'ada' : 'bob' });
    }
  });
  afterAll(async () => workspace.close());

  const comparison: fc.Arbitrary<Comparison> = fc.oneof(
    fc.record({ kind: fc.constant('compare' as const), entity: fc.constant('metric' as const), key: fc.constantFrom('m', 'n', 'absent'), op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '<=' as const, '>' as const, '>=' as const), value: fc.constantFrom(0, 0.5, 1, -1, 0.25) }),
    fc.record({ kind: fc.constant('compare' as const), entity: fc.constantFrom('param' as const, 'tag' as const), key: fc.constantFrom(...KEYS, 'absent'), op: fc.constantFrom('=' as const, '!=' as const, 'LIKE' as const, 'ILIKE' as const), value: fc.constantFrom(...PATTERNS) }),
    fc.record({ kind: fc.constant('compare' as const), entity: fc.constant('attribute' as const), key: fc.constantFrom('run_name', 'user_id'), op: fc.constantFrom('=' as const, '!=' as const, 'LIKE' as const, 'ILIKE' as const), value: fc.constantFrom(...PATTERNS, 'ada') }),
    fc.record({ kind: fc.constant('compare' as const), entity: fc.constant('attribute' as const), key: fc.constant('status'), op: fc.constantFrom('=' as const, '!=' as const), value: fc.constantFrom('RUNNING', 'FINISHED', 'FAILED') }),
    fc.record({ kind: fc.constant('compare' as const), entity: fc.constant('attribute' as const), key: fc.constantFrom('start_time', 'end_time', 'created'), op: fc.constantFrom('<' as const, '>=' as const, '=' as const), value: fc.integer({ min: 0, max: 21 }).map((s) => s * 1000) }),
  );
  const expression: fc.Arbitrary<FilterExpr> = fc.letrec<{ expr: FilterExpr }>((tie) => ({
    expr: fc.oneof({ depthSize: 'small' }, comparison, fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('expr'), right: tie('expr') })),
  })).expr;

  it('finds exactly the runs the filter describes (OR, parentheses, LIKE, NaN, missing keys)', () => {
    fc.assert(
      fc.property(expression, (expr) => {
        const filter = printFilter(expr);
        const found = store.searchRuns({ filter, maxResults: 1000 });
        const expected = known.filter((run) => evaluate(expr, run)).map((run) => run.summary.id).sort();
        expect(found.runs.map((run) => run.id).sort(), filter).toEqual(expected);
        expect(found.total).toBe(expected.length);
      }),
      { numRuns: 400 },
    );
  });

  it('orders by a metric with missing values last and NaN after every number, either way', () => {
    for (const descending of [false, true]) {
      const runs = store.searchRuns({ orderBy: [`metrics.m ${descending ? 'DESC' : 'ASC'}`] }).runs;
      const values = runs.map((run) => (run.metrics.m === undefined ? undefined : metricNumber(run.metrics.m.value)));
      const present = values.filter((v): v is number => v !== undefined);
      const numbers = present.filter((v) => !Number.isNaN(v));
      expect(values.slice(0, present.length)).toEqual(present); // missing ones all at the end
      expect(present.slice(0, numbers.length)).toEqual(numbers); // NaN after the numbers
      expect(numbers).toEqual([...numbers].sort((a, b) => (descending ? b - a : a - b)));
    }
  });

  it('orders by a param, then by newest start, and pages without overlap or gap', () => {
    const all = store.searchRuns({ orderBy: ['params.p', 'attributes.start_time DESC'] });
    const withP = all.runs.filter((run) => run.params.p !== undefined);
    expect(all.runs.slice(0, withP.length)).toEqual(withP);
    const ps = withP.map((run) => run.params.p!);
    expect(ps).toEqual([...ps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const pages: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = store.searchRuns({ orderBy: ['params.p', 'attributes.start_time DESC'], maxResults: 7, pageToken });
      expect(page.total).toBe(all.total);
      expect(page.runs.length).toBeLessThanOrEqual(7);
      pages.push(...page.runs.map((run) => run.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(pages).toEqual(all.runs.map((run) => run.id));
  });

  it('leaves deleted runs out unless asked, and filters by experiment', () => {
    const victim = known[0]!.summary.id;
    store.deleteRun(victim);
    expect(store.searchRuns().runs.map((run) => run.id)).not.toContain(victim);
    expect(store.searchRuns({ includeDeleted: true }).runs.map((run) => run.id)).toContain(victim);
    store.restoreRun(victim);
    const other = store.createRun({ experiment: 'other' });
    const inOther = store.searchRuns({ experimentIds: [other.experimentId] });
    expect(inOther.runs.map((run) => run.id)).toEqual([other.id]);
    expect(store.searchRuns({ experimentIds: [] }).total).toBe(0);
    store.deleteRun(other.id);
  });

  it('refuses a page token it did not give out, saying what to do', () => {
    expect(() => store.searchRuns({ pageToken: 'bm90IGEgdG9rZW4' })).toThrow(LatheFailure);
    try {
      store.searchRuns({ pageToken: 'garbage!' });
    } catch (error) {
      expect((error as LatheFailure).error).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'pageToken' } });
    }
  });
});

describe('likeToGlob', () => {
  it('makes GLOB wildcards literal and LIKE wildcards GLOB ones', () => {
    expect(likeToGlob('a%b_c*d?e[f]')).toBe('a*b?c[*]d[?]e[[]f]');
  });
});
