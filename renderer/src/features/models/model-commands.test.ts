import { describe, expect, it } from 'vitest';
import type { CallName } from '../../../../shared/contract/calls.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import { createLatheStore } from '../../state/store.ts';
import { createModelCommands } from './model-commands.ts';

/** A main that records what it was asked and refuses everything (the answers are not what these tests are about). */
function recordingMain() {
  const asked: { name: CallName; input: unknown }[] = [];
  const api: Pick<LatheApi, 'call'> = {
    call: async (name, input) => {
      asked.push({ name, input });
      return { ok: false, error: { code: 'INTERNAL', message: 'not answered in this test' } };
    },
  };
  return { api, asked };
}

function withWorkspace() {
  const store = createLatheStore();
  store.getState().workspaceOpened({ path: '/w', name: 'w', datasets: 0, createdAt: '2025-01-01T00:00:00Z' });
  return store;
}

describe('what the Models area asks of main', () => {
  it('asks in the open workspace, and leaves out a description that is only blanks', async () => {
    const { api, asked } = recordingMain();
    const models = createModelCommands({ api, store: withWorkspace() });
    await models.register('a'.repeat(32), 'penguins', '   ');
    await models.register('a'.repeat(32), 'penguins', 'Wider MLP');
    expect(asked).toEqual([
      { name: 'models:register', input: { workspace: '/w', runId: 'a'.repeat(32), name: 'penguins' } },
      { name: 'models:register', input: { workspace: '/w', runId: 'a'.repeat(32), name: 'penguins', description: 'Wider MLP' } },
    ]);
  });

  it('promotes to champion, and sends an override only with its reason', async () => {
    const { api, asked } = recordingMain();
    const models = createModelCommands({ api, store: withWorkspace() });
    await models.promote('penguins@2');
    await models.promote('penguins@2', 'The failing slice has 31 rows from one day.');
    expect(asked.map((call) => call.input)).toEqual([
      { workspace: '/w', ref: 'penguins@2', alias: 'champion' },
      { workspace: '/w', ref: 'penguins@2', alias: 'champion', override: { reason: 'The failing slice has 31 rows from one day.' } },
    ]);
  });

  it('asks nothing when no workspace is open, and says what to do', async () => {
    const { api, asked } = recordingMain();
    const models = createModelCommands({ api, store: createLatheStore() });
    const result = await models.list();
    expect(asked).toEqual([]);
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', hint: expect.stringContaining('Open a workspace') } });
  });
});
