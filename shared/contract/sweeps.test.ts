import { describe, expect, it } from 'vitest';
import { fillPlaceholders, readSweepSpecText, SweepSpec } from './sweeps.ts';

const valid = {
  train: { kind: 'builtin', dataset: 'penguins', target: 'Species', fixed: { epochs: 2 } },
  method: 'random',
  metric: { name: 'val_loss', goal: 'minimize' },
  parameters: { learningRate: { min: 0.0001, max: 0.1, distribution: 'log_uniform' }, hidden: { values: [[8], [16, 8]] } },
  runCap: 4,
};

/** Every problem of a spec, as `path: message`. */
function problems(change: (spec: Record<string, unknown>) => void): string[] {
  const spec = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
  change(spec);
  const parsed = SweepSpec.safeParse(spec);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
const parameters = (spec: Record<string, unknown>) => spec.parameters as Record<string, unknown>;

describe('a sweep spec', () => {
  it('accepts a well-formed random search', () => {
    expect(problems(() => undefined)).toEqual([]);
  });

  it('refuses an empty search space', () => {
    expect(problems((spec) => (spec.parameters = {}))).toEqual(['parameters: the search space is empty: give at least one param to search']);
  });

  it('refuses min above max, naming the param', () => {
    expect(problems((spec) => (parameters(spec).learningRate = { min: 0.1, max: 0.001 }))).toContain('parameters.learningRate.min: min (0.1) is above max (0.001)');
  });

  it('refuses a log-uniform range that reaches 0', () => {
    expect(problems((spec) => (parameters(spec).l2 = { min: 0, max: 0.1, distribution: 'log_uniform' }))).toContain('parameters.l2.min: a log-uniform range needs min above 0 (it is 0)');
  });

  it('refuses a grid over a continuous range, and accepts one over values or whole numbers', () => {
    expect(problems((spec) => (spec.method = 'grid'))).toEqual([
      'parameters.learningRate: a grid needs values to enumerate; a continuous range has none: give values: [...], or use method "random"',
    ]);
    expect(problems((spec) => {
      spec.method = 'grid';
      parameters(spec).learningRate = { values: [0.1, 0.01] };
      parameters(spec).batchSize = { min: 8, max: 32, distribution: 'int_uniform' };
    })).toEqual([]);
  });

  it('refuses a run cap of 0, and a random search without one', () => {
    expect(problems((spec) => (spec.runCap = 0))).toEqual(['runCap: runCap is at least 1 (a sweep of no runs does nothing)']);
    expect(problems((spec) => delete spec.runCap)).toEqual(['runCap: a random search never ends by itself: give runCap']);
  });

  it('refuses what the built-in models would refuse, at the value that is wrong', () => {
    expect(problems((spec) => (parameters(spec).dropout = { values: [0.1, 0.95] }))).toEqual(['parameters.dropout.values.1: dropout is at most 0.9']);
    expect(problems((spec) => (parameters(spec).learningRate = { min: 0.001, max: 50 }))).toEqual(['parameters.learningRate.max: learningRate is at most 10']);
    expect(problems((spec) => (parameters(spec).batchSize = { min: 8, max: 64 }))).toEqual(['parameters.batchSize.distribution: batchSize is a whole number: use distribution "int_uniform"']);
    expect(problems((spec) => (parameters(spec).activation = { min: 0, max: 1 }))).toEqual(['parameters.activation: activation takes one of a few values, not a range: give values: [...]']);
  });

  it('refuses an unknown param, a param both fixed and searched, and MLP params for the linear model', () => {
    expect(problems((spec) => (parameters(spec).momentum = { values: [0.9] }))[0]).toMatch(/^parameters.momentum: momentum is not a knob of the built-in models/);
    expect(problems((spec) => (parameters(spec).epochs = { values: [2, 3] }))).toEqual(['parameters.epochs: epochs is also fixed in train.fixed; a param is either searched or fixed']);
    expect(problems((spec) => ((spec.train as Record<string, unknown>).model = 'linear'))).toEqual(['parameters.hidden: hidden applies to the MLP only; the linear model has no hidden layers']);
  });

  it('refuses a value listed twice, a typo in a field, and a Bayesian method (not offered)', () => {
    expect(problems((spec) => (parameters(spec).hidden = { values: [[8], [8]] }))).toEqual(['parameters.hidden.values.1: [8] is listed twice']);
    expect(problems((spec) => (spec.runcap = 3))[0]).toMatch(/runcap/);
    expect(problems((spec) => (spec.method = 'bayes'))).toEqual(['method: method is "grid" or "random" (Bayesian search is not offered)']);
  });

  it('names the field of a range that is wrong, not just "neither shape matched"', () => {
    expect(problems((spec) => (parameters(spec).learningRate = { min: 0.001, max: 'lots' }))).toEqual(['parameters.learningRate.max: max is a number']);
    expect(problems((spec) => (parameters(spec).learningRate = { min: 0.001 }))).toEqual(['parameters.learningRate.max: give max (a range has min and max), or values: [...]']);
    expect(problems((spec) => (parameters(spec).dropout = { values: [0.1], min: 0 }))).toEqual(['parameters.dropout.min: give values or a range, not both (min with values)']);
  });

  it('refuses early termination without its settings', () => {
    expect(problems((spec) => (spec.earlyTerminate = { type: 'median' }))[0]).toMatch(/^earlyTerminate.minSteps/);
    expect(problems((spec) => (spec.earlyTerminate = { type: 'hyperband', minIter: 1, eta: 1 }))).toEqual(['earlyTerminate.eta: eta is at least 2']);
    expect(problems((spec) => (spec.earlyTerminate = { type: 'asha' }))).toEqual(['earlyTerminate.type: earlyTerminate.type is "median" or "hyperband"']);
  });

  it('refuses a grid too large to run', () => {
    expect(problems((spec) => {
      spec.method = 'grid';
      delete spec.runCap;
      spec.parameters = { batchSize: { min: 1, max: 2000, distribution: 'int_uniform' } };
    })).toEqual(['parameters: the grid has 2,000 points; at most 1000 are run (give fewer values, or a runCap)']);
  });
});

describe('a sweep spec as text', () => {
  it('says where JSON is broken, by line and column when the parser knows', () => {
    expect(readSweepSpecText('{\n  "method": "grid"\n  "metric": {}\n}').problems).toEqual([{ path: '', message: "not valid JSON: Expected ',' or '}' after property value", line: 3, column: 3 }]);
    expect(readSweepSpecText('   ').problems[0]!.message).toMatch(/the spec is empty/);
    expect(readSweepSpecText('x'.repeat(1_000_001)).problems[0]!.message).toMatch(/a sweep spec is at most 1,000,000/);
    expect(readSweepSpecText(JSON.stringify(valid))).toMatchObject({ problems: [], spec: { method: 'random' } });
  });
});

describe('a script sweep', () => {
  const script = { ...valid, train: { kind: 'script', command: ['python', 'train.py', '--lr=${lr}', '--layers', '${hidden}'] } };
  it('accepts any param its command uses, and fills each trial’s values in', () => {
    const spec = SweepSpec.parse({ ...script, parameters: { lr: { min: 0.001, max: 0.1, distribution: 'log_uniform' }, hidden: { values: [[8], [16, 8]] } } });
    expect(spec.train).toMatchObject({ kind: 'script' });
    expect(fillPlaceholders(['python', 'train.py', '--lr=${lr}', '--layers', '${hidden}'], { lr: 0.01, hidden: [16, 8] })).toEqual(['python', 'train.py', '--lr=0.01', '--layers', '16,8']);
  });

  it('refuses a param name a command line could not carry, and an empty command', () => {
    const bad = SweepSpec.safeParse({ ...script, train: { kind: 'script', command: ['train', '${a b}'] }, parameters: { 'a b': { values: [1] } } });
    expect(bad.success ? [] : bad.error.issues.map((issue) => issue.path.join('.'))).toEqual(['parameters.a b']);
    const empty = SweepSpec.safeParse({ ...script, train: { kind: 'script', command: [] } });
    expect(empty.success ? [] : empty.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toContain('train.command: name the command to run, like ["python", "train.py"]');
  });
});
