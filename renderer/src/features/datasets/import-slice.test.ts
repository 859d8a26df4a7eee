import { describe, expect, it } from 'vitest';
import { createLatheStore } from '../../state/store.ts';
import { importNoticeText } from './import-slice.ts';
import { versionOf } from '../../testing/fake-api.ts';

function storeWithImport() {
  const store = createLatheStore();
  store.getState().importQueued(1);
  store.getState().importStarted({ importId: 'i1', fileName: 'big.csv', datasetName: 'big', totalBytes: 1000, sends: true });
  return store;
}

describe('import slice', () => {
  it('shows bytes sent, then hands over to main’s reading progress', () => {
    const store = storeWithImport();
    store.getState().importSendProgressed('i1', 400, 1000);
    expect(store.getState().activeImport).toMatchObject({ phase: 'sending', bytesDone: 400, totalBytes: 1000 });
    store.getState().importSendProgressed('i1', 1000, 1000);
    expect(store.getState().activeImport).toMatchObject({ phase: 'reading', bytesDone: 0 });
    store.getState().importProgressReported({ importId: 'i1', bytesRead: 600, totalBytes: 1000, rows: 4200 });
    expect(store.getState().activeImport).toMatchObject({ phase: 'reading', bytesDone: 600, rows: 4200 });
    // A late upload event does not move the bar backwards.
    store.getState().importSendProgressed('i1', 999, 1000);
    expect(store.getState().activeImport?.bytesDone).toBe(600);
  });

  it('ignores progress of another import (another window or the CLI)', () => {
    const store = storeWithImport();
    store.getState().importProgressReported({ importId: 'other', bytesRead: 10, totalBytes: 20, rows: 1 });
    expect(store.getState().activeImport).toMatchObject({ bytesDone: 0, rows: 0 });
  });

  it('selects the version an import made', () => {
    const store = storeWithImport();
    store.getState().datasetImported({ status: 'created', version: versionOf('big', 3) }, 'big.csv');
    const state = store.getState();
    expect(state.selection).toEqual({ name: 'big', version: 3 });
    expect(state.activeImport).toBeNull();
    expect(state.notice).toMatchObject({ tone: 'success', text: 'Version 3 of big created' });
  });

  it('keeps a failure until dismissed, and a new import clears it', () => {
    const store = storeWithImport();
    store.getState().importFailed({ code: 'PARSE_ERROR', message: 'bad' }, 'big.csv');
    expect(store.getState().importFailure?.fileName).toBe('big.csv');
    expect(store.getState().activeImport).toBeNull();
    store.getState().importStarted({ importId: 'i2', fileName: 'b.csv', datasetName: 'b', totalBytes: 1, sends: true });
    expect(store.getState().importFailure).toBeNull();
  });

  it('dismisses only the notice the user saw', () => {
    const store = storeWithImport();
    store.getState().datasetImported({ status: 'unchanged', version: versionOf('big', 1) }, 'big.csv');
    const first = store.getState().notice;
    store.getState().datasetImported({ status: 'created', version: versionOf('big', 2) }, 'big.csv');
    store.getState().noticeDismissed(first?.id ?? -1);
    expect(store.getState().notice?.text).toBe('Version 2 of big created');
  });

  it('says when an import repaired the stored copy of its bytes', () => {
    expect(importNoticeText({ status: 'unchanged', repaired: true, version: versionOf('big', 2) }, 'big.csv')).toBe(
      'No changes: big.csv is identical to version 2; no new version was made. The stored copy of these bytes was damaged, and this import repaired it.',
    );
    expect(importNoticeText({ status: 'created', repaired: true, version: versionOf('big', 3) }, 'big.csv')).toBe(
      'Version 3 of big created. The stored copy of these bytes was damaged, and this import repaired it.',
    );
  });
});
