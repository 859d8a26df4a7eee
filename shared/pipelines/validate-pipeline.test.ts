import { describe, expect, it } from 'vitest';
import { checkPipelineText } from './validate-pipeline.ts';

const spec = (steps: unknown[]) => JSON.stringify({ schemaVersion: 1, name: 'churn', steps }, null, 2);
const importStep = { id: 'data', kind: 'import', file: 'data/penguins.csv', dataset: 'penguins' };
const trainStep = { id: 'train', kind: 'train', from: 'data', target: 'species', params: { model: 'linear', epochs: 5 } };

describe('checking a pipeline as written', () => {
  it('accepts import → train → register → gates and returns the spec', () => {
    const checked = checkPipelineText(spec([importStep, trainStep, { id: 'register', kind: 'register', from: 'train', name: 'penguins' }, { id: 'gates', kind: 'gates', from: 'register', alias: 'challenger' }]));
    expect(checked.problems).toEqual([]);
    expect(checked.spec?.steps.map((step) => step.kind)).toEqual(['import', 'train', 'register', 'gates']);
  });

  it('gates a registered version, not a bare run: gates run on NAME@V', () => {
    const { problems } = checkPipelineText(spec([importStep, trainStep, { id: 'gates', kind: 'gates', from: 'train' }]));
    expect(problems).toEqual([expect.objectContaining({ path: 'steps.2.from', message: 'A gates step takes its input from a register step; "train" is a train step.' })]);
    expect(checkPipelineText(spec([{ id: 'gates', kind: 'gates', model: 'penguins@champion', alias: 'Champion' }])).problems[0]).toMatchObject({ path: 'steps.0.alias' });
    expect(checkPipelineText(spec([{ id: 'gates', kind: 'gates', model: 'penguins@2', require: ['accuracy>=0.9', 'acuracy>=0.9'] }])).problems).toEqual([
      expect.objectContaining({ path: 'steps.0.require.1', message: expect.stringMatching(/"acuracy" is not a metric a gate knows/) }),
    ]);
  });

  it('says where the JSON broke, by line and column', () => {
    const text = '{\n  "schemaVersion": 1,\n  "steps": [\n    { "id": "data" "kind": "import" }\n  ]\n}\n';
    const { spec: parsed, problems } = checkPipelineText(text);
    expect(parsed).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', line: 4, path: '' });
    expect(problems[0]!.message).toMatch(/^Not valid JSON/);
  });

  it('names broken links between steps in the same pass as schema problems, so one round of fixes is enough', () => {
    const text = spec([{ ...importStep, dataset: '../pw' }, { id: 'register', kind: 'register', from: 'train', name: 'x' }, { id: 'register', kind: 'gates', from: 'nowhere' }]);
    const { spec: parsed, problems } = checkPipelineText(text);
    expect(parsed).toBeNull();
    expect(problems.map((problem) => [problem.path, problem.message.slice(0, 40)])).toEqual([
      ['steps.0.dataset', '"../pw" is not a dataset: use letters, d'],
      ['steps.1.from', 'There is no step "train"; steps are "dat'],
      ['steps.2.id', 'Two steps are called "register" (steps 2'],
      ['steps.2.from', 'There is no step "nowhere"; steps are "d'],
    ]);
    // A step whose id or link cannot be read is left to the schema's own problem.
    expect(checkPipelineText(spec([{ id: 7, kind: 'import' }, { id: 'b', kind: 'train', from: 'a' }])).problems.every((problem) => !problem.message.startsWith('There is no step'))).toBe(true);
  });

  it('calls an empty file empty', () => {
    expect(checkPipelineText('  \n').problems[0]!.message).toMatch(/file is empty/);
  });

  it('lists every schema problem at its own line, naming the field', () => {
    const text = spec([importStep, { id: 'train', kind: 'train', from: 'data', params: { model: 'mlp', epoch: 5 } }, { id: 'Bad Id', kind: 'teleport' }]);
    const { problems } = checkPipelineText(text);
    const lines = text.split('\n');
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(byPath['steps.1.target']?.message).toBe('"target" is missing');
    expect(byPath['steps.1.params.epoch']?.message).toMatch(/"epoch" is not a field here \(training params: model, epochs/);
    expect(lines[byPath['steps.1.params.epoch']!.line - 1]).toContain('"epoch"');
    expect(byPath['steps.2.kind']?.message).toBe('"kind" is one of import, train, gates, register, deploy');
    expect(lines[byPath['steps.2.kind']!.line - 1]).toContain('"teleport"');
  });

  it('refuses a step that names a step that does not exist', () => {
    const { spec: parsed, problems } = checkPipelineText(spec([importStep, { ...trainStep, from: 'dta' }]));
    expect(parsed).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ path: 'steps.1.from', message: 'There is no step "dta"; steps are "data", "train".' })]);
  });

  it('refuses forward references and cycles: steps run in order', () => {
    const forward = checkPipelineText(spec([{ ...trainStep, from: 'data' }, importStep]));
    expect(forward.problems[0]).toMatchObject({ path: 'steps.0.from' });
    expect(forward.problems[0]!.message).toMatch(/"data" comes after "train" \(step 2 of 2\); steps run in order/);
    const cycle = checkPipelineText(spec([importStep, { id: 'a', kind: 'register', from: 'b', name: 'm' }, { id: 'b', kind: 'train', from: 'a', target: 'x' }]));
    expect(cycle.spec).toBeNull();
    expect(cycle.problems.map((p) => p.path)).toEqual(['steps.1.from', 'steps.2.from']);
    const self = checkPipelineText(spec([importStep, { ...trainStep, id: 'train', from: 'train' }]));
    expect(self.problems[0]!.message).toBe('Step "train" cannot use its own output.');
  });

  it('refuses a source of the wrong kind and duplicate ids', () => {
    const { problems } = checkPipelineText(spec([importStep, { id: 'data', kind: 'register', from: 'data', name: 'm' }]));
    expect(problems.map((p) => p.message)).toEqual([
      'Two steps are called "data" (steps 1 and 2); each step needs its own id.',
      'Step "data" cannot use its own output.',
    ]);
    const wrongKind = checkPipelineText(spec([importStep, { id: 'reg', kind: 'register', from: 'data', name: 'm' }]));
    expect(wrongKind.problems[0]!.message).toBe('A register step takes its input from a train step; "data" is an import step.');
  });

  it('asks for exactly one source for a train step', () => {
    const both = checkPipelineText(spec([importStep, { ...trainStep, dataset: 'penguins@1' }]));
    expect(both.problems[0]!.message).toMatch(/"from" an import step, or "dataset" \(NAME or NAME@V\) — one of the two/);
    const neither = checkPipelineText(spec([{ id: 'train', kind: 'train', target: 'species' }]));
    expect(neither.spec).toBeNull();
  });

  it('accepts a deploy step with a warning that it will not run yet', () => {
    const { spec: parsed, problems } = checkPipelineText(spec([importStep, trainStep, { id: 'reg', kind: 'register', from: 'train', name: 'm' }, { id: 'ship', kind: 'deploy', from: 'reg' }]));
    expect(parsed).not.toBeNull();
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', path: 'steps.3.kind', message: expect.stringMatching(/^Deploy steps are not built yet/) })]);
  });

  it('refuses a newer schemaVersion and a version in an import of a file', () => {
    expect(checkPipelineText(spec([importStep]).replace('"schemaVersion": 1', '"schemaVersion": 2')).problems[0]!.message).toMatch(/schemaVersion is 1/);
    expect(checkPipelineText(spec([{ ...importStep, dataset: 'penguins@2' }])).problems[0]!.message).toMatch(/name the dataset without @/);
  });

  it('survives hostile text: deep nesting, a huge step list', () => {
    const deep = `{ "schemaVersion": 1, "steps": [${'['.repeat(100_000)}${']'.repeat(100_000)}] }`;
    expect(checkPipelineText(deep).problems[0]).toMatchObject({ severity: 'error', path: 'steps.0', line: 1 });
    const many = spec(Array.from({ length: 51 }, (_, index) => ({ id: `s${index}`, kind: 'import', dataset: 'penguins' })));
    expect(checkPipelineText(many).problems).toEqual([expect.objectContaining({ path: 'steps', message: 'a pipeline has at most 50 steps' })]);
  });
});
