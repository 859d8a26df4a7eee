import type { ComponentType } from 'react';
import type { IconName } from '../components/icon.tsx';

export interface Area {
  readonly id: string;
  readonly label: string;
  readonly icon: IconName;
  /** What the area is for, in a sentence; shown on areas that are not built yet. */
  readonly purpose: string;
  /** The area's page, loaded the first time it is shown; none: the area is not built yet. */
  readonly page?: () => Promise<ComponentType>;
}

/**
 * Every area of Lathe, in the order of the ML lifecycle: the registry the shell, the side
 * navigation and the address hash all read. An area's page is its own chunk of the bundle.
 */
export const areas: readonly Area[] = [
  {
    id: 'datasets',
    label: 'Datasets',
    icon: 'datasets',
    purpose: 'Versioned tables with their schema, profile and history.',
    page: () => import('../features/datasets/datasets-page.tsx').then((module) => module.DatasetsPage),
  },
  { id: 'features', label: 'Features', icon: 'features', purpose: 'Feature definitions computed from datasets, reviewed like code and reused across models.' },
  {
    id: 'experiments',
    label: 'Experiments',
    icon: 'experiments',
    purpose: 'Training runs with their parameters, metrics per step and artifacts, side by side.',
    page: () => import('../features/experiments/experiments-page.tsx').then((module) => module.ExperimentsPage),
  },
  {
    id: 'models',
    label: 'Models',
    icon: 'models',
    purpose: 'A registry of model versions, their lineage back to data and code, and their stage.',
    page: () => import('../features/models/models-page.tsx').then((module) => module.ModelsPage),
  },
  { id: 'deployments', label: 'Deployments', icon: 'deployments', purpose: 'Serving targets, canary and A/B rollouts of registered models.', page: () => import('../features/deployments/deployments-page.tsx').then((module) => module.DeploymentsPage) },
  { id: 'monitoring', label: 'Monitoring', icon: 'monitoring', purpose: 'Live traffic, latency and drift of deployed models against their training data.', page: () => import('../features/monitoring/monitoring-page.tsx').then((module) => module.MonitoringPage) },
  {
    id: 'pipelines',
    label: 'Pipelines',
    icon: 'pipelines',
    purpose: 'Pipelines as code: import, train, gate and register in one run, locally or in CI.',
    page: () => import('../features/pipelines/pipelines-page.tsx').then((module) => module.PipelinesPage),
  },
];

export const isBuilt = (area: Area): boolean => area.page !== undefined;

export const DEFAULT_AREA = 'datasets';

/** The area in a location hash (`#/experiments`), falling back to Datasets. */
export function areaFromHash(hash: string): Area {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return areas.find((area) => area.id === id) ?? areas.find((area) => area.id === DEFAULT_AREA) ?? (areas[0] as Area);
}
