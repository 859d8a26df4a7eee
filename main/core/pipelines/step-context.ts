import type { CallName, InputOf, OutputOf } from '../../../shared/contract/calls.ts';
import type { StepOutputs } from '../../../shared/contract/pipelines.ts';
import type { EventHub } from '../events.ts';

/**
 * What a step may use. Every step does its work by calling the core's own calls (`call`), through
 * the same dispatch every front door uses: inputs checked against the contract, the same locks,
 * the same jobs — a pipeline can do nothing a person at the CLI could not.
 */
export interface StepContext {
  /** The workspace's folder (real path). */
  workspace: string;
  call: <N extends CallName>(name: N, input: InputOf<N>) => Promise<OutputOf<N>>;
  events: EventHub;
  /** Aborted when the pipeline run is cancelled. */
  signal: AbortSignal;
  /** A line for the step's log (shown live and kept in the run's record). */
  log(line: string): void;
  /** Record an output as soon as it exists (a run's id), so it is kept even if the step then fails. */
  note(outputs: StepOutputs): void;
  /** What an earlier step made (the spec was checked: it ran, and before this one). */
  outputsOf(stepId: string): StepOutputs;
  /** Where the step may write report files (JUnit, Markdown) for this run. */
  reportsDir: string;
  /** Record a report file the step wrote. */
  report(format: 'junit' | 'markdown', path: string): void;
  /** Files outside the workspace may be imported (CLI, desktop app) or not (`lathe serve`). */
  allowOutsideFiles: boolean;
}

/** Cancel an inner job (an import, a training run) when the pipeline run is cancelled. */
export function onCancel(context: StepContext, cancel: () => Promise<unknown>): () => void {
  const listener = () => void cancel().catch(() => undefined);
  context.signal.addEventListener('abort', listener, { once: true });
  return () => context.signal.removeEventListener('abort', listener);
}
