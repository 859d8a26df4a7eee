import type { Handlers } from '../dispatch.ts';
import { resolveModelVersion } from '../registry/resolve-model-version.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { ServingTarget } from './serving-target.ts';

export interface GateCallsContext {
  workspaces: OpenWorkspaces;
  /** The serving runtime for integration checks, per workspace; absent: those checks are skipped, saying why. */
  serving?: ((workspace: Workspace) => ServingTarget) | undefined;
}

/** Release gates: the spec (init, read), a gate run, and a version's reports. */
export function gateCalls({ workspaces, serving }: GateCallsContext): Handlers {
  const context = (workspace: Workspace) => ({ workspace, resolve: (ref: string) => resolveModelVersion(workspace, ref), serving: serving?.(workspace) ?? null });
  return {
    'gates:init': async ({ workspace, name, replace }) => (await import('./init-gate-spec.ts')).initGateSpec(await workspaces.at(workspace), name, replace ?? false),
    'gates:save': async ({ workspace, name, text }) => (await import('./init-gate-spec.ts')).saveGateSpec(await workspaces.at(workspace), name, text),
    'gates:spec': async ({ workspace, name }) => {
      const { loadGateSpec } = await import('./gate-spec-file.ts');
      const loaded = await loadGateSpec((await workspaces.at(workspace)).git, name);
      return { path: loaded.path, exists: loaded.exists, spec: loaded.spec };
    },
    'gates:run': async (input) => (await import('./run-gates.ts')).runGates(context(await workspaces.at(input.workspace)), input),
    'gates:results': async ({ workspace, ref, limit }) => {
      const open = await workspaces.at(workspace);
      const version = await resolveModelVersion(open, ref);
      return (await import('./gate-results.ts')).gateReports(open, version.name, version.version, limit);
    },
  };
}
