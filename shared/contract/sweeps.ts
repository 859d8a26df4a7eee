import { z } from 'zod';
import { DatasetName } from './datasets.ts';
import { defineCall, defineEvent } from './define.ts';
import { LatheError } from './result.ts';
import { ExperimentName, RunId, RunStatus } from './runs.ts';
import { ScriptCommand } from './script-runs.ts';
import { TrainingKnobs, TrainingTask } from './training.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Sweeps (main/core/sweeps): one training becomes a search. A spec names what to train (a
 * built-in model, or a script whose command takes each trial's values in `${param}` placeholders), the
 * search space of its params, how to search it (grid or random), the metric and its goal, how
 * many runs at most and at once, and when to stop a trial early (median stopping or Hyperband).
 * Each trial is an ordinary run tagged `lathe.sweep=<id>`.
 *
 *   { "train": { "kind": "builtin", "dataset": "penguins", "target": "species", "fixed": { "epochs": 5 } },
 *     "method": "random", "metric": { "name": "val_loss", "goal": "minimize" },
 *     "parameters": { "learningRate": { "min": 0.0001, "max": 0.1, "distribution": "log_uniform" },
 *                     "hidden": { "values": [[32], [64, 32]] } },
 *     "runCap": 20, "parallel": 2, "earlyTerminate": { "type": "median", "minSteps": 3 }, "seed": 7 }
 *
 * Bayesian search is not offered: a search that is no better than random (a GP or TPE done
 * badly) would be worse than saying so.
 */

/** The built-in model's knobs a sweep may search (model is chosen in `train`). */
export const sweepableKnobs = ['epochs', 'batchSize', 'learningRate', 'hidden', 'activation', 'dropout', 'l2', 'seed', 'earlyStoppingPatience', 'classWeights'] as const;
export type SweepableKnob = (typeof sweepableKnobs)[number];
/** Knobs that take whole numbers: a range over them must be int_uniform. */
export const wholeNumberKnobs: readonly SweepableKnob[] = ['epochs', 'batchSize', 'seed', 'earlyStoppingPatience'];
/** Knobs that take a number on a continuous scale. */
export const continuousKnobs: readonly SweepableKnob[] = ['learningRate', 'dropout', 'l2'];

/**
 * The metrics the built-in models log, with the direction that is better: every epoch the loss
 * and a second measure on the training and validation parts; at the end, the test metrics
 * (test_roc_auc for two classes only).
 */
export const builtinMetrics = {
  classification: {
    epoch: { loss: 'minimize', accuracy: 'maximize', val_loss: 'minimize', val_accuracy: 'maximize' },
    test: { test_accuracy: 'maximize', test_f1_macro: 'maximize', test_log_loss: 'minimize', test_roc_auc: 'maximize' },
  },
  regression: {
    epoch: { loss: 'minimize', mae: 'minimize', val_loss: 'minimize', val_mae: 'minimize' },
    test: { test_rmse: 'minimize', test_mae: 'minimize', test_r2: 'maximize' },
  },
} as const satisfies Record<z.infer<typeof TrainingTask>, { epoch: Record<string, 'minimize' | 'maximize'>; test: Record<string, 'minimize' | 'maximize'> }>;

/** The most trials one sweep may plan: a grid larger than this is refused, not truncated silently. */
export const MAX_SWEEP_TRIALS = 1000;
export const MAX_SWEEP_PARALLEL = 32;

export const SweepParamValue = z.union([z.number(), z.string().max(200), z.boolean(), z.array(z.number()).max(16)]);
export type SweepParamValue = z.infer<typeof SweepParamValue>;

export const Distribution = z.enum(['uniform', 'log_uniform', 'int_uniform']);
export type Distribution = z.infer<typeof Distribution>;

export interface ValuesSpace {
  values: SweepParamValue[];
}
export interface RangeSpace {
  min: number;
  max: number;
  /** Default uniform. */
  distribution?: Distribution | undefined;
}

