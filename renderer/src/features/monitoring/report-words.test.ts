import { describe, expect, it } from 'vitest';
import type { RecorderStats } from '../../../../shared/contract/monitoring.ts';
import { conceptFact, freshnessFact, recorderFact, referenceFact, testMetricOf } from './report-words.ts';

const healthy: RecorderStats = { recorded: 1250, sampledOut: 0, dropped: 0, droppedBy: { 'store-full': 0, 'disk-error': 0, 'queue-full': 0 }, labelled: 300, storeBytes: 10_000, oldestAt: null, problem: null };
const reference = { model: 'penguin-species', version: 3, dataset: 'penguins@3', datasetRows: 344, createdAt: '2026-11-30T10:00:00Z' };

describe('the deployment header in words', () => {
  it('names the reference dataset and its rows, or says plainly why drift is not judged', () => {
    expect(referenceFact({ reference, referenceProblem: null })).toEqual({ text: 'penguins@3 (344 rows)', tone: 'plain' });
    expect(referenceFact({ reference: null, referenceProblem: 'the reference penguins@3 cannot be read: its bytes are not in this machine’s store' })).toEqual({
      text: 'the reference penguins@3 cannot be read: its bytes are not in this machine’s store',
      tone: 'bad',
    });
    expect(referenceFact({ reference: null, referenceProblem: null }).text).toContain('drift is not judged');
  });

  it('says dropped records loudly, with why, and quietly what was kept', () => {
    expect(recorderFact(healthy)).toEqual({ text: '1,250 predictions recorded, 300 labels joined', tone: 'plain' });
    const full = recorderFact({ ...healthy, dropped: 42, droppedBy: { 'store-full': 0, 'disk-error': 40, 'queue-full': 2 }, problem: 'ENOSPC: the disk is full' });
    expect(full.tone).toBe('bad');
    expect(full.text).toBe('42 records DROPPED (40 disk error, 2 queue full) — ENOSPC: the disk is full. 1,250 predictions recorded, 300 labels joined');
    expect(recorderFact({ ...healthy, problem: 'the store was moved aside' }).tone).toBe('bad');
  });

  it('gives DDM and ADWIN their state, warning or drift raised above stable', () => {
    const at = (iso: string) => `at ${iso}`;
    const stable = { state: 'stable' as const, seen: 200, lastDriftAt: null };
    expect(conceptFact({ ddm: { ...stable, seen: 0 }, adwin: { ...stable, seen: 0 } }, at)).toEqual({ text: 'DDM: no labels yet · ADWIN: no labels yet', tone: 'plain' });
    expect(conceptFact({ ddm: { ...stable, state: 'warning' }, adwin: stable }, at).tone).toBe('warn');
    expect(conceptFact({ ddm: stable, adwin: { state: 'drift', seen: 200, lastDriftAt: 'T' } }, at)).toEqual({ text: 'DDM: stable · ADWIN: drift (last drift at T)', tone: 'bad' });
  });

  it('says when the agent was unreachable and the page shows what was kept', () => {
    expect(freshnessFact({ stale: false, problem: null, fetchedAt: 'T' }, String)).toBeNull();
    expect(freshnessFact({ stale: true, problem: 'edge-1 did not answer at http://127.0.0.1:9', fetchedAt: 'T' }, String)).toEqual({
      text: 'The agent could not be asked: edge-1 did not answer at http://127.0.0.1:9. Showing what the workspace kept, fetched T.',
      tone: 'bad',
    });
  });

  it('takes the test split’s accuracy, else its RMSE, as the line live numbers are compared with', () => {
    expect(testMetricOf({ test_macro_f1: 0.9, test_accuracy: 0.97 })).toEqual({ name: 'accuracy', value: 0.97 });
    expect(testMetricOf({ test_rmse: 3.2, test_mae: 2, accuracy: 0.5 })).toEqual({ name: 'rmse', value: 3.2 });
    expect(testMetricOf({ test_accuracy: Number.NaN })).toBeNull();
    expect(testMetricOf({})).toBeNull();
  });
});
