import type { StepRun } from '../../../../shared/contract/pipelines.ts';
import { useServices } from '../../app/services-context.tsx';
import { hashOf as runHash } from '../experiments/experiments-route.ts';
import { hashOf as modelHash } from '../models/models-route.ts';
import { madeSummary } from './live-run.ts';

/**
 * What a step made, each thing a link to where it lives: the dataset version in Datasets, the
 * training run in Experiments, the model version in Models.
 */
export function MadeLinks({ step }: { step: StepRun }) {
  const { datasetCommands } = useServices();
  const o = step.outputs;
  const text = madeSummary(step);
  if (!text) return null;
  if (step.kind === 'import' && typeof o.dataset === 'string' && typeof o.version === 'number') {
    const [name, version] = [o.dataset, o.version];
    return (
      <a
        href="#/datasets"
        title={`Show ${name}@${version} in Datasets`}
        onClick={(event) => {
          event.preventDefault();
          void datasetCommands.selectDataset(name, version);
          window.location.hash = '/datasets';
        }}
      >
        {text}
      </a>
    );
  }
  if (step.kind === 'train' && typeof o.runId === 'string') {
    return (
      <a href={runHash({ view: 'run', runId: o.runId })} title="Open the training run in Experiments">
        {text}
      </a>
    );
  }
  if ((step.kind === 'register' || step.kind === 'gates') && typeof o.model === 'string' && typeof o.version === 'number') {
    return (
      <a href={modelHash({ view: 'version', name: o.model, version: o.version })} title={`Open ${o.model}@${o.version} in Models`}>
        {text}
      </a>
    );
  }
  return <span>{text}</span>;
}
