import { failure } from '../errors.ts';

/**
 * MLflow's search filter, plus OR and parentheses (which MLflow lacks):
 *
 *   metrics.acc > 0.9 AND (params.model = 'mlp' OR tags.stage ILIKE 'final%')
 *   metrics.`val loss` <= 0.2 AND attributes.status = 'FINISHED'
 *
 * metrics (and the time attributes) compare numbers with = != < <= > >=; params, tags and the
 * text attributes compare quoted text with = != LIKE ILIKE. AND binds tighter than OR. Keys
 * with other characters are quoted in backquotes or double quotes (a quote inside is doubled),
 * text in single or double quotes. Keywords and kinds are case-insensitive; MLflow's singular
 * and long kinds (metric., param., parameter., tag., attribute., attr., run.) are accepted.
 *
 * A filter that cannot be read is an INVALID_INPUT saying where (character offset, and the
 * text with a caret under the spot) and what was expected there.
 */
export type EntityKind = 'metric' | 'param' | 'tag' | 'attribute';
export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE';

export interface Comparison {
  kind: 'compare';
  entity: EntityKind;
  key: string;
  op: ComparisonOp;
  value: string | number;
}
export interface Junction {
  kind: 'and' | 'or';
  left: FilterExpr;
  right: FilterExpr;
}
export type FilterExpr = Comparison | Junction;

export interface OrderTerm {
  entity: EntityKind;
  key: string;
  descending: boolean;
}

/** Attributes a filter or an order may name, and whether they hold text or numbers. */
export const runAttributes = {
  run_id: 'text',
  run_name: 'text',
  status: 'text',
  user_id: 'text',
  start_time: 'number',
  end_time: 'number',
  created: 'number', // MLflow's other name for start_time
} as const;
export type RunAttribute = keyof typeof runAttributes;

const KIND_NAMES: Record<string, EntityKind> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};
const NUMBER_OPS: readonly ComparisonOp[] = ['=', '!=', '<', '<=', '>', '>='];
const TEXT_OPS: readonly ComparisonOp[] = ['=', '!=', 'LIKE', 'ILIKE'];
const STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

type Token =
  | { type: 'word'; text: string; at: number; end: number }
  | { type: 'quoted'; quote: string; text: string; at: number; end: number }
  | { type: 'number'; value: number; at: number; end: number }
  | { type: 'op'; text: string; at: number; end: number }
  | { type: '(' | ')' | 'end'; at: number; end: number }
  | { type: 'bad'; at: number; end: number };

const WORD = /[\p{L}_][\p{L}\p{N}\p{M}_.\-/]*/uy;
const WORD_PART = /[\p{L}\p{N}\p{M}_.\-/]/uy;
const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;

/** Parse a filter; empty (or only spaces) matches every run and gives null. */
export function parseFilter(text: string): FilterExpr | null {
  const reader = new Reader(text, 'filter');
  if (reader.peek().type === 'end') return null;
  const expr = parseOr(reader);
  const next = reader.peek();
  if (next.type !== 'end') throw reader.error(next.at, next.type === ')' ? 'AND, OR or the end of the filter (this ")" closes nothing)' : 'AND, OR or the end of the filter');
  return expr;
}

/** Parse one ordering: `metrics.val_accuracy DESC`, `attributes.start_time` (ascending). */
export function parseOrderTerm(text: string, field: string): OrderTerm {
  const reader = new Reader(text, field);
  const { entity, key } = parseEntity(reader);
  let descending = false;
  const next = reader.peek();
  if (next.type === 'word' && /^(asc|desc)$/i.test(next.text)) {
    reader.take();
    descending = next.text.toLowerCase() === 'desc';
  }
  const end = reader.peek();
  if (end.type !== 'end') throw reader.error(end.at, 'ASC, DESC or the end of the ordering');
  return { entity, key, descending };
}

function parseOr(reader: Reader): FilterExpr {
  let left = parseAnd(reader);
  while (reader.isKeyword('OR')) {
    reader.take();
    left = { kind: 'or', left, right: parseAnd(reader) };
  }
  return left;
}

function parseAnd(reader: Reader): FilterExpr {
  let left = parsePrimary(reader);
  while (reader.isKeyword('AND')) {
    reader.take();
    left = { kind: 'and', left, right: parsePrimary(reader) };
  }
  return left;
}

