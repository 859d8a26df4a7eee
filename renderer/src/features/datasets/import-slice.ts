import type { ImportOutcome } from '../../../../shared/contract/datasets.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import type { PayloadOf } from '../../../../shared/contract/calls.ts';
import type { LatheSlice } from '../../state/store.ts';

/** An import under way: bytes sent to main (browser upload), then rows read by main. */
export interface ActiveImport {
  readonly importId: string;
  readonly fileName: string;
  /** The dataset it goes to; empty when main picks the name (the sample). */
  readonly datasetName: string;
  readonly phase: 'sending' | 'reading';
  readonly bytesDone: number;
  readonly totalBytes: number | null;
  readonly rows: number;
  /** The job main runs it as, once main said so: what Cancel stops. */
  readonly jobId: string | null;
}

export interface ImportNotice {
  readonly id: number;
  readonly tone: 'success' | 'info';
  readonly text: string;
}

export interface ImportFailure {
  readonly error: LatheError;
  readonly fileName: string;
}

export interface ImportState {
  activeImport: ActiveImport | null;
  /** Files waiting behind the active import (several dropped at once). */
  queuedImports: number;
  notice: ImportNotice | null;
  /** Stays until the user dismisses it. */
  importFailure: ImportFailure | null;
}

export interface ImportSlice extends ImportState {
  importQueued(count: number): void;
  importStarted(start: { importId: string; fileName: string; datasetName: string; totalBytes: number | null; sends: boolean }): void;
  importSendProgressed(importId: string, sentBytes: number, totalBytes: number): void;
  importProgressReported(progress: PayloadOf<'datasets:import-progress'>): void;
  /** A file became a version (or matched the latest one): show it and say so. */
  datasetImported(outcome: ImportOutcome, fileName: string): void;
  importFailed(error: LatheError, fileName: string): void;
  /** Main runs the import as this job (jobs:changed with the import's id as its ref). */
  importJobKnown(importId: string, jobId: string): void;
  noticeDismissed(id: number): void;
  importFailureDismissed(): void;
}

export function importInitialState(): ImportState {
  return { activeImport: null, queuedImports: 0, notice: null, importFailure: null };
}

let nextNoticeId = 1;

export function importNoticeText(outcome: ImportOutcome, fileName: string): string {
  const { name, version } = outcome.version;
  const made =
    outcome.status === 'unchanged'
      ? `No changes: ${fileName} is identical to version ${version}; no new version was made.`
      : `Version ${version} of ${name} created.`;
  const text = outcome.repaired ? `${made} The stored copy of these bytes was damaged, and this import repaired it.` : made;
  return text.replace(/ created\.$/, ' created');
}

export const createImportSlice: LatheSlice<ImportSlice> = (set) => ({
  ...importInitialState(),
  importQueued: (count) => set((state) => ({ queuedImports: state.queuedImports + count })),
  importStarted: ({ importId, fileName, datasetName, totalBytes, sends }) =>
    set((state) => ({
      activeImport: { importId, fileName, datasetName, phase: sends ? 'sending' : 'reading', bytesDone: 0, totalBytes, rows: 0, jobId: null },
      queuedImports: Math.max(0, state.queuedImports - 1),
      importFailure: null,
      notice: null,
    })),
  importSendProgressed: (importId, sentBytes, totalBytes) =>
    set((state) => {
      const active = state.activeImport;
      if (active?.importId !== importId || active.phase !== 'sending') return {};
      const done = sentBytes >= totalBytes;
      // Once every byte is sent, main reads the file; its progress events take over from 0.
      return { activeImport: { ...active, phase: done ? 'reading' : 'sending', bytesDone: done ? 0 : sentBytes, totalBytes } };
    }),
  importProgressReported: (progress) =>
    set((state) => {
      const active = state.activeImport;
      if (active?.importId !== progress.importId) return {};
      return {
        activeImport: { ...active, phase: 'reading', bytesDone: progress.bytesRead, totalBytes: progress.totalBytes ?? active.totalBytes, rows: progress.rows },
      };
    }),
  datasetImported: (outcome, fileName) =>
    set((state) => ({
      activeImport: null,
      importFailure: null,
      notice: { id: nextNoticeId++, tone: outcome.status === 'created' ? 'success' : 'info', text: importNoticeText(outcome, fileName) },
      selection: { name: outcome.version.name, version: outcome.version.version },
      ...(state.selection.name === outcome.version.name ? {} : { history: null, historyError: null, detail: null }),
      detailStatus: 'loading',
      detailError: null,
    })),
  importFailed: (error, fileName) =>
    set(
      error.code === 'CANCELLED'
        ? { activeImport: null, notice: { id: nextNoticeId++, tone: 'info', text: `Import of ${fileName} cancelled; nothing was kept.` } }
        : { activeImport: null, importFailure: { error, fileName } },
    ),
  importJobKnown: (importId, jobId) =>
    set((state) => (state.activeImport?.importId === importId && state.activeImport.jobId === null ? { activeImport: { ...state.activeImport, jobId } } : {})),
  noticeDismissed: (id) => set((state) => (state.notice?.id === id ? { notice: null } : {})),
  importFailureDismissed: () => set({ importFailure: null }),
});
