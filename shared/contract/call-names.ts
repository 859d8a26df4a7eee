/**
 * The names of every call, without their schemas: for code that must stay small and has no use
 * for validation, like the sandboxed preload (main validates every call it receives).
 * calls.ts checks at compile time that this list and the registry agree.
 */
export const callNames = [
  'app:info',
  'workspace:open',
  'workspace:create',
  'workspace:default',
  'dialog:pick-folder',
  'window:open-workspace',
  'datasets:list',
  'datasets:log',
  'datasets:show',
  'datasets:import-file',
  'datasets:import-upload',
  'datasets:import-sample',
  'store:verify',
  'store:gc',
  'jobs:list',
  'jobs:cancel',
  'experiments:list',
  'experiments:create',
  'runs:search',
  'runs:get',
  'runs:metric-history',
  'runs:metric-histories',
  'runs:delete',
  'runs:restore',
  'runs:compare',
  'runs:read-artifact',
  'training:plan',
  'training:start',
  'training:wait',
  'training:reproduce',
  'training:compare-reproduction',
  'app:doctor',
] as const;
