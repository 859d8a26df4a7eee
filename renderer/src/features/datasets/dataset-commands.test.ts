import { beforeEach, describe, expect, it } from 'vitest';
import { createForgetfulMemory } from '../../lib/ui-memory.ts';
import { createLatheStore, type LatheStore } from '../../state/store.ts';
import { FakeMain, versionOf } from '../../testing/fake-api.ts';
import { createDatasetCommands } from './dataset-commands.ts';
import { selectSortedDatasets } from './selectors.ts';

const csv = (name: string, text: string) => new File([text], name, { type: 'text/csv' });

describe('dataset commands', () => {
  let main: FakeMain;
  let store: LatheStore;
  let commands: ReturnType<typeof createDatasetCommands>;

  beforeEach(() => {
    main = new FakeMain();
    store = createLatheStore();
    store.getState().workspaceOpened({ path: '/w', name: 'w', datasets: 0, createdAt: '2025-01-01T00:00:00Z' });
    let id = 0;
    commands = createDatasetCommands({ api: main, store, memory: createForgetfulMemory(), newImportId: () => `import-${++id}` });
  });

  it('imports a dropped file as version 1 of the dataset its name suggests, and shows it', async () => {
    await commands.importFiles([csv('Scores 2024.csv', 'a,b\n1,2\n')]);
    const state = store.getState();
    expect(state.selection).toEqual({ name: 'scores-2024', version: 1 });
    expect(state.detail?.version.version).toBe(1);
    expect(state.history?.versions.map((v) => v.version)).toEqual([1]);
    expect(state.notice?.text).toBe('Version 1 of scores-2024 created');
    expect(state.activeImport).toBeNull();
    expect(main.calls.find((c) => c.name === 'datasets:import-upload')?.input).toMatchObject({ message: 'Import Scores 2024.csv', importId: 'import-1' });
  });

  it('sends a file dropped on a dataset to that dataset', async () => {
    await commands.importFiles([csv('scores.csv', 'a\n1\n')]);
    await commands.importFiles([csv('export (3).csv', 'a\n1\n2\n')], { datasetName: 'scores' });
    expect(store.getState().history?.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(selectSortedDatasets(store.getState()).map((d) => d.name)).toEqual(['scores']);
  });

  it('says so, and makes no version, when the bytes are the same as the latest', async () => {
    await commands.importFiles([csv('scores.csv', 'a\n1\n')]);
    await commands.importFiles([csv('scores.csv', 'a\n2\n')]);
    await commands.importFiles([csv('scores.csv', 'a\n2\n')]);
    const state = store.getState();
    expect(state.notice?.text).toBe('No changes: scores.csv is identical to version 2; no new version was made.');
    expect(state.history?.versions).toHaveLength(2);
  });

  it('keeps everything as it was when an import fails, and keeps the error until dismissed', async () => {
    await commands.importFiles([csv('scores.csv', 'a\n1\n')]);
    const before = store.getState();
    main.failNextImport = { code: 'PARSE_ERROR', message: 'Row 2 has 2 fields; the header has 1.', location: { line: 3 } };
    await commands.importFiles([csv('scores.csv', 'a\n1\n2,3\n')]);
    const after = store.getState();
    expect(after.importFailure).toEqual({ error: main.failNextImport ?? expect.anything(), fileName: 'scores.csv' });
    expect(after.selection).toEqual(before.selection);
    expect(after.history).toBe(before.history);
    expect(after.detail).toBe(before.detail);
    expect(after.datasets).toBe(before.datasets);
    store.getState().importFailureDismissed();
    expect(store.getState().importFailure).toBeNull();
  });

  it('imports several dropped files one after another, each under its own name', async () => {
    await commands.importFiles([csv('a.csv', 'x\n1\n'), csv('b.csv', 'x\n1\n')], { datasetName: 'ignored' });
    expect(selectSortedDatasets(store.getState()).map((d) => d.name)).toEqual(['a', 'b']);
    expect(store.getState().queuedImports).toBe(0);
  });

  it('selects the first dataset by name when the list arrives and nothing is selected', async () => {
    main.datasets.set('zebra', [versionOf('zebra', 1)]);
    main.datasets.set('apple', [versionOf('apple', 2), versionOf('apple', 1)]);
    await commands.refreshDatasets();
    expect(store.getState().selection).toEqual({ name: 'apple', version: null });
    expect(store.getState().detail?.version.version).toBe(2);
  });

  it('follows the latest version when another window imports into the dataset on screen', async () => {
    main.datasets.set('apple', [versionOf('apple', 1)]);
    await commands.refreshDatasets();
    main.datasets.set('apple', [versionOf('apple', 2), versionOf('apple', 1)]);
    await commands.datasetChanged('apple');
    expect(store.getState().detail?.version.version).toBe(2);
    expect(store.getState().history?.versions).toHaveLength(2);
  });

  it('stays on an older version the user chose when a new one arrives', async () => {
    main.datasets.set('apple', [versionOf('apple', 2), versionOf('apple', 1)]);
    await commands.refreshDatasets();
    await commands.selectDataset('apple', 1);
    main.datasets.set('apple', [versionOf('apple', 3), versionOf('apple', 2), versionOf('apple', 1)]);
    await commands.datasetChanged('apple');
    expect(store.getState().detail?.version.version).toBe(1);
    expect(store.getState().history?.versions).toHaveLength(3);
  });

  it('imports the sample in one call and shows it', async () => {
    await commands.importSample();
    expect(store.getState().selection.name).toBe('penguins');
    expect(store.getState().notice?.text).toBe('Version 1 of penguins created');
  });
});
