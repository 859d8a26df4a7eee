import { join } from 'node:path';
import { z } from 'zod';
import type { PipelineStep, StepOutputs } from '../../../shared/contract/pipelines.ts';
import { failure } from '../errors.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import type { StepContext } from './step-context.ts';

type GatesStep = Extract<PipelineStep, { kind: 'gates' }>;

/** What the step needs of gates:run's report. */
const GateReport = z.object({
  model: z.string(),
  version: z.number().int().positive(),
  baseline: z.string().nullable(),
  outcome: z.enum(['pass', 'warn', 'fail']),
  summary: z.string(),
  checks: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), sentence: z.string(), durationMs: z.number().optional() })),
});
type GateReport = z.infer<typeof GateReport>;

/**
 * A gates step: run the release gates on the version a register step made (or a named one),
 * write its JUnit and Markdown reports for CI, log every check, and fail when any check fails —
 * so nothing after it (an alias, a deploy) happens. When it passes and names an `alias`, that
 * alias moves to the version (a challenger, ready for a person to promote).
 */
export async function runGatesStep(step: GatesStep, context: StepContext): Promise<StepOutputs> {
  const ref = step.model ?? String(context.outputsOf(step.from!).ref);
  context.signal.throwIfAborted();
  context.log(`Running the gates of ${ref}${step.against ? ` against ${step.against}` : ''}`);
  const report = await context.callChecked(
    'gates:run',
    { workspace: context.workspace, ref, ...(step.against ? { against: step.against } : {}), ...(step.require?.length ? { require: step.require } : {}) },
    GateReport,
  );
  for (const check of report.checks) context.log(`${check.status.toUpperCase().padEnd(4)} ${check.title}: ${check.sentence}`);
  context.log(report.summary);
  await writeReports(step, report, context);
  const outputs: StepOutputs = { ref: `${report.model}@${report.version}`, model: report.model, version: report.version, outcome: report.outcome, passed: report.outcome !== 'fail', baseline: report.baseline, summary: report.summary };
  if (report.outcome === 'fail') {
    const failed = report.checks.filter((check) => check.status === 'fail');
    throw failure('CONFLICT', `The gates of ${report.model}@${report.version} failed: ${failed.map((check) => check.title).join(', ') || report.summary}.`, {
      hint: 'Nothing after this step ran. See the step log (or the JUnit and Markdown reports) for each check.',
    });
  }
  if (step.alias) {
    await context.callChecked('models:set-alias', { workspace: context.workspace, ref: outputs.ref, alias: step.alias }, z.object({}).loose());
    context.log(`Moved ${step.alias} to ${String(outputs.ref)}`);
    outputs.alias = step.alias;
  }
  return outputs;
}

async function writeReports(step: GatesStep, report: GateReport, context: StepContext): Promise<void> {
  const { gateReportJunit, gateReportMarkdown } = await import('./gate-report-files.ts');
  const junit = join(context.reportsDir, `${step.id}.junit.xml`);
  const markdown = join(context.reportsDir, `${step.id}.md`);
  await writeFileAtomic(junit, gateReportJunit(report, step.id));
  await writeFileAtomic(markdown, gateReportMarkdown(report, step.id));
  context.report('junit', junit);
  context.report('markdown', markdown);
}
