import { describe, expect, it } from 'vitest';
import { createLatheStore } from '../../state/store.ts';
import { detailOf, versionOf } from '../../testing/fake-api.ts';

describe('datasets slice', () => {
  it('drops a detail that answers an earlier click', () => {
    const store = createLatheStore();
    store.getState().datasetSelected('a', 1);
    store.getState().datasetSelected('a', 2);
    store.getState().datasetDetailLoaded(detailOf(versionOf('a', 1)));
    expect(store.getState().detail).toBeNull();
    expect(store.getState().detailStatus).toBe('loading');
    store.getState().datasetDetailLoaded(detailOf(versionOf('a', 2)));
    expect(store.getState().detail?.version.version).toBe(2);
  });

  it('keeps the version on screen while another version of the same dataset loads', () => {
    const store = createLatheStore();
    store.getState().datasetSelected('a', 2);
    store.getState().datasetDetailLoaded(detailOf(versionOf('a', 2)));
    store.getState().datasetHistoryLoaded('a', [versionOf('a', 2), versionOf('a', 1)]);
    store.getState().datasetSelected('a', 1);
    expect(store.getState().detail?.version.version).toBe(2);
    expect(store.getState().history?.versions).toHaveLength(2);
    store.getState().datasetSelected('b');
    expect(store.getState().detail).toBeNull();
    expect(store.getState().history).toBeNull();
  });

  it('forgets every dataset of the previous workspace when another opens', () => {
    const store = createLatheStore();
    store.getState().datasetsListed([{ name: 'a', versions: 1, latest: versionOf('a', 1) }]);
    store.getState().datasetSelected('a');
    store.getState().workspaceOpened({ path: '/other', name: 'other', datasets: 0, createdAt: '2025-01-01T00:00:00Z' });
    const state = store.getState();
    expect(state.datasets).toEqual([]);
    expect(state.selection).toEqual({ name: null, version: null });
    expect(state.workspaceStatus).toEqual({ kind: 'open' });
  });

  it('keeps the open workspace when opening another one fails', () => {
    const store = createLatheStore();
    store.getState().workspaceOpened({ path: '/w', name: 'w', datasets: 0, createdAt: '2025-01-01T00:00:00Z' });
    store.getState().workspaceOpening('/nope');
    store.getState().workspaceOpenFailed('/nope', { code: 'NOT_A_WORKSPACE', message: 'no' });
    expect(store.getState().workspace?.path).toBe('/w');
    expect(store.getState().workspaceStatus).toEqual({ kind: 'open' });
  });
});
