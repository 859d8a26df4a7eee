import { useEffect, useRef, useState } from 'react';
import type { PipelineSpec, StepRunWithLog } from '../../../../shared/contract/pipelines.ts';
import { InlineCodeText } from '../../components/inline-code-text.tsx';
import { formatDuration, madeSummary, stepSummary } from './live-run.ts';
import { MadeLinks } from './made-links.tsx';

const statusWords: Record<StepRunWithLog['status'], string> = {
  pending: 'Pending',
  running: 'Running',
  passed: 'Passed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
};

/** The steps in order, each with its status, duration, what it made and its log. */
export function StepList({ runId, steps, spec }: { runId: string | null; steps: readonly StepRunWithLog[]; spec: PipelineSpec | null }) {
  return (
    <ol className="step-list" aria-label="Steps">
      {steps.map((step, index) => (
        <StepItem key={`${runId ?? 'planned'}:${step.id}`} step={step} index={index} summary={stepSummary(spec?.steps.find((s) => s.id === step.id && s.kind === step.kind))} />
      ))}
    </ol>
  );
}

function StepItem({ step, index, summary }: { step: StepRunWithLog; index: number; summary: string }) {
  const [open, setOpen] = useState<boolean | null>(null);
  // Open while it runs, and when it failed with more to read than the error shown above the log.
  const shown = open ?? (step.status === 'running' || (step.status === 'failed' && step.log.length > 1));
  const log = useRef<HTMLPreElement>(null);
  useEffect(() => {
    // Follow the newest line while the step runs.
    if (shown && step.status === 'running' && log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [shown, step.status, step.log.length]);
  const made = madeSummary(step);
  return (
    <li className="step" data-status={step.status} aria-label={`Step ${step.id}: ${statusWords[step.status]}`}>
      <div className="step__row">
        <span className="step__marker" aria-hidden="true">
          {step.status === 'passed' ? '✓' : step.status === 'failed' ? '✕' : step.status === 'skipped' || step.status === 'cancelled' ? '–' : index + 1}
        </span>
        <div className="step__what">
          <div className="step__title">
            <span className="step__id">{step.id}</span>
            <span className="step__kind">{step.kind}</span>
            {summary ? <span className="step__summary">{summary}</span> : null}
          </div>
          {made || step.error ? (
            <div className="step__made">
              {made ? <MadeLinks step={step} /> : null}
              {step.error && step.status !== 'passed' ? (
                <span className="step__error">
                  <InlineCodeText text={step.error.message} />
                </span>
              ) : null}
            </div>
          ) : null}
        </div>
        <span className="step__status">{statusWords[step.status]}</span>
        <span className="step__duration">{formatDuration(step.durationMs)}</span>
        {step.log.length === 0 ? (
          <span className="step__no-log">no log</span>
        ) : (
          <button type="button" className="button button--ghost button--small" aria-expanded={shown} onClick={() => setOpen(!shown)}>
            {shown ? 'Hide log' : `Log (${step.log.length})`}
          </button>
        )}
      </div>
      {shown && step.log.length > 0 ? (
        <pre className="step__log" ref={log} aria-label={`Log of ${step.id}`}>
          {step.log.join('\n')}
        </pre>
      ) : null}
    </li>
  );
}
