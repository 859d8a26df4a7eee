import type { CheckOutcome, ModelVersion } from '../../../shared/contract/registry.ts';
import type { Handlers } from '../dispatch.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import type { SliceMetric } from '../registry/model-card.ts';
import { resolveModelVersion } from '../registry/resolve-model-version.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { BundleServingOptions } from './bundle-serving.ts';
import type { ServingTarget } from './serving-target.ts';

// The checks, the statistics and the serving runtime load on first use, so a CLI command that
// runs no gate does not pay for them.

export interface GateCallsContext {
  workspaces: OpenWorkspaces;
  /** Every gate run is a job: listed, followed and cancellable from any window. */
  jobs: JobRegistry;
  /** The serving runtime for integration checks, per workspace; null: those checks are skipped, saying why. */
  serving: ((workspace: Workspace) => ServingTarget) | null;
}

/** Release gates: the spec (init, read, save), a gate run, and a version's reports. */
export function gateCalls({ workspaces, jobs, serving }: GateCallsContext): Handlers {
  const context = (workspace: Workspace) => ({ workspace, resolve: (ref: string) => resolveModelVersion(workspace, ref), serving: serving?.(workspace) ?? null });
  return {
    'gates:init': async ({ workspace, name, replace }) => (await import('./init-gate-spec.ts')).initGateSpec(await workspaces.at(workspace), name, replace ?? false),
    'gates:save': async ({ workspace, name, text }) => (await import('./init-gate-spec.ts')).saveGateSpec(await workspaces.at(workspace), name, text),
    'gates:spec': async ({ workspace, name }) => {
      const { loadGateSpec } = await import('./gate-spec-file.ts');
      const loaded = await loadGateSpec((await workspaces.at(workspace)).git, name);
      return { path: loaded.path, exists: loaded.exists, spec: loaded.spec };
    },
    'gates:run': async (input) => {
      const [{ runGates }, workspace] = await Promise.all([import('./run-gates.ts'), workspaces.at(input.workspace)]);
      return jobs.run({ workspace: workspace.dir, kind: 'gates', title: `Gates of ${input.ref}`, ref: input.ref, run: (job) => runGates({ ...context(workspace), job }, input) }).done;
    },
    'gates:results': async ({ workspace, ref, limit }) => {
      const open = await workspaces.at(workspace);
      const version = await resolveModelVersion(open, ref);
      return (await import('./gate-results.ts')).gateReports(open, version.name, version.version, limit);
    },
  };
}

/** The real serving target: each version packaged into a signed bundle and loaded by the serving runtime. */
export function bundleServingTarget(options: BundleServingOptions): (workspace: Workspace) => ServingTarget {
  return (workspace) => ({ open: async (version) => (await import('./bundle-serving.ts')).bundleServing(workspace, options).open(version) });
}

/** What the registry takes from the gates: the check before a promotion, and slice metrics for model cards. */
export function gatesForRegistry(serving: ((workspace: Workspace) => ServingTarget) | null) {
  return {
    checkBeforePromote: async (workspace: Workspace, version: ModelVersion, against: ModelVersion | null): Promise<CheckOutcome> =>
      (await import('./registry-hooks.ts')).checkBeforePromote((open) => serving?.(open) ?? null)(workspace, version, against),
    sliceMetrics: async (workspace: Workspace, version: ModelVersion): Promise<SliceMetric[] | null> => (await import('./registry-hooks.ts')).cardSliceMetrics(workspace, version),
  };
}
