import { describe, expect, it } from 'vitest';
import { readSettingsForm } from './settings-form.ts';

describe('the monitoring settings form', () => {
  it('reads windows by count or time, rows needed and the sampled share', () => {
    expect(readSettingsForm({ kind: 'count', size: '50', minRows: '20', samplePercent: '100' })).toEqual({ patch: { window: { kind: 'count', rows: 50 }, minRows: 20, sampleRate: 1 } });
    expect(readSettingsForm({ kind: 'time', size: '60', minRows: '30', samplePercent: '25' })).toEqual({ patch: { window: { kind: 'time', seconds: 60 }, minRows: 30, sampleRate: 0.25 } });
  });

  it('names the field that is out of range, and refuses an empty one', () => {
    expect(readSettingsForm({ kind: 'count', size: '5', minRows: '20', samplePercent: '100' })).toEqual({ problem: 'Check the window size: 10 to 1,000,000 predictions.' });
    expect(readSettingsForm({ kind: 'count', size: '50', minRows: '20', samplePercent: '0' })).toEqual({ problem: 'Check the sample: more than 0 % up to 100 %.' });
    expect(readSettingsForm({ kind: 'count', size: '50', minRows: '', samplePercent: '100' })).toEqual({ problem: 'Check the minimum rows: 1 to 100,000.' });
  });
});
