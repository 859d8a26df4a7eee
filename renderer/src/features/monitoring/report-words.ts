import type { ConceptDrift, MonitoringReport, RecorderStats } from '../../../../shared/contract/monitoring.ts';

/** A line of the deployment header: what it says, and how loudly (`bad` is drawn in the danger colour). */
export interface HeaderFact {
  readonly text: string;
  readonly tone: 'plain' | 'warn' | 'bad';
}

const count = (value: number) => new Intl.NumberFormat('en').format(value);
const plural = (value: number, one: string, many = `${one}s`) => `${count(value)} ${value === 1 ? one : many}`;

/** "penguins@3 (344 rows)", or why drift is not judged, in the agent's words. */
export function referenceFact(report: Pick<MonitoringReport, 'reference' | 'referenceProblem'>): HeaderFact {
  if (report.reference) {
    const text = `${report.reference.dataset} (${plural(report.reference.datasetRows, 'row')})`;
    return report.referenceProblem ? { text: `${text}: ${report.referenceProblem}`, tone: 'warn' } : { text, tone: 'plain' };
  }
  return { text: report.referenceProblem ?? 'No training reference on the agent: drift is not judged for this deployment.', tone: 'bad' };
}

const DROP_WORDS: Record<keyof RecorderStats['droppedBy'], string> = {
  'store-full': 'store full',
  'disk-error': 'disk error',
  'queue-full': 'queue full',
};

/**
 * The recorder's health: how many predictions it kept and labels joined, and — loudly — how many
 * it dropped and why, and the store's last problem.
 */
export function recorderFact(recorder: RecorderStats): HeaderFact {
  const kept = `${plural(recorder.recorded, 'prediction')} recorded, ${plural(recorder.labelled, 'label')} joined`;
  const sampled = recorder.sampledOut > 0 ? `, ${count(recorder.sampledOut)} sampled out` : '';
  if (recorder.dropped === 0 && recorder.problem === null) return { text: `${kept}${sampled}`, tone: 'plain' };
  const reasons = Object.entries(recorder.droppedBy)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${count(n)} ${DROP_WORDS[reason as keyof typeof DROP_WORDS] ?? reason}`);
  const dropped = recorder.dropped > 0 ? `${plural(recorder.dropped, 'record')} DROPPED${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}` : '';
  const problem = recorder.problem ? `${dropped ? ' — ' : ''}${recorder.problem}` : '';
  return { text: `${dropped}${problem}. ${kept}${sampled}`, tone: 'bad' };
}

/** DDM's and ADWIN's state on the labelled predictions: "stable", or when each last signalled. */
export function conceptFact(concept: ConceptDrift, format: (iso: string) => string): HeaderFact {
  const one = (name: string, detector: ConceptDrift['ddm']) => {
    if (detector.seen === 0) return `${name}: no labels yet`;
    const last = detector.lastDriftAt ? ` (last drift ${format(detector.lastDriftAt)})` : '';
    return `${name}: ${detector.state}${last}`;
  };
  const states = [concept.ddm.state, concept.adwin.state];
  const tone = states.includes('drift') ? 'bad' : states.includes('warning') ? 'warn' : 'plain';
  return { text: `${one('DDM', concept.ddm)} · ${one('ADWIN', concept.adwin)}`, tone };
}

/** Whether the page shows what the agent said just now, or what the workspace kept (and why). */
export function freshnessFact(report: Pick<MonitoringReport, 'stale' | 'problem' | 'fetchedAt'>, format: (iso: string) => string): HeaderFact | null {
  if (!report.stale) return null;
  return { text: `The agent could not be asked${report.problem ? `: ${report.problem}` : ''}. Showing what the workspace kept, fetched ${format(report.fetchedAt)}.`, tone: 'bad' };
}

/**
 * What the model scored on its test split, to draw beside the live numbers: accuracy for a
 * classifier, RMSE for a regressor (the registry's metrics of the serving version); null when
 * it kept neither.
 */
export function testMetricOf(metrics: Readonly<Record<string, number>>): { name: 'accuracy' | 'rmse'; value: number } | null {
  // The registry keeps the run's test metrics under their run names: test_accuracy, test_rmse.
  const accuracy = metrics.test_accuracy;
  if (typeof accuracy === 'number' && Number.isFinite(accuracy)) return { name: 'accuracy', value: accuracy };
  const rmse = metrics.test_rmse;
  if (typeof rmse === 'number' && Number.isFinite(rmse)) return { name: 'rmse', value: rmse };
  return null;
}
