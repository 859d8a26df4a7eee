import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dir.ts';
import { PipelineRunRecords, pipelineRunRecord, type PipelineRunRecord } from './pipeline-run-records.ts';
import { newRunRecord } from './run-pipeline.ts';

/** Pipeline run records on disk: what a restart finds. */
const tempDir = useTempDirs();

const spec = { schemaVersion: 1 as const, name: 'churn', steps: [{ id: 'data', kind: 'import' as const, dataset: 'penguins' }, { id: 'train', kind: 'train' as const, from: 'data', target: 'Species' }] };
const hash = `sha256:${'0'.repeat(64)}`;

function runningRecord(id: string, pid: number): PipelineRunRecord {
  const record = newRunRecord(id, spec, hash, null, Date.parse('2026-01-01T12:00:00Z'), { pid, host: hostname() });
  record.steps[0] = { ...record.steps[0]!, status: 'passed', outputs: { dataset: 'penguins', version: 1 } };
  record.steps[1] = { ...record.steps[1]!, status: 'running', startedAt: '2026-01-01T12:00:01.000Z' };
  return record;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('pipeline run records', () => {
  it('marks a run whose process died as interrupted when it is next read, keeping what its steps made', async () => {
    const latheDir = await tempDir();
    const records = new PipelineRunRecords(latheDir, new Set());
    await records.write(runningRecord('20260101T120000Z-aaaaaa', deadPid()));

    const [listed] = await records.list(10);
    expect(listed).toMatchObject({ status: 'interrupted', jobId: null, error: { code: 'CANCELLED', message: expect.stringMatching(/ended before it finished, during step "train"/) } });
    expect(listed!.steps.map((step) => step.status)).toEqual(['passed', 'cancelled']);
    expect(listed!.steps[0]!.outputs).toEqual({ dataset: 'penguins', version: 1 });
    // `lathe pipeline runs` and the Pipelines page show where it stopped, and how long that step ran.
    expect(listed!.failedStep).toBe('train');
    expect(listed!.steps[1]!.durationMs).toBe(Date.parse(listed!.steps[1]!.endedAt!) - Date.parse('2026-01-01T12:00:01.000Z'));
    // Written back, so it says interrupted to everyone from now on.
    const onDisk = pipelineRunRecord.parse(await readFile(join(latheDir, 'pipeline-runs', '20260101T120000Z-aaaaaa.json'), 'utf8'), 'record');
    expect(onDisk.status).toBe('interrupted');
  });

  it('leaves a run alone while its process runs it, and marks one this process no longer runs', async () => {
    const latheDir = await tempDir();
    const live = new Set(['20260101T120000Z-bbbbbb']);
    const records = new PipelineRunRecords(latheDir, live);
    await records.write(runningRecord('20260101T120000Z-bbbbbb', process.pid));
    await records.write(runningRecord('20260101T120000Z-cccccc', process.pid));
    const byId = Object.fromEntries((await records.list(10)).map((run) => [run.id, run.status]));
    expect(byId).toEqual({ '20260101T120000Z-bbbbbb': 'running', '20260101T120000Z-cccccc': 'interrupted' });
    expect((await records.running()).map((run) => run.id)).toEqual(['20260101T120000Z-bbbbbb']);
  });

  it('lists newest first, leaves out a damaged record, and says which id does not exist', async () => {
    const latheDir = await tempDir();
    const records = new PipelineRunRecords(latheDir, new Set());
    const ended = (id: string) => ({ ...runningRecord(id, process.pid), status: 'passed' as const, owner: null });
    await records.write(ended('20260101T120000Z-000001'));
    await records.write(ended('20260102T120000Z-000002'));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(latheDir, 'pipeline-runs', '20260103T120000Z-000003.json'), '{"schemaVersion": 1, "id": ');
    expect((await records.list(10)).map((run) => run.id)).toEqual(['20260102T120000Z-000002', '20260101T120000Z-000001']);
    await expect(records.read('20260103T120000Z-000003')).rejects.toMatchObject({ error: { code: 'PARSE_ERROR' } });
    await expect(records.read('20260104T120000Z-000004')).rejects.toMatchObject({ error: { code: 'NOT_FOUND', message: 'There is no pipeline run 20260104T120000Z-000004 in this workspace.' } });
  });

  it('refuses a record written by a newer Lathe', async () => {
    const text = pipelineRunRecord.serialize({ ...runningRecord('20260101T120000Z-dddddd', 1), owner: null }).replace('"schemaVersion": 1', '"schemaVersion": 7');
    expect(() => pipelineRunRecord.parse(text, 'r.json')).toThrow(/newer Lathe/);
  });
});
