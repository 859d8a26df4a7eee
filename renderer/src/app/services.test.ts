import { describe, expect, it } from 'vitest';
import { createForgetfulMemory } from '../lib/ui-memory.ts';
import { createLatheStore } from '../state/store.ts';
import { FakeMain, versionOf } from '../testing/fake-api.ts';
import { createServices } from './services.ts';

function setup() {
  const main = new FakeMain();
  const services = createServices({ api: main, store: createLatheStore(), memory: createForgetfulMemory() });
  services.store.getState().workspaceOpened({ path: '/w', name: 'w', datasets: 0, createdAt: '2025-01-01T00:00:00Z' });
  const disconnect = services.connectToMain();
  const listCalls = () => main.calls.filter((call) => call.name === 'datasets:list').length;
  return { main, services, disconnect, listCalls };
}

describe('a window connected to main', () => {
  it('refreshes once for its own import: main’s event about it is news only to other windows', async () => {
    const { services, listCalls } = setup();
    await services.datasetCommands.importFiles([new File(['a,b\n1,2\n'], 'scores.csv')]);
    expect(listCalls()).toBe(1);
    await services.datasetCommands.importSample();
    expect(listCalls()).toBe(2);
  });

  it('refreshes when another window or the CLI changes a dataset', async () => {
    const { main, listCalls } = setup();
    main.datasets.set('scores', [versionOf('scores', 1)]);
    main.emit('datasets:changed', { workspace: '/w', name: 'scores' });
    main.emit('datasets:changed', { workspace: '/w', name: 'scores', importId: 'another-window' });
    expect(listCalls()).toBe(2);
    // Not this window's workspace: nothing to do.
    main.emit('datasets:changed', { workspace: '/elsewhere', name: 'scores' });
    expect(listCalls()).toBe(2);
  });
});
