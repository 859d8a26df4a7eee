import { failure } from '../errors.ts';

/**
 * A strict reader of Prometheus's text exposition format 0.0.4 (what `lathe agent` serves at
 * /metrics, see main/agent/agent-metrics.ts): `# HELP`, `# TYPE`, other comments, blank lines,
 * and samples `name{label="value",…} value [timestamp]`. Anything else is refused with its line
 * number, so that a scrape of the wrong thing never becomes a series of made-up numbers.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface MetricsText {
  samples: Sample[];
  types: Map<string, MetricType>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** Larger than any agent's page by far; past it the reply is not read. */
export const MAX_METRICS_TEXT = 8 * 1024 * 1024;

export function parsePrometheusText(text: string, where: string): MetricsText {
  if (text.length > MAX_METRICS_TEXT) throw failure('TOO_LARGE', `The metrics at ${where} are ${text.length} characters, more than the ${MAX_METRICS_TEXT} Lathe reads.`);
  const samples: Sample[] = [];
  const types = new Map<string, MetricType>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const bad = (what: string) => failure('PARSE_ERROR', `The metrics at ${where} are not in Prometheus's text format: line ${index + 1}: ${what}.`, { location: { line: index + 1 } });
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const words = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!words) return; // a plain comment
      if (!NAME.test(words[2]!) || NAME.exec(words[2]!)![0] !== words[2]) throw bad(`"${words[2]!.slice(0, 80)}" is not a metric name`);
      if (words[1] === 'TYPE') {
        const type = (words[3] ?? '').trim() as MetricType;
        if (!TYPES.has(type)) throw bad(`unknown metric type "${type.slice(0, 40)}"`);
        if (types.has(words[2]!)) throw bad(`a second TYPE line for ${words[2]}`);
        types.set(words[2]!, type);
      }
      return;
    }
    const name = NAME.exec(line)?.[0];
    if (!name) throw bad('a sample must start with a metric name');
    let at = name.length;
    const labels: Record<string, string> = {};
    if (line[at] === '{') {
      at += 1;
      for (;;) {
        while (line[at] === ' ') at += 1;
        if (line[at] === '}') {
          at += 1;
          break;
        }
        const label = LABEL_NAME.exec(line.slice(at))?.[0];
        if (!label) throw bad(`a label name was expected at character ${at + 1}`);
        at += label.length;
        if (line[at] !== '=' || line[at + 1] !== '"') throw bad(`label ${label} needs ="value"`);
        at += 2;
        let value = '';
        for (;;) {
          const char = line[at];
          if (char === undefined) throw bad(`the value of label ${label} is not closed`);
          at += 1;
          if (char === '"') break;
          if (char === '\\') {
            const next = line[at];
            at += 1;
            if (next === '\\') value += '\\';
            else if (next === '"') value += '"';
            else if (next === 'n') value += '\n';
            else throw bad(`label ${label} has an unknown escape \\${next ?? ''}`);
          } else value += char;
        }
        if (Object.hasOwn(labels, label)) throw bad(`label ${label} appears twice`);
        labels[label] = value;
        while (line[at] === ' ') at += 1;
        if (line[at] === ',') at += 1;
        else if (line[at] !== '}') throw bad(`"," or "}" was expected after label ${label}`);
      }
    }
    const rest = line.slice(at).trim().split(/\s+/);
    if (line[at] !== ' ' && line[at] !== '\t') throw bad('a space must separate the sample from its value');
    if (rest.length < 1 || rest.length > 2 || rest[0] === '') throw bad('a sample is a name, optional labels, a value and an optional timestamp');
    const value = sampleValue(rest[0]!);
    if (value === null) throw bad(`"${rest[0]!.slice(0, 40)}" is not a number`);
    if (rest[1] !== undefined && !/^-?\d+$/.test(rest[1])) throw bad(`"${rest[1].slice(0, 40)}" is not a timestamp in milliseconds`);
    samples.push({ name, labels, value });
  });
  return { samples, types };
}

function sampleValue(text: string): number | null {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  return Number(text);
}
