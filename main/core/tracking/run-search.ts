import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { failure } from '../errors.ts';
import { parseFilter, parseOrderTerm, runAttributes, type Comparison, type FilterExpr, type OrderTerm, type RunAttribute } from './run-filter.ts';

/**
 * Which runs match a search, in which order, one page at a time. The filter becomes one SQL
 * WHERE clause: each comparison a `run IN (…)` over an index on (key, value) of params, tags or
 * latest metrics, so a filter costs a few index range scans however many runs there are, and
 * OR and parentheses are SQL's own.
 *
 * Runs missing an ordering key come last in either direction; a NaN metric comes after every
 * number. Ties fall back to the newest start first, then the run id, so pages never overlap.
 */
export interface RunQuery {
  experimentIds?: readonly string[] | undefined;
  filter?: string | undefined;
  orderBy?: readonly string[] | undefined;
  maxResults?: number | undefined;
  pageToken?: string | undefined;
  includeDeleted?: boolean | undefined;
}

export const DEFAULT_MAX_RESULTS = 1000;

export interface RunPage {
  /** Internal run numbers (runs.seq), in order. */
  seqs: number[];
  total: number;
  nextPageToken?: string;
}

export function searchRunSeqs(sql: DatabaseSync, query: RunQuery): RunPage {
  const filter = parseFilter(query.filter ?? '');
  const order = (query.orderBy ?? []).map((term, i) => parseOrderTerm(term, `orderBy[${i}]`));
  const offset = pageOffset(query.pageToken);
  const limit = query.maxResults ?? DEFAULT_MAX_RESULTS;

  const where: string[] = [];
  const whereArgs: SQLInputValue[] = [];
  if (!query.includeDeleted) where.push("r.lifecycle = 'active'");
  if (query.experimentIds) {
    where.push(`r.experiment IN (${query.experimentIds.map(() => '?').join(', ') || 'NULL'})`);
    whereArgs.push(...query.experimentIds.map(Number));
  }
  if (filter) where.push(compileFilter(filter, whereArgs));
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';

  const joinArgs: SQLInputValue[] = [];
  const joins: string[] = [];
  const orderSql = order.map((term, i) => compileOrder(term, `o${i}`, joins, joinArgs)).concat(['r.start_time DESC', 'r.id']).join(', ');

  const total = (sql.prepare(`SELECT count(*) AS n FROM runs r ${whereSql}`).get(...whereArgs) as { n: number }).n;
  const page = sql.prepare(`SELECT r.seq FROM runs r ${joins.join(' ')} ${whereSql} ORDER BY ${orderSql} LIMIT ? OFFSET ?`);
  page.setReturnArrays(true);
  const seqs = (page.all(...joinArgs, ...whereArgs, limit, offset) as unknown as [number][]).map(([seq]) => seq);
  const next = offset + seqs.length;
  return next < total && seqs.length > 0 ? { seqs, total, nextPageToken: pageToken(next) } : { seqs, total };
}

function compileFilter(expr: FilterExpr, args: SQLInputValue[]): string {
  if (expr.kind !== 'compare') return `(${compileFilter(expr.left, args)} ${expr.kind.toUpperCase()} ${compileFilter(expr.right, args)})`;
  if (expr.entity === 'attribute') return compileAttribute(expr, args);
  const table = expr.entity === 'metric' ? 'metric_series' : expr.entity === 'param' ? 'params' : 'tags';
  args.push(expr.key);
  return `r.seq IN (SELECT run FROM ${table} WHERE key = ? AND ${compileTest('value', expr, args)})`;
}

function compileAttribute(expr: Comparison, args: SQLInputValue[]): string {
  return compileTest(attributeColumn(expr.key as RunAttribute), expr, args);
}

function compileTest(column: string, { op, value, entity }: Comparison, args: SQLInputValue[]): string {
  switch (op) {
    case 'LIKE':
      // SQLite's LIKE ignores ASCII case; MLflow's LIKE does not. GLOB is SQLite's case-sensitive match.
      args.push(likeToGlob(value as string));
      return `${column} GLOB ?`;
    case 'ILIKE':
      args.push(value);
      return `${column} LIKE ?`;
    case '!=':
      args.push(value);
      // A NaN metric is stored as NULL; NaN differs from every number.
      return entity === 'metric' ? `(${column} IS NULL OR ${column} != ?)` : `${column} != ?`;
    default:
      args.push(value);
      return `${column} ${op} ?`;
  }
}

function compileOrder(term: OrderTerm, alias: string, joins: string[], args: SQLInputValue[]): string {
  const direction = term.descending ? 'DESC' : 'ASC';
  if (term.entity === 'attribute') {
    const column = attributeColumn(term.key as RunAttribute);
    return column === 'r.end_time' ? `r.end_time IS NULL, r.end_time ${direction}` : `${column} ${direction}`;
  }
  const table = term.entity === 'metric' ? 'metric_series' : term.entity === 'param' ? 'params' : 'tags';
  joins.push(`LEFT JOIN ${table} ${alias} ON ${alias}.run = r.seq AND ${alias}.key = ?`);
  args.push(term.key);
  const nanLast = term.entity === 'metric' ? `${alias}.value IS NULL, ` : '';
  return `${alias}.run IS NULL, ${nanLast}${alias}.value ${direction}`;
}

function attributeColumn(attribute: RunAttribute): string {
  const columns: Record<RunAttribute, string> = {
    run_id: 'r.id',
    run_name: 'r.name',
    status: 'r.status',
    user_id: 'r.user',
    start_time: 'r.start_time',
    end_time: 'r.end_time',
    created: 'r.start_time',
  };
  if (!Object.hasOwn(runAttributes, attribute)) throw new Error(`unknown attribute ${attribute}`);
  return columns[attribute];
}

/**
 * A LIKE pattern (% any run of characters, _ any one) as a GLOB pattern, GLOB's own wildcards
 * made literal: [*], [?], [[].
 */
export function likeToGlob(pattern: string): string {
  let glob = '';
  for (const c of pattern) {
    if (c === '%') glob += '*';
    else if (c === '_') glob += '?';
    else if (c === '*' || c === '?' || c === '[') glob += `[${c}]`;
    else glob += c;
  }
  return glob;
}

function pageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function pageOffset(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) {
    throw failure('INVALID_INPUT', 'pageToken: this is not a page token runs:search gave out. Pass back nextPageToken as it came, or leave it out for the first page.', {
      location: { field: 'pageToken' },
    });
  }
  return Number(match[1]);
}
