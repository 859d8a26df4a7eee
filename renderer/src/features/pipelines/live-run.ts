import type { PayloadOf } from '../../../../shared/contract/calls.ts';
import type { PipelineRun, PipelineSpec, PipelineStep, StepRun } from '../../../../shared/contract/pipelines.ts';

export type PipelineProgress = PayloadOf<'pipelines:progress'>;

/** A step's log as the page keeps it: the newest lines, like the record. */
export const MAX_SHOWN_LOG_LINES = 2000;

/**
 * A run as the page shows it while it goes: the last detail read from main, brought up to date
 * by each progress event (step states replaced, log lines appended). Events of other runs leave
 * it as it is.
 */
export function withProgress(run: PipelineRun, progress: PipelineProgress): PipelineRun {
  if (progress.run.id !== run.id) return run;
  const steps = progress.run.steps.map((step) => {
    const before = run.steps.find((s) => s.id === step.id);
    const log = before?.log ?? [];
    const added = progress.log?.step === step.id ? progress.log.lines : [];
    const joined = added.length ? [...log, ...added].slice(-MAX_SHOWN_LOG_LINES) : log;
    return { ...step, log: joined };
  });
  return { ...run, ...progress.run, steps };
}

/** A run that has not started: the spec's steps, all pending (what Run will do). */
export function plannedSteps(spec: PipelineSpec | null): (StepRun & { log: string[] })[] {
  return (spec?.steps ?? []).map((step) => ({ id: step.id, kind: step.kind, status: 'pending', startedAt: null, endedAt: null, durationMs: null, outputs: {}, error: null, log: [] }));
}

/** What a step of the spec does, in a line: `penguins.csv → penguins`, `mlp on data → Species`. */
export function stepSummary(step: PipelineStep | undefined): string {
  if (!step) return '';
  switch (step.kind) {
    case 'import':
      return step.file ? `${step.file} → ${step.dataset}` : `use ${step.dataset}`;
    case 'train':
      return `${step.params?.model ?? 'mlp'} on ${step.from ? `“${step.from}”` : step.dataset} → predicts ${step.target}`;
    case 'register':
      return `run of “${step.from}” → model ${step.name}`;
    case 'gates':
      return `${step.model ?? `version from “${step.from}”`}${step.against ? ` vs ${step.against}` : ''}${step.require?.length ? ` · ${step.require.join(', ')}` : ''}${step.alias ? ` · then @${step.alias}` : ''}`;
    case 'deploy':
      return `${step.target ?? 'a target'} (not built yet)`;
  }
}

/** What a step made, in a line. */
export function madeSummary(step: StepRun): string {
  const o = step.outputs;
  if (step.kind === 'import' && o.dataset !== undefined) return `${o.dataset}@${o.version}${o.file !== undefined && o.created === false ? ' (same bytes: no new version)' : ''}`;
  if (step.kind === 'train' && o.runId !== undefined) {
    const metric = ['test_accuracy', 'test_rmse'].find((key) => typeof o[key] === 'number');
    return `run ${String(o.runId).slice(0, 8)}${metric ? ` · ${metric.replace('test_', '')} ${(o[metric] as number).toFixed(3)}` : ''}`;
  }
  if (o.ref !== undefined) return `${o.ref}${o.outcome ? ` · ${o.outcome}` : ''}${o.alias ? ` · @${o.alias}` : ''}`;
  return '';
}

/** 0.4 s, 12.3 s, 2 m 05 s. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} m ${String(seconds % 60).padStart(2, '0')} s`;
}