function parsePrimary(reader: Reader): FilterExpr {
  const next = reader.peek();
  if (next.type === '(') {
    reader.take();
    const inner = parseOr(reader);
    const close = reader.peek();
    if (close.type !== ')') throw reader.error(close.at, `")" to close the "(" at character ${next.at + 1}, or AND, OR`);
    reader.take();
    return inner;
  }
  return parseComparison(reader);
}

function parseComparison(reader: Reader): Comparison {
  const { entity, key } = parseEntity(reader);
  const textual = entity === 'param' || entity === 'tag' || (entity === 'attribute' && runAttributes[key as RunAttribute] === 'text');
  const opToken = reader.peek();
  const op = opToken.type === 'op' ? (opToken.text === '<>' ? '!=' : opToken.text) : opToken.type === 'word' ? opToken.text.toUpperCase() : '';
  const allowed = textual ? TEXT_OPS : NUMBER_OPS;
  if (!(allowed as readonly string[]).includes(op)) {
    const known = [...NUMBER_OPS, ...TEXT_OPS].includes(op as ComparisonOp);
    const what = entity === 'attribute' ? `attributes.${key}` : `${entity}s`;
    throw reader.error(opToken.at, known ? `${orList(allowed)} (${what} compare ${textual ? 'text' : 'numbers'})` : `a comparison for ${what}: ${orList(allowed)}`);
  }
  reader.take();
  const valueToken = reader.peek();
  if (textual) {
    if (valueToken.type !== 'quoted') throw reader.error(valueToken.at, `text in quotes, like 'mlp' (${entity === 'attribute' ? `attributes.${key}` : `${entity}s`} hold text)`);
    reader.take();
    if (entity === 'attribute' && key === 'status' && (op === '=' || op === '!=') && !STATUSES.includes(valueToken.text)) {
      throw reader.error(valueToken.at, `a run status: ${orList(STATUSES)}`);
    }
    return { kind: 'compare', entity, key, op: op as ComparisonOp, value: valueToken.text };
  }
  if (valueToken.type !== 'number') throw reader.error(valueToken.at, `a number (${entity === 'metric' ? 'metrics' : `attributes.${key}`} hold numbers)`);
  reader.take();
  return { kind: 'compare', entity, key, op: op as ComparisonOp, value: valueToken.value };
}

function parseEntity(reader: Reader): { entity: EntityKind; key: string } {
  const token = reader.peek();
  const expected = 'metrics.<key>, params.<key>, tags.<key> or attributes.<name>';
  if (token.type !== 'word' || !token.text.includes('.')) {
    const bare = token.type === 'word' && !/^(and|or|like|ilike|asc|desc)$/i.test(token.text);
    throw reader.error(token.at, bare ? `${expected} (a name needs its kind before a ".")` : expected);
  }
  reader.take();
  const dot = token.text.indexOf('.');
  const kindName = token.text.slice(0, dot);
  const entity = KIND_NAMES[kindName.toLowerCase()];
  if (!entity) throw reader.error(token.at, expected);
  let key = token.text.slice(dot + 1);
  let keyAt = token.at + dot + 1;
  if (key === '') {
    const quoted = reader.peek();
    if (quoted.type !== 'quoted' || quoted.at !== token.end || quoted.quote === "'") {
      throw reader.error(quoted.at, `a key right after "${kindName}.", or one in backquotes like \`val loss\``);
    }
    reader.take();
    key = quoted.text;
    keyAt = quoted.at;
  }
  if (entity === 'attribute' && !Object.hasOwn(runAttributes, key)) {
    throw reader.error(keyAt, `an attribute: ${orList(Object.keys(runAttributes))}`);
  }
  return { entity, key };
}

class Reader {
  readonly #text: string;
  readonly #field: string;
  #at = 0;
  #next: Token | null = null;

  constructor(text: string, field: string) {
    this.#text = text;
    this.#field = field;
  }

  peek(): Token {
    this.#next ??= this.#read();
    return this.#next;
  }

  take(): Token {
    const token = this.peek();
    this.#next = null;
    return token;
  }

  isKeyword(word: string): boolean {
    const token = this.peek();
    return token.type === 'word' && token.text.toUpperCase() === word;
  }

