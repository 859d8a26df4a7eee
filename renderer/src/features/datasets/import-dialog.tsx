import { useRef, useState, type FormEvent } from 'react';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { Icon } from '../../components/icon.tsx';
import { formatBytes } from '../../../../shared/format-bytes.ts';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { selectSortedDatasets } from './selectors.ts';
import { datasetNameFromFile, datasetNameProblem } from '../../../../shared/contract/dataset-name.ts';
import { ACCEPTED_FILES } from './import-formats.ts';
import './import-dialog.css';

export interface ImportDialogRequest {
  file?: File;
  /** The dataset to add a version to; otherwise the file's name suggests one. */
  datasetName?: string | undefined;
}

/** Import with a chosen dataset name and a message: the slower path beside one-gesture drops. */
export function ImportDialog({ request, onClose }: { request: ImportDialogRequest; onClose: () => void }) {
  const { datasetCommands } = useServices();
  const [file, setFile] = useState<File | null>(request.file ?? null);
  const [name, setName] = useState(request.datasetName ?? (request.file ? datasetNameFromFile(request.file.name) : ''));
  const [nameEdited, setNameEdited] = useState(request.datasetName !== undefined);
  const [message, setMessage] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const datasets = useLathe(selectSortedDatasets);
  const problem = datasetNameProblem(name);
  const existing = datasets.find((dataset) => dataset.name === name);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!file || problem) return;
    onClose();
    void datasetCommands.importFiles([file], { datasetName: name, message: message.trim() || undefined });
  }

  return (
    <ModalDialog label="Import a file" onClose={onClose}>
      <form className="dialog__form" onSubmit={submit}>
        <div>
          <h2 className="dialog__title">Import a file</h2>
          <p className="dialog__lead">A new dataset, or the next version of one that exists.</p>
        </div>
        <div className="field">
          <span className="field__label">File</span>
          <div className="import-dialog__file">
            <Icon name="file" size={16} />
            {file ? (
              <span className="import-dialog__file-name">
                {file.name} <span className="faint">· {formatBytes(file.size)}</span>
              </span>
            ) : (
              <span className="faint">No file chosen</span>
            )}
            <button type="button" className="button button--small" onClick={() => inputRef.current?.click()}>
              {file ? 'Change…' : 'Choose file…'}
            </button>
            <input
              ref={inputRef}
              type="file"
              accept={ACCEPTED_FILES}
              className="visually-hidden"
              tabIndex={-1}
              aria-hidden="true"
              onChange={(event) => {
                const chosen = event.target.files?.[0];
                if (!chosen) return;
                setFile(chosen);
                if (!nameEdited) setName(datasetNameFromFile(chosen.name));
              }}
            />
          </div>
          {submitted && !file ? <span className="field__problem">Choose a file to import.</span> : null}
        </div>
        <label className="field">
          <span className="field__label">Dataset</span>
          <input
            className="input input--mono"
            value={name}
            list="import-dialog-datasets"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={submitted && problem !== null}
            onChange={(event) => {
              setName(event.target.value);
              setNameEdited(true);
            }}
          />
          <datalist id="import-dialog-datasets">
            {datasets.map((dataset) => (
              <option key={dataset.name} value={dataset.name} />
            ))}
          </datalist>
          {problem && (submitted || name !== '') ? (
            <span className="field__problem">{problem}</span>
          ) : (
            <span className="field__note">{existing ? `Adds version ${existing.latest.version + 1} of ${existing.name} (unless the bytes are identical).` : name ? 'Creates a new dataset.' : ' '}</span>
          )}
        </label>
        <label className="field">
          <span className="field__label">
            Message <span className="faint">(optional)</span>
          </span>
          <input
            className="input"
            value={message}
            maxLength={2000}
            autoFocus={file !== null}
            placeholder={file ? `Import ${file.name}` : 'What changed in this version'}
            onChange={(event) => setMessage(event.target.value)}
          />
        </label>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary">
            Import
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
