import { join } from 'node:path';
import type { GateReport } from '../../../shared/contract/gates.ts';
import type { PipelineStep, StepOutputs } from '../../../shared/contract/pipelines.ts';
import { failure } from '../errors.ts';
import { gateReportJunit, gateReportMarkdown } from '../gates/report-files.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import type { StepContext } from './step-context.ts';

type GatesStep = Extract<PipelineStep, { kind: 'gates' }>;

/**
 * A gates step: run the release gates (gates:run) on the version a register step made (or a
 * named one), write the same JUnit and Markdown reports `lathe gates run` writes, log every
 * check, and fail when any check fails — so nothing after it (an alias, a deploy) happens. When
 * it passes and names an `alias`, that alias moves to the version (a challenger, ready for a
 * person to promote).
 */
export async function runGatesStep(step: GatesStep, context: StepContext): Promise<StepOutputs> {
  const ref = step.model ?? String(context.outputsOf(step.from!).ref);
  context.signal.throwIfAborted();
  context.log(`Running the gates of ${ref}${step.against ? ` against ${step.against}` : ''}`);
  const report = await context.call('gates:run', { workspace: context.workspace, ref, ...(step.against ? { against: step.against } : {}), ...(step.require?.length ? { require: step.require } : {}) });
  for (const check of report.checks) context.log(`${check.status.toUpperCase().padEnd(4)} ${check.title}: ${check.sentence}`);
  context.log(report.summary);
  await writeReports(step, report, context);
  const version = `${report.model}@${report.version}`;
  const outputs: StepOutputs = { ref: version, model: report.model, version: report.version, outcome: report.outcome, passed: report.outcome !== 'fail', baseline: report.baseline, summary: report.summary, report: report.id };
  if (report.outcome === 'fail') {
    const failed = report.checks.filter((check) => check.status === 'fail');
    throw failure('CONFLICT', `The gates of ${version} failed: ${failed.map((check) => check.title).join(', ') || report.summary}.`, {
      hint: 'Nothing after this step ran. The step log, and the JUnit and Markdown reports, say what each check found.',
    });
  }
  if (step.alias) {
    await context.call('models:set-alias', { workspace: context.workspace, ref: version, alias: step.alias });
    context.log(`Moved ${step.alias} to ${version}`);
    outputs.alias = step.alias;
  }
  return outputs;
}

async function writeReports(step: GatesStep, report: GateReport, context: StepContext): Promise<void> {
  const junit = join(context.reportsDir, `${step.id}.junit.xml`);
  const markdown = join(context.reportsDir, `${step.id}.md`);
  await writeFileAtomic(junit, gateReportJunit(report));
  await writeFileAtomic(markdown, gateReportMarkdown(report));
  context.report('junit', junit);
  context.report('markdown', markdown);
}
