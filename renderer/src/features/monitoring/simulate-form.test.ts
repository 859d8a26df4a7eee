import { describe, expect, it } from 'vitest';
import { initialDraft, readSimulateDraft, type SimulateDraft } from './simulate-form.ts';

const deployment = 'edge-1/penguin-species';
const filled: SimulateDraft = { ...initialDraft('penguins', '1'), rate: '40', duration: '10' };

describe('the Simulate traffic dialog, read into the call', () => {
  it('sends clean traffic with no labels by default', () => {
    expect(readSimulateDraft(filled, deployment)).toEqual({
      request: { deployment, dataset: 'penguins', version: 1, rate: 40, duration: 10, drift: [], labelsAfter: null, labelNoise: 0, seed: 1 },
    });
  });

  it('reads drift rows of each kind and labels with noise as a share', () => {
    const draft: SimulateDraft = {
      ...filled,
      drifts: [
        { column: ' Flipper Length (mm) ', kind: 'shift', by: '25', from: '', to: '' },
        { column: 'Body Mass (g)', kind: 'scale', by: '1.5', from: '', to: '' },
        { column: 'Island', kind: 'categories', by: '', from: 'Biscoe', to: 'Dream' },
      ],
      sendLabels: true,
      labelsAfter: '2',
      labelNoisePercent: '40',
    };
    const read = readSimulateDraft(draft, deployment);
    expect(read).toMatchObject({
      request: {
        drift: [
          { column: 'Flipper Length (mm)', kind: 'shift', by: 25 },
          { column: 'Body Mass (g)', kind: 'scale', by: 1.5 },
          { column: 'Island', kind: 'categories', from: 'Biscoe', to: 'Dream' },
        ],
        labelsAfter: 2,
        labelNoise: 0.4,
      },
    });
  });

  it('names each field that is wrong, in the contract’s words', () => {
    const read = readSimulateDraft(
      {
        ...filled,
        dataset: '',
        rate: '0',
        duration: '99999',
        drifts: [
          { column: '', kind: 'shift', by: '1', from: '', to: '' },
          { column: 'x', kind: 'scale', by: 'abc', from: '', to: '' },
        ],
        sendLabels: true,
        labelNoisePercent: '150',
      },
      deployment,
    );
    expect(read).toEqual({
      problems: {
        dataset: 'choose the dataset whose rows are sent',
        'drift.0': 'name the column to drift',
        'drift.1': 'scale takes a number, not "abc"',
        rate: 'the rate is requests per second, more than 0',
        duration: 'a simulation sends for at most 3600 s (an hour); run another one for more',
        labelNoisePercent: 'the label noise is a percentage from 0 to 100',
      },
    });
  });

  it('refuses an empty number rather than reading it as 0', () => {
    expect(readSimulateDraft({ ...filled, rate: '' }, deployment)).toEqual({ problems: { rate: 'give a number' } });
  });
});
