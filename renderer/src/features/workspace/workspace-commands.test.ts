import { describe, expect, it } from 'vitest';
import type { CallName } from '../../../../shared/contract/calls.ts';
import type { Result } from '../../../../shared/contract/result.ts';
import { createForgetfulMemory } from '../../lib/ui-memory.ts';
import { createLatheStore } from '../../state/store.ts';
import { FakeMain } from '../../testing/fake-api.ts';
import { createWorkspaceCommands } from './workspace-commands.ts';

function setUp(answers: Partial<Record<CallName, Result<unknown>>> = {}) {
  const main = new FakeMain();
  const api = {
    call: (name: CallName, input: unknown) => (answers[name] ? Promise.resolve(answers[name]) : main.call(name, input as never)),
    openWorkspaceWindow: () => main.openWorkspaceWindow(),
  } as Parameters<typeof createWorkspaceCommands>[0]['api'];
  const store = createLatheStore();
  const shown: string[] = [];
  let refreshed = 0;
  const commands = createWorkspaceCommands({
    api,
    store,
    memory: createForgetfulMemory(),
    datasets: { refreshDatasets: async () => void refreshed++ },
    showInAddress: (path) => shown.push(path),
  });
  return { store, commands, shown, refreshed: () => refreshed };
}

describe('workspace commands', () => {
  it('opens the workspace named in the address, and lists its datasets', async () => {
    const { store, commands, shown, refreshed } = setUp();
    await commands.openFirstWorkspace('/projects/churn');
    expect(store.getState().workspace?.path).toBe('/projects/churn');
    expect(store.getState().workspaceStatus).toEqual({ kind: 'open' });
    expect(shown).toEqual(['/projects/churn']);
    expect(refreshed()).toBe(1);
  });

  it('falls back to main’s default workspace', async () => {
    const { store, commands } = setUp();
    await commands.openFirstWorkspace(null);
    expect(store.getState().workspace?.path).toBe('/home/me/lathe');
  });

  it('shows why the first workspace could not open', async () => {
    const error = { code: 'NOT_A_WORKSPACE' as const, message: '/x is not a Lathe workspace' };
    const { store, commands } = setUp({ 'workspace:open': { ok: false, error } });
    await commands.openFirstWorkspace('/x');
    expect(store.getState().workspaceStatus).toEqual({ kind: 'failed', path: '/x', error });
    expect(store.getState().workspace).toBeNull();
  });

  it('makes a folder a workspace when asked to create', async () => {
    const error = { code: 'NOT_A_WORKSPACE' as const, message: 'no' };
    const { store, commands } = setUp({ 'workspace:open': { ok: false, error } });
    const result = await commands.openWorkspace('/x', { create: true });
    expect(result.ok).toBe(true);
    expect(store.getState().workspace?.path).toBe('/x');
  });
});
