import { useEffect, useState } from 'react';
import type { Result } from '../../../../shared/contract/result.ts';
import type { StoreGcReport, StoreVerifyReport } from '../../../../shared/contract/store.ts';
import { formatBytes } from '../../../../shared/format-bytes.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { formatCount } from '../../lib/format.ts';
import './stored-data-dialog.css';
import { useServices } from '../../app/services-context.tsx';

const PROBLEM_WORDS: Record<StoreVerifyReport['problems'][number]['problem'], string> = {
  missing: 'Missing',
  truncated: 'Cut short',
  altered: 'Altered',
  unreadable: 'Unreadable',
};

const blobs = (n: number) => `${formatCount(n)} ${n === 1 ? 'blob' : 'blobs'}`;

/**
 * The workspace's stored bytes (.lathe/objects): check every blob against its hash, and remove
 * the ones no version needs. What verify and gc do from the CLI, for a person.
 */
export function StoredDataDialog({ workspace, onClose }: { workspace: string; onClose: () => void }) {
  const { workspaceCommands } = useServices();
  const [check, setCheck] = useState<Result<StoreVerifyReport> | 'running' | null>(null);
  const [unused, setUnused] = useState<Result<StoreGcReport> | 'running' | null>(null);

  useEffect(() => {
    let live = true;
    void workspaceCommands.removeUnusedData(workspace, { dryRun: true }).then((result) => live && setUnused(result));
    return () => {
      live = false;
    };
  }, [workspace, workspaceCommands]);

  async function runCheck() {
    setCheck('running');
    setCheck(await workspaceCommands.checkStoredData(workspace));
  }

  async function removeUnused() {
    setUnused('running');
    setUnused(await workspaceCommands.removeUnusedData(workspace, { dryRun: false }));
  }

  return (
    <ModalDialog label="Stored data" onClose={onClose} wide>
      <div className="dialog__form stored-data">
        <div>
          <h2 className="dialog__title">Stored data</h2>
          <p className="dialog__lead">
            The bytes of every dataset version live in <code>.lathe/objects</code>, each named by its SHA-256. Git holds the versions; this store holds
            their bytes.
          </p>
        </div>

        <section className="stored-data__section" aria-labelledby="stored-data-check">
          <h3 id="stored-data-check" className="stored-data__heading">
            Check against their hashes
          </h3>
          <p className="muted">Reads every byte of every blob a version needs and hashes it again: a flipped bit, a cut-short or missing file is found.</p>
          <CheckOutcome check={check} />
          <div>
            <button type="button" className="button" disabled={check === 'running'} onClick={() => void runCheck()}>
              {check === 'running' ? 'Checking…' : check ? 'Check again' : 'Check all stored data'}
            </button>
          </div>
        </section>

        <section className="stored-data__section" aria-labelledby="stored-data-unused">
          <h3 id="stored-data-unused" className="stored-data__heading">
            Unused data
          </h3>
          <UnusedOutcome unused={unused} onRemove={() => void removeUnused()} />
        </section>

        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}

function CheckOutcome({ check }: { check: Result<StoreVerifyReport> | 'running' | null }) {
  if (check === null) return null;
  if (check === 'running') {
    return (
      <p className="stored-data__status" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Hashing every stored blob…
      </p>
    );
  }
  if (!check.ok) return <ErrorBanner error={check.error} title="The check could not finish" />;
  const report = check.value;
  if (report.problems.length === 0) {
    return (
      <p className="stored-data__status stored-data__status--good" role="status">
        <Icon name="success" size={16} /> {report.checked === 0 ? 'Nothing is stored yet.' : `All ${blobs(report.checked)} (${formatBytes(report.checkedBytes)}) match their hashes.`}
      </p>
    );
  }
  return (
    <div role="status">
      <p className="stored-data__status stored-data__status--bad">
        <Icon name="alert" size={16} /> {blobs(report.problems.length)} of {formatCount(report.checked)} {report.problems.length === 1 ? 'is' : 'are'} damaged or missing.
      </p>
      <table className="stored-data__problems">
        <thead>
          <tr>
            <th scope="col">Problem</th>
            <th scope="col">Needed by</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">Blob</th>
          </tr>
        </thead>
        <tbody>
          {report.problems.map((problem) => (
            <tr key={problem.contentHash}>
              <td>{PROBLEM_WORDS[problem.problem]}</td>
              <td>{problem.usedBy.join(', ')}</td>
              <td className="num">
                {problem.actualBytes === null ? '—' : formatBytes(problem.actualBytes)} of {formatBytes(problem.expectedBytes)}
              </td>
              <td className="mono" title={problem.path}>
                {problem.contentHash.slice(7, 19)}…
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        To repair a version, import its original file again: the same bytes replace the damaged copy. Or copy the blob from a machine that has it intact.
      </p>
    </div>
  );
}

function UnusedOutcome({ unused, onRemove }: { unused: Result<StoreGcReport> | 'running' | null; onRemove: () => void }) {
  if (unused === null || unused === 'running') {
    return (
      <p className="stored-data__status" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> {unused === 'running' ? 'Removing…' : 'Looking for blobs no version needs…'}
      </p>
    );
  }
  if (!unused.ok) return <ErrorBanner error={unused.error} />;
  const report = unused.value;
  const count = report.unreferenced.length;
  if (!report.dryRun) {
    return (
      <p className="stored-data__status stored-data__status--good" role="status">
        <Icon name="success" size={16} /> Removed {blobs(count)} ({formatBytes(report.unreferencedBytes)}). {blobs(report.kept)} that versions need were kept.
      </p>
    );
  }
  if (count === 0) {
    return (
      <p className="muted" role="status">
        Every stored blob is needed by a version ({blobs(report.kept)}, {formatBytes(report.keptBytes)}).
      </p>
    );
  }
  return (
    <div className="stored-data__unused" role="status">
      <p>
        {blobs(count)} ({formatBytes(report.unreferencedBytes)}) {count === 1 ? 'is' : 'are'} needed by no version on any branch, tag or in git's reflog: left by
        interrupted imports, or by versions whose commits are gone.
      </p>
      <div>
        <button type="button" className="button" onClick={onRemove}>
          Remove unused data ({formatBytes(report.unreferencedBytes)})
        </button>
      </div>
    </div>
  );
}