/**
 * One param's space: `values: [...]`, or `min` and `max` with a distribution. Read as one object
 * (not a union of two) so that a wrong field is named, not just "neither shape matched".
 */
export const ParamSpace = z
  .strictObject({
    values: z.array(SweepParamValue).min(1, 'list at least one value').max(MAX_SWEEP_TRIALS).optional(),
    min: z.number({ error: 'min is a number' }).optional(),
    max: z.number({ error: 'max is a number' }).optional(),
    distribution: Distribution.optional(),
  })
  .superRefine((space, context) => {
    if (space.values !== undefined) {
      for (const key of ['min', 'max', 'distribution'] as const) {
        if (space[key] !== undefined) context.addIssue({ code: 'custom', path: [key], message: `give values or a range, not both (${key} with values)` });
      }
      return;
    }
    for (const key of ['min', 'max'] as const) {
      if (space[key] === undefined) context.addIssue({ code: 'custom', path: [key], message: `give ${key} (a range has min and max), or values: [...]` });
    }
  })
  .transform((space): ValuesSpace | RangeSpace =>
    space.values !== undefined ? { values: space.values } : { min: space.min!, max: space.max!, ...(space.distribution ? { distribution: space.distribution } : {}) },
  );
export type ParamSpace = z.output<typeof ParamSpace>;

export const BuiltinTrain = z.strictObject({
  kind: z.literal('builtin'),
  dataset: DatasetName,
  /** Default: the latest version (resolved when the sweep starts, so every trial trains on the same one). */
  version: z.number().int().positive().optional(),
  target: z.string().min(1, 'name the column to predict').max(1000),
  task: TrainingTask.optional(),
  model: z.enum(['linear', 'mlp']).optional(),
  /** Knobs every trial shares (the searched ones come from `parameters`). */
  fixed: TrainingKnobs.omit({ model: true }).strict().optional(),
  /** The experiment its runs go in; default the dataset's name. */
  experiment: ExperimentName.optional(),
});
export type BuiltinTrain = z.infer<typeof BuiltinTrain>;

/** `${name}` in a script's command: where a trial's value of param `name` goes. */
export const PLACEHOLDER = /\$\{([^}]*)\}/g;
/** A script's param name: what MLflow would accept as a param key, short. */
export const SCRIPT_PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export const ScriptTrain = z.strictObject({
  kind: z.literal('script'),
  /** The command (no shell), each trial's values put in its `${param}` placeholders: ["python", "train.py", "--lr", "${lr}"]. */
  command: ScriptCommand,
  /** Where it runs: a folder inside the workspace, relative to it (default: the workspace). */
  cwd: z.string().max(4096).optional(),
  /** The experiment its runs go in; default "Default", as lathe run's. */
  experiment: ExperimentName.optional(),
});
export type ScriptTrain = z.infer<typeof ScriptTrain>;

/** The placeholders a command holds, with the index of the word each is in. */
export function placeholdersOf(command: readonly string[]): { name: string; word: number }[] {
  return command.flatMap((word, index) => [...word.matchAll(PLACEHOLDER)].map((match) => ({ name: match[1]!, word: index })));
}

/** A command with a trial's values in its placeholders: numbers as JavaScript writes them, lists joined by commas. */
export function fillPlaceholders(command: readonly string[], params: Record<string, SweepParamValue>): string[] {
  return command.map((word) => word.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = params[name];
    return Array.isArray(value) ? value.join(',') : String(value);
  }));
}

export const EarlyTerminate = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      /** Stop a trial whose metric at a step is worse than the median of the ended trials' at that step. */
      type: z.literal('median'),
      /** Judge no trial before this step. */
      minSteps: z.number().int().min(1, 'minSteps is at least 1').max(100_000),
    }),
    z.strictObject({
      /** Asynchronous Hyperband: at steps minIter·eta^k a trial goes on only if it is in the best 1/eta of those that reached that step. */
      type: z.literal('hyperband'),
      minIter: z.number().int().min(1, 'minIter is at least 1').max(100_000),
      eta: z.number().int().min(2, 'eta is at least 2').max(10),
    }),
  ],
  { error: 'earlyTerminate.type is "median" or "hyperband"' },
);
export type EarlyTerminate = z.infer<typeof EarlyTerminate>;

