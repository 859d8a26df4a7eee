import type { ModelDataset } from '../../../../shared/contract/registry.ts';
import { useServices } from '../../app/services-context.tsx';

/** A dataset version a model was trained on, opening that version in Datasets. */
export function DatasetLink({ dataset, className }: { dataset: ModelDataset; className?: string }) {
  const { datasetCommands } = useServices();
  const label = dataset.version === null ? dataset.name : `${dataset.name}@${dataset.version}`;
  return (
    <a
      href="#/datasets"
      className={className ?? 'mono'}
      title={`Show ${label} in Datasets`}
      onClick={(event) => {
        event.preventDefault();
        void datasetCommands.selectDataset(dataset.name, dataset.version);
        window.location.hash = '/datasets';
      }}
    >
      {label}
    </a>
  );
}
