import type { z } from 'zod';
import { PipelineSpec, type PipelineProblem, type PipelineStep } from '../contract/pipelines.ts';
import { locate, syntaxErrorPosition, valueOffsets, type JsonPath } from './json-locations.ts';

/**
 * Check a pipeline's text as a person wrote it: JSON syntax (with the line where it broke), the
 * schema (every issue, at its line), then what the schema cannot see — duplicate step ids and
 * `from` naming a step that does not exist or does not come earlier. Shared by the core (save,
 * run, `lathe pipeline validate`) and the editor, which shows the same problems as you type.
 */
export interface PipelineCheck {
  /** Null when there is any error. */
  spec: PipelineSpec | null;
  problems: PipelineProblem[];
}

/** What each kind of step may take its input `from`. */
const sources: Record<PipelineStep['kind'], readonly PipelineStep['kind'][]> = {
  import: [],
  train: ['import'],
  gates: ['register'],
  register: ['train'],
  deploy: ['register', 'gates'],
};

export function checkPipelineText(text: string): PipelineCheck {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const where = syntaxErrorPosition(text, message) ?? { line: 1, column: 1 };
    const said = message.replace(/\s*\(line \d+ column \d+\)$/, '');
    return { spec: null, problems: [{ severity: 'error', path: '', ...where, message: text.trim() === '' ? 'The file is empty: a pipeline is a JSON object with "schemaVersion" and "steps".' : `Not valid JSON: ${said}` }] };
  }
  const offsets = valueOffsets(text);
  const problem = (severity: PipelineProblem['severity'], path: JsonPath, message: string): PipelineProblem => ({
    severity,
    path: path.map(String).join('.'),
    ...locate(text, offsets, path),
    message,
  });

  const parsed = PipelineSpec.safeParse(raw);
  if (!parsed.success) {
    // Links between steps are checked too, so one pass over the file shows every problem.
    const schema = schemaProblems(parsed.error, problem);
    const reported = new Set(schema.map((p) => p.path));
    const links = linkProblems(linkedSteps(raw), problem).filter((p) => !reported.has(p.path));
    return { spec: null, problems: inReadingOrder([...schema, ...links]) };
  }

  const problems = inReadingOrder([...linkProblems(parsed.data.steps, problem), ...stepProblems(parsed.data, problem)]);
  return { spec: problems.some((p) => p.severity === 'error') ? null : parsed.data, problems };
}

function inReadingOrder(problems: PipelineProblem[]): PipelineProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

interface LinkedStep {
  id: string;
  kind: string;
  from?: string | undefined;
}

/** The steps of a file the schema refused, as far as their ids and links can be read. */
function linkedSteps(raw: unknown): LinkedStep[] | null {
  const steps = (raw as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return null;
  const linked: LinkedStep[] = [];
  for (const step of steps) {
    const { id, kind, from } = (step ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || typeof kind !== 'string' || (from !== undefined && typeof from !== 'string')) return null;
    linked.push({ id, kind, from });
  }
  return linked;
}

/** Duplicate ids, and `from` naming itself, no step, a later step or a step of the wrong kind. */
function linkProblems(steps: readonly LinkedStep[] | null, problem: (severity: PipelineProblem['severity'], path: JsonPath, message: string) => PipelineProblem): PipelineProblem[] {
  const problems: PipelineProblem[] = [];
  const firstIndex = new Map<string, number>();
  steps?.forEach((step, index) => {
    const at = (...rest: (string | number)[]) => ['steps', index, ...rest];
    const earlier = firstIndex.get(step.id);
    if (earlier !== undefined) problems.push(problem('error', at('id'), `Two steps are called "${step.id}" (steps ${earlier + 1} and ${index + 1}); each step needs its own id.`));
    else firstIndex.set(step.id, index);

    if (step.from === undefined) return;
    const source = firstIndex.get(step.from);
    const later = steps.findIndex((other) => other.id === step.from);
    if (step.from === step.id) problems.push(problem('error', at('from'), `Step "${step.id}" cannot use its own output.`));
    else if (source === undefined && later === -1) problems.push(problem('error', at('from'), `There is no step "${step.from}"; steps are ${steps.map((s) => `"${s.id}"`).join(', ')}.`));
    else if (source === undefined) problems.push(problem('error', at('from'), `Step "${step.from}" comes after "${step.id}" (step ${later + 1} of ${steps.length}); steps run in order, so a step can only use an earlier step's output. Move "${step.from}" before it.`));
    else {
      const kind = steps[source]!.kind;
      const takes = sources[step.kind as PipelineStep['kind']] as readonly string[] | undefined;
      if (takes && !takes.includes(kind)) problems.push(problem('error', at('from'), `A ${step.kind} step takes its input from ${takes.map((k) => `a ${k} step`).join(' or ')}; "${step.from}" is ${kind === 'import' ? 'an' : 'a'} ${kind} step.`));
    }
  });
  return problems;
}

function schemaProblems(error: z.ZodError, problem: (severity: 'error', path: JsonPath, message: string) => PipelineProblem): PipelineProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path as (string | number)[];
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys;
      return problem('error', [...path, keys[0]!], `${keys.map((key) => `"${key}"`).join(', ')} ${keys.length === 1 ? 'is not a field' : 'are not fields'} here${hintFor(path)}`);
    }
    const field = path.at(-1);
    const message = issue.code === 'invalid_type' && issue.input === undefined ? `"${String(field)}" is missing` : issue.message;
    return problem('error', path, message);
  });
}

function hintFor(path: (string | number)[]): string {
  return path.at(-1) === 'params' ? ' (training params: model, epochs, batchSize, learningRate, hidden, activation, dropout, l2, seed, earlyStoppingPatience, classWeights, backend)' : '';
}

/** What each kind of step needs that the schema cannot say (one of two fields, a warning for deploy). */
function stepProblems(spec: PipelineSpec, problem: (severity: PipelineProblem['severity'], path: JsonPath, message: string) => PipelineProblem): PipelineProblem[] {
  const problems: PipelineProblem[] = [];
  spec.steps.forEach((step, index) => {
    const at = (...rest: (string | number)[]) => ['steps', index, ...rest];
    if (step.kind === 'import') {
      if (step.file !== undefined && step.dataset.includes('@')) problems.push(problem('error', at('dataset'), `"${step.dataset}": an import of a file makes the next version itself, so name the dataset without @ (or leave "file" out to use that existing version).`));
    } else if (step.kind === 'train') {
      if ((step.from === undefined) === (step.dataset === undefined)) problems.push(problem('error', at(), `Say what step "${step.id}" trains on: "from" an import step, or "dataset" (NAME or NAME@V) — one of the two.`));
    } else if (step.kind === 'gates') {
      if ((step.from === undefined) === (step.model === undefined)) problems.push(problem('error', at(), `Say what step "${step.id}" gates: "from" a register step, or "model" (NAME@V) — one of the two.`));
    } else if (step.kind === 'register') {
      if (step.from === undefined) problems.push(problem('error', at(), `Say which run step "${step.id}" registers: "from" a train step.`));
    } else {
      problems.push(problem('warning', at('kind'), 'Deploy steps are not built yet: the pipeline is checked with this step in it, but a run stops here (FAILED) when it reaches it.'));
    }
  });
  return problems;
}