export const SweepMetric = z.strictObject({
  name: z.string().min(1, 'name the metric').max(250),
  goal: z.enum(['minimize', 'maximize'], { error: 'goal is "minimize" or "maximize"' }),
});
export type SweepMetric = z.infer<typeof SweepMetric>;

export const SweepSpec = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    train: z.discriminatedUnion('kind', [BuiltinTrain, ScriptTrain], { error: 'train.kind is "builtin" (a built-in model) or "script" (a command)' }),
    method: z.enum(['grid', 'random'], { error: 'method is "grid" or "random" (Bayesian search is not offered)' }),
    metric: SweepMetric,
    parameters: z.record(z.string(), ParamSpace),
    /** The most trials to run; a grid stops when it is done or at the cap. Required for random. */
    runCap: z.number().int('runCap is a whole number').min(1, 'runCap is at least 1 (a sweep of no runs does nothing)').max(MAX_SWEEP_TRIALS, `runCap is at most ${MAX_SWEEP_TRIALS}`).optional(),
    /** Trials at once; default the machine's cores − 1, at least 1. */
    parallel: z.number().int('parallel is a whole number').min(1, 'parallel is at least 1').max(MAX_SWEEP_PARALLEL, `parallel is at most ${MAX_SWEEP_PARALLEL}`).optional(),
    earlyTerminate: EarlyTerminate.optional(),
    /** Random draws are the same for the same seed. Default: a fresh one, recorded in the sweep. */
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  })
  .superRefine((spec, context) => {
    const names = Object.keys(spec.parameters);
    if (names.length === 0) context.addIssue({ code: 'custom', path: ['parameters'], message: 'the search space is empty: give at least one param to search' });
    for (const name of names) checkParam(spec, name, spec.parameters[name]!, (message, ...rest) => context.addIssue({ code: 'custom', path: ['parameters', name, ...rest], message }));
    if (spec.train.kind === 'script') {
      for (const { name, word } of placeholdersOf(spec.train.command)) {
        if (!Object.hasOwn(spec.parameters, name)) context.addIssue({ code: 'custom', path: ['train', 'command', word], message: `\${${name}} is not a param of this sweep${names.length ? ` (its params: ${names.join(', ')})` : ''}` });
      }
    }
    if (spec.method === 'random' && spec.runCap === undefined) context.addIssue({ code: 'custom', path: ['runCap'], message: 'a random search never ends by itself: give runCap' });
    if (spec.method === 'grid') {
      const size = gridSize(spec.parameters);
      if (size !== null && size > MAX_SWEEP_TRIALS && (spec.runCap === undefined || spec.runCap > MAX_SWEEP_TRIALS)) {
        context.addIssue({ code: 'custom', path: ['parameters'], message: `the grid has ${size.toLocaleString('en')} points; at most ${MAX_SWEEP_TRIALS} are run (give fewer values, or a runCap)` });
      }
    }
  });
export type SweepSpec = z.infer<typeof SweepSpec>;

function checkParam(spec: { method: string; train: BuiltinTrain | ScriptTrain }, name: string, space: ParamSpace, issue: (message: string, ...path: (string | number)[]) => void): void {
  if (spec.train.kind === 'script') {
    if (!SCRIPT_PARAM_NAME.test(name)) issue(`a param name is a letter or _ then letters, digits, _ . or - (at most 64): "${name.slice(0, 80)}" is not`);
    else if (!placeholdersOf(spec.train.command).some((placeholder) => placeholder.name === name)) issue(`\${${name}} appears nowhere in train.command, so ${name} would change nothing`);
    checkSpace(spec.method, space, null, issue);
    return;
  }
  if (!(sweepableKnobs as readonly string[]).includes(name)) {
    issue(`${name} is not a knob of the built-in models; sweep one of ${sweepableKnobs.join(', ')}`);
    return;
  }
  if (spec.train.fixed && name in spec.train.fixed) issue(`${name} is also fixed in train.fixed; a param is either searched or fixed`);
  if (spec.train.model === 'linear' && ['hidden', 'activation', 'dropout'].includes(name)) issue(`${name} applies to the MLP only; the linear model has no hidden layers`);
  checkSpace(spec.method, space, name as SweepableKnob, issue);
}