  /** INVALID_INPUT at `at`: what was expected there, and what was found. */
  error(at: number, expected: string) {
    return locatedError(this.#text, this.#field, at, `expected ${expected}; found ${this.#found(at)}`);
  }

  #found(at: number): string {
    const text = this.#text;
    if (at >= text.length) return 'the end';
    const code = text.codePointAt(at) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const quoted = /^(['"`])[^'"`]{0,20}\1?/u.exec(text.slice(at))?.[0];
    const word = quoted ?? /^[^\s()'"`]{1,20}/u.exec(text.slice(at))?.[0] ?? String.fromCodePoint(code);
    return JSON.stringify(word);
  }

  #read(): Token {
    const text = this.#text;
    while (this.#at < text.length && /\s/.test(text[this.#at]!)) this.#at += 1;
    const at = this.#at;
    if (at >= text.length) return { type: 'end', at, end: at };
    const c = text[at]!;
    if (c === '(' || c === ')') {
      this.#at += 1;
      return { type: c, at, end: this.#at };
    }
    const op = /^(<=|>=|!=|<>|==|=|<|>)/.exec(text.slice(at, at + 2))?.[0];
    if (op) {
      this.#at += op.length;
      return { type: 'op', text: op === '==' ? '=' : op, at, end: this.#at };
    }
    if (c === "'" || c === '"' || c === '`') return this.#quoted(c, at);
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (number && (/\d/.test(c) || ((c === '-' || c === '+' || c === '.') && number[0].length > 1))) {
      const end = at + number[0].length;
      WORD_PART.lastIndex = end;
      if (WORD_PART.test(text)) throw this.error(end, 'a space, an operator or ")" after the number');
      this.#at = end;
      return { type: 'number', value: Number(number[0]), at, end };
    }
    WORD.lastIndex = at;
    const word = WORD.exec(text)?.[0];
    if (word) {
      this.#at = at + word.length;
      return { type: 'word', text: word, at, end: this.#at };
    }
    this.#at = at + 1;
    return { type: 'bad', at, end: at + 1 };
  }

  #quoted(quote: string, at: number): Token {
    const text = this.#text;
    let value = '';
    let i = at + 1;
    for (;;) {
      const close = text.indexOf(quote, i);
      if (close === -1) throw locatedError(this.#text, this.#field, at, `expected a closing ${quote} for the text that starts here; found the end`);
      value += text.slice(i, close);
      if (text[close + 1] === quote) {
        value += quote;
        i = close + 2;
        continue;
      }
      this.#at = close + 1;
      return { type: 'quoted', quote, text: value, at, end: this.#at };
    }
  }
}

/** INVALID_INPUT at `at` (0-based) in `text`: "…at character N: expected X; found Y", then the text with a caret. */
export function locatedError(text: string, field: string, at: number, problem: string) {
  const window = 60;
  const from = Math.max(0, at - window);
  const to = Math.min(text.length, at + window);
  // A tab or line break would throw the caret off, and control characters must not reach a terminal.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const shown = `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
  const caret = `${' '.repeat(at - from + (from > 0 ? 1 : 0))}^`;
  const what = field === 'filter' ? 'filter' : `ordering ${field}`;
  return failure('INVALID_INPUT', `Invalid ${what} at character ${at + 1}: ${problem}.\n  ${shown}\n  ${caret}`, {
    location: { field, column: at + 1 },
  });
}


function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The filter as text that parses back to the same expression (for tests, and to show a filter). */
export function printFilter(expr: FilterExpr): string {
  if (expr.kind === 'compare') return `${printEntity(expr.entity, expr.key)} ${expr.op} ${printValue(expr.value)}`;
  const precedence = expr.kind === 'or' ? 1 : 2;
  const side = (child: FilterExpr, right: boolean) => {
    const own = child.kind === 'or' ? 1 : child.kind === 'and' ? 2 : 3;
    const inner = printFilter(child);
    return own < precedence || (right && own === precedence) ? `(${inner})` : inner;
  };
  return `${side(expr.left, false)} ${expr.kind.toUpperCase()} ${side(expr.right, true)}`;
}

export function printEntity(entity: EntityKind, key: string): string {
  const kind = entity === 'attribute' ? 'attributes' : `${entity}s`;
  return /^[\p{L}\p{N}\p{M}_.\-/]+$/u.test(key) ? `${kind}.${key}` : `${kind}.\`${key.replaceAll('`', '``')}\``;
}

function printValue(value: string | number): string {
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  return Object.is(value, -0) ? '-0' : String(value);
}
