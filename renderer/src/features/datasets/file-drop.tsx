import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Icon } from '../../components/icon.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { showArea } from '../../app/use-area.ts';
import { ImportDialog, type ImportDialogRequest } from './import-dialog.tsx';
import { ACCEPTED_FILES } from './import-formats.ts';
import './drop-overlay.css';

/** Mark an element whose drops go to the selected dataset (its detail view). */
export const DATASET_DROP_ZONE = 'dataset';

interface ImportTools {
  /** Open the system file chooser; the file becomes the dataset its name suggests. */
  chooseFile(): void;
  /** Open the import dialog (dataset name and message), optionally with a file already chosen. */
  openImportDialog(request: ImportDialogRequest): void;
}

const ImportToolsContext = createContext<ImportTools | null>(null);

export function useImportTools(): ImportTools {
  const tools = useContext(ImportToolsContext);
  if (!tools) throw new Error('useImportTools needs a <FileDrop> above it');
  return tools;
}

type DragState = { zone: 'dataset' | 'page' } | null;

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

function zoneOf(target: EventTarget | null): 'dataset' | 'page' {
  return target instanceof Element && target.closest(`[data-drop-zone="${DATASET_DROP_ZONE}"]`) ? 'dataset' : 'page';
}

/**
 * Files dragged anywhere over the window show a drop overlay; dropping imports them. A drop on
 * a dataset's detail view makes a new version of that dataset; anywhere else, the dataset is
 * named after the file. Hold Alt (Option) while dropping to name the dataset and add a message.
 */
export function FileDrop({ children }: { children: ReactNode }) {
  const { datasetCommands, store } = useServices();
  const [drag, setDrag] = useState<DragState>(null);
  const [dialog, setDialog] = useState<ImportDialogRequest | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const selectedName = useLathe((state) => state.selection.name);

  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      const zone = zoneOf(event.target);
      setDrag((current) => (current?.zone === zone ? current : { zone }));
    };
    const onDragLeave = (event: DragEvent) => {
      // Leaving for a child element names it as relatedTarget; leaving the window names nothing.
      if (event.relatedTarget === null) setDrag(null);
    };
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      setDrag(null);
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length === 0) return;
      const state = store.getState();
      const datasetName = zoneOf(event.target) === 'dataset' ? (state.selection.name ?? undefined) : undefined;
      showArea('datasets');
      const [only] = files;
      if (event.altKey && only && files.length === 1) setDialog({ file: only, datasetName });
      else void datasetCommands.importFiles(files, { datasetName });
    };
    const onDragEnd = () => setDrag(null);
    window.addEventListener('dragenter', onDragOver);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    window.addEventListener('dragend', onDragEnd);
    return () => {
      window.removeEventListener('dragenter', onDragOver);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('dragend', onDragEnd);
    };
  }, [datasetCommands, store]);

  const chooseFile = useCallback(() => inputRef.current?.click(), []);
  const tools = useMemo<ImportTools>(() => ({ chooseFile, openImportDialog: setDialog }), [chooseFile]);

  return (
    <ImportToolsContext value={tools}>
      {children}
      <input
        ref={inputRef}
        type="file"
        accept={ACCEPTED_FILES}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          event.target.value = '';
          if (files.length > 0) void datasetCommands.importFiles(files);
        }}
      />
      {drag ? <DropOverlay zone={drag.zone} datasetName={selectedName} /> : null}
      {dialog ? <ImportDialog request={dialog} onClose={() => setDialog(null)} /> : null}
    </ImportToolsContext>
  );
}

function DropOverlay({ zone, datasetName }: { zone: 'dataset' | 'page'; datasetName: string | null }) {
  const intoDataset = zone === 'dataset' && datasetName !== null;
  return (
    <div className={intoDataset ? 'drop-overlay drop-overlay--dataset' : 'drop-overlay'} aria-hidden="true">
      <div className="drop-overlay__card">
        <span className="drop-overlay__icon">
          <Icon name="upload" size={22} />
        </span>
        <p className="drop-overlay__title">{intoDataset ? `Drop to add a version of ${datasetName}` : 'Drop to import'}</p>
        <p className="drop-overlay__sub">
          {intoDataset ? 'The file becomes its next version, unless the bytes are identical.' : 'Each file becomes a dataset named after it, or the next version of the dataset with that name.'}
        </p>
        <p className="drop-overlay__hint">Hold Alt while dropping to name it and add a message</p>
      </div>
    </div>
  );
}
