import { describe, expect, it } from 'vitest';
import { SweepSpec } from '../../../../shared/contract/sweeps.ts';
import { emptyDraft, newParam, problemsAt, specOfDraft, specText, type SweepDraft } from './sweep-draft.ts';

const draft = (change: Partial<SweepDraft> = {}): SweepDraft => ({ ...emptyDraft, dataset: 'penguins', target: 'Species', ...change });
const issues = (d: SweepDraft) => {
  const parsed = SweepSpec.safeParse(specOfDraft(d));
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
};

describe('the New sweep form', () => {
  it('writes a spec the contract accepts, fixed epochs and all', () => {
    const spec = specOfDraft(draft({ params: [newParam('learningRate'), newParam('hidden'), newParam('batchSize')], early: 'median', seed: '7' }));
    expect(SweepSpec.parse(spec)).toEqual({
      train: { kind: 'builtin', dataset: 'penguins', target: 'Species', model: 'mlp', fixed: { epochs: 5 } },
      method: 'random',
      metric: { name: 'val_loss', goal: 'minimize' },
      parameters: {
        learningRate: { min: 0.0001, max: 0.1, distribution: 'log_uniform' },
        hidden: { values: [[16], [32, 16]] },
        batchSize: { min: 16, max: 128, distribution: 'int_uniform' },
      },
      runCap: 8,
      seed: 7,
      earlyTerminate: { type: 'median', minSteps: 3 },
    });
  });

  it('leaves epochs out of fixed when it is searched', () => {
    expect(specOfDraft(draft({ params: [{ ...newParam('epochs'), mode: 'values', values: '2, 4' }] })).train).toEqual({ kind: 'builtin', dataset: 'penguins', target: 'Species', model: 'mlp' });
  });

  it('shows the contract’s problems at the fields that made them', () => {
    const problems = issues(draft({ method: 'grid', runCap: '0', params: [{ ...newParam('learningRate'), min: '0.5', max: 'lots' }] }));
    expect(problemsAt(problems, 'runCap')).toEqual([{ path: 'runCap', message: 'runCap is at least 1 (a sweep of no runs does nothing)' }]);
    expect(problemsAt(problems, 'parameters.learningRate').map((problem) => problem.path)).toContain('parameters.learningRate.max');
    expect(problemsAt(issues(draft({ dataset: '' })), 'train.dataset')).not.toEqual([]);
  });
});

describe('the spec as JSON', () => {
  it('keeps lists of numbers on one line and reads back the same', () => {
    const spec = specOfDraft(draft({ params: [newParam('hidden')], name: 'a [b] "c"' }));
    const text = specText(spec);
    expect(text).toContain('"values": [\n        [16],\n        [32, 16]\n      ]');
    expect(JSON.parse(text)).toEqual(spec);
  });
});
