import type { IconName } from '../components/icon.tsx';

export interface Area {
  readonly id: string;
  readonly label: string;
  readonly icon: IconName;
  /** What the area is for, in a sentence; shown on areas that are not built yet. */
  readonly purpose: string;
  readonly built: boolean;
}

/** Every area of Lathe, in the order of the ML lifecycle. */
export const areas: readonly Area[] = [
  { id: 'datasets', label: 'Datasets', icon: 'datasets', built: true, purpose: 'Versioned tables with their schema, profile and history.' },
  { id: 'features', label: 'Features', icon: 'features', built: false, purpose: 'Feature definitions computed from datasets, reviewed like code and reused across models.' },
  { id: 'experiments', label: 'Experiments', icon: 'experiments', built: false, purpose: 'Training runs with their parameters, metrics per step and artifacts, side by side.' },
  { id: 'models', label: 'Models', icon: 'models', built: false, purpose: 'A registry of model versions, their lineage back to data and code, and their stage.' },
  { id: 'deployments', label: 'Deployments', icon: 'deployments', built: false, purpose: 'Serving targets, canary and A/B rollouts of registered models.' },
  { id: 'monitoring', label: 'Monitoring', icon: 'monitoring', built: false, purpose: 'Live traffic, latency and drift of deployed models against their training data.' },
  { id: 'pipelines', label: 'Pipelines', icon: 'pipelines', built: false, purpose: 'CI gates that check data and models before they move on.' },
];

export const DEFAULT_AREA = 'datasets';

/** The area in a location hash (`#/experiments`), falling back to Datasets. */
export function areaFromHash(hash: string): Area {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return areas.find((area) => area.id === id) ?? areas.find((area) => area.id === DEFAULT_AREA) ?? (areas[0] as Area);
}
