import { useEffect, useMemo } from 'react';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { createModelCommands, type ModelCommands } from './model-commands.ts';

/** The registry's calls for this window's workspace. */
export function useModelCommands(): ModelCommands {
  const services = useServices();
  return useMemo(() => createModelCommands(services), [services]);
}

/** The open workspace's path, for keys: another workspace is another question. */
export const useWorkspacePath = (): string | null => useLathe((state) => state.workspace?.path ?? null);

/**
 * Ask again when main says a model changed (a version registered, an alias moved, a card edited),
 * here or in another window, the CLI or a pipeline: `name` null follows every model.
 */
export function useModelsChanged(name: string | null, onChange: () => void): void {
  const { api } = useServices();
  const workspace = useWorkspacePath();
  useEffect(
    () =>
      api.on('models:changed', (change) => {
        if (change.workspace === workspace && (name === null || change.name === name)) onChange();
      }),
    [api, workspace, name, onChange],
  );
}