/** Values and ranges: well formed, and (for a built-in knob) what training would accept. */
function checkSpace(method: string, space: ParamSpace, knobName: SweepableKnob | null, issue: (message: string, ...path: (string | number)[]) => void): void {
  const name = knobName ?? 'this param';
  const knob = knobName ? TrainingKnobs.shape[knobName] : null;
  if ('values' in space) {
    if (!Array.isArray(space.values)) return;
    const seen = new Set<string>();
    space.values.forEach((value, index) => {
      const checked = knob?.safeParse(value);
      if (checked && !checked.success) issue(checked.error.issues[0]?.message ?? `not a valid ${name}`, 'values', index);
      const key = JSON.stringify(value);
      if (seen.has(key)) issue(`${key} is listed twice`, 'values', index);
      seen.add(key);
    });
    return;
  }
  if (typeof space.min !== 'number' || typeof space.max !== 'number') return; // already refused where it is
  const distribution = space.distribution ?? 'uniform';
  const whole = knobName ? wholeNumberKnobs.includes(knobName) : distribution === 'int_uniform';
  if (knobName && !whole && !continuousKnobs.includes(knobName)) {
    issue(`${name} takes one of a few values, not a range: give values: [...]`);
    return;
  }
  if (space.min > space.max) issue(`min (${space.min}) is above max (${space.max})`, 'min');
  if (distribution === 'log_uniform' && space.min <= 0) issue(`a log-uniform range needs min above 0 (it is ${space.min})`, 'min');
  if (whole && distribution !== 'int_uniform') issue(`${name} is a whole number: use distribution "int_uniform"`, 'distribution');
  if (knobName && !whole && distribution === 'int_uniform') issue(`${name} is not a whole number: use "uniform" or "log_uniform"`, 'distribution');
  if (distribution === 'int_uniform' && (!Number.isInteger(space.min) || !Number.isInteger(space.max))) issue('an int_uniform range has whole-number ends', 'min');
  for (const end of ['min', 'max'] as const) {
    const checked = knob?.safeParse(space[end]);
    if (checked && !checked.success) issue(checked.error.issues[0]?.message ?? `not a valid ${name}`, end);
  }
  if (method === 'grid' && distribution !== 'int_uniform') issue('a grid needs values to enumerate; a continuous range has none: give values: [...], or use method "random"');
}

/** Points in the grid; null when a continuous range makes it infinite. */
export function gridSize(parameters: Record<string, ParamSpace>): number | null {
  let size = 1;
  for (const space of Object.values(parameters)) {
    if ('values' in space) size *= space.values.length;
    else if (space.distribution === 'int_uniform') size *= Math.max(0, Math.floor(space.max) - Math.ceil(space.min) + 1);
    else return null;
  }
  return size;
}

export const SweepId = z.string().regex(/^sweep-\d{8}T\d{6}Z-[0-9a-f]{6}$/, 'a sweep id looks like sweep-20260101T120000Z-a1b2c3');
export type SweepId = z.infer<typeof SweepId>;

export const SweepStatus = z.enum(['running', 'finished', 'cancelled', 'failed', 'interrupted']);
export type SweepStatus = z.infer<typeof SweepStatus>;

export const StoppedBy = z.enum(['median', 'hyperband', 'cancel']);

