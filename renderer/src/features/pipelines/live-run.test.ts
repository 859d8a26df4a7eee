import { describe, expect, it } from 'vitest';
import type { PipelineRun } from '../../../../shared/contract/pipelines.ts';
import { formatDuration, madeSummary, withProgress, type PipelineProgress } from './live-run.ts';

const base: PipelineRun = {
  id: '20260101T120000Z-aaaaaa',
  pipeline: 'p',
  status: 'running',
  specHash: `sha256:${'0'.repeat(64)}`,
  commit: null,
  startedAt: '2026-01-01T12:00:00.000Z',
  endedAt: null,
  durationMs: null,
  jobId: 'job-000000000001',
  failedStep: null,
  error: null,
  steps: [
    { id: 'data', kind: 'import', status: 'running', startedAt: '2026-01-01T12:00:00.000Z', endedAt: null, durationMs: null, outputs: {}, error: null, log: ['Importing x.csv'] },
    { id: 'train', kind: 'train', status: 'pending', startedAt: null, endedAt: null, durationMs: null, outputs: {}, error: null, log: [] },
  ],
  made: { datasets: [], runs: [], models: [], gates: [] },
  reports: [],
};

const summaryOf = (run: PipelineRun): PipelineProgress['run'] => ({ ...run, steps: run.steps.map(({ log: _log, ...step }) => step) });

describe('a run followed live', () => {
  it('takes the step states of each event and appends the lines it logged', () => {
    const passed = { ...base, steps: [{ ...base.steps[0]!, status: 'passed' as const, durationMs: 400, outputs: { dataset: 'x', version: 2, created: true, file: 'x.csv' } }, base.steps[1]!] };
    const next = withProgress(base, { workspace: '/w', run: summaryOf(passed), log: { step: 'data', lines: ['Made x@2'] } });
    expect(next.steps[0]).toMatchObject({ status: 'passed', durationMs: 400, log: ['Importing x.csv', 'Made x@2'] });
    expect(next.steps[1]!.log).toEqual([]);
    expect(madeSummary(next.steps[0]!)).toBe('x@2');
  });

  it('ignores another run', () => {
    const other = { ...base, id: '20260101T120000Z-bbbbbb', status: 'failed' as const };
    expect(withProgress(base, { workspace: '/w', run: summaryOf(other), log: null })).toBe(base);
  });

  it('says durations the way a person reads them', () => {
    expect([formatDuration(null), formatDuration(412), formatDuration(12_345), formatDuration(125_000)]).toEqual(['', '0.4 s', '12.3 s', '2 m 05 s']);
  });
});