export const Trial = z.object({
  /** 1, 2, … in the order trials started. */
  number: z.number().int().positive(),
  runId: RunId.nullable(),
  params: z.record(z.string(), SweepParamValue),
  status: RunStatus,
  /** Why a KILLED trial was stopped: early termination, or the sweep's cancel. */
  stoppedBy: StoppedBy.nullable(),
  /** The sweep metric's last value (its final one once the trial has ended), and its step. */
  metric: z.number().nullable(),
  step: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type Trial = z.infer<typeof Trial>;

export const BestTrial = z.object({ number: z.number().int().positive(), runId: RunId, metric: z.number(), params: z.record(z.string(), SweepParamValue) });

export const SweepSummary = z.object({
  id: SweepId,
  name: z.string(),
  status: SweepStatus,
  method: z.enum(['grid', 'random']),
  metric: SweepMetric,
  /** Trials planned: the grid's size or the run cap, whichever is smaller. */
  planned: z.number().int().nonnegative(),
  parallel: z.number().int().positive(),
  seed: z.number().int().nonnegative(),
  counts: z.object({ running: z.number().int(), finished: z.number().int(), stopped: z.number().int(), failed: z.number().int() }),
  best: BestTrial.nullable(),
  experiment: z.string(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  error: LatheError.nullable(),
});
export type SweepSummary = z.infer<typeof SweepSummary>;

export const Sweep = SweepSummary.extend({ spec: SweepSpec, trials: z.array(Trial) });
export type Sweep = z.infer<typeof Sweep>;

export const sweepsCreate = defineCall(
  'sweeps:create',
  'Start a sweep from a spec: trials run as ordinary runs, a few at once, until the grid is done or the run cap is reached',
  z.object({ workspace: WorkspacePath, spec: SweepSpec, wait: z.boolean().optional() }),
  Sweep,
);

export const sweepsList = defineCall('sweeps:list', 'The sweeps of this workspace, newest first', z.object({ workspace: WorkspacePath, limit: z.number().int().min(1).max(1000).optional() }), z.array(SweepSummary));

export const sweepsGet = defineCall('sweeps:get', 'A sweep with its trials (params, status, metric) and the best so far', z.object({ workspace: WorkspacePath, id: SweepId }), Sweep);

export const sweepsCancel = defineCall('sweeps:cancel', 'Stop a running sweep: its running trials end KILLED (keeping what they logged) and no more start', z.object({ workspace: WorkspacePath, id: SweepId }), Sweep);

export const sweepsProgress = defineEvent('sweeps:progress', z.object({ workspace: WorkspacePath, sweep: Sweep }));

/** One problem of a sweep spec's text: the JSON path of the value (`parameters.learningRate.min`), or the line and column of a syntax error. */
export interface SweepSpecProblem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** The most bytes a sweep spec may have: a spec is a few hundred bytes; this refuses a wrong file at once. */
export const MAX_SWEEP_SPEC_BYTES = 1_000_000;

/**
 * Read a sweep spec from JSON text (a file, or what a person pasted): the spec, or every problem
 * with the JSON path where it is (or the line and column of a syntax error).
 */
export function readSweepSpecText(text: string): { spec: SweepSpec; problems: [] } | { spec: null; problems: SweepSpecProblem[] } {
  if (text.length > MAX_SWEEP_SPEC_BYTES) return { spec: null, problems: [{ path: '', message: `the spec is ${text.length.toLocaleString('en')} characters; a sweep spec is at most ${MAX_SWEEP_SPEC_BYTES.toLocaleString('en')}` }] };
  if (text.trim() === '') return { spec: null, problems: [{ path: '', message: 'the spec is empty: write a JSON object with train, method, metric and parameters' }] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const at = position ? lineAndColumn(text, Number(position[1])) : {};
    return { spec: null, problems: [{ path: '', message: `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '')}`, ...at }] };
  }
  const parsed = SweepSpec.safeParse(raw);
  if (parsed.success) return { spec: parsed.data, problems: [] };
  return { spec: null, problems: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) };
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
