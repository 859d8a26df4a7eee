import type { DatasetVersion } from '../../../../shared/contract/datasets.ts';
import { formatCount, formatDateTime, formatTimestamp, shortHash } from '../../lib/format.ts';
import { formatBytes } from '../../../../shared/format-bytes.ts';
import { useServices } from '../../app/services-context.tsx';

/** Every version of the dataset, newest first; choosing one shows it. */
export function VersionHistory({ versions, shown }: { versions: DatasetVersion[]; shown: number | null }) {
  const { datasetCommands } = useServices();
  return (
    <section className="version-history" aria-labelledby="version-history-title">
      <h2 id="version-history-title" className="section-title">
        History <span className="section-title__count num">{versions.length}</span>
      </h2>
      <div className="version-history__scroll">
        <table className="data-table version-table">
          <colgroup>
            <col className="version-table__col-version" />
            <col className="version-table__col-date" />
            <col />
            <col className="version-table__col-count" />
            <col className="version-table__col-count" />
            <col className="version-table__col-size" />
            <col className="version-table__col-hash" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Date</th>
              <th scope="col">Message</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col" className="num">
                Columns
              </th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">Content hash</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => {
              const current = version.version === shown;
              return (
                <tr
                  key={version.version}
                  aria-current={current ? 'true' : undefined}
                  onClick={() => void datasetCommands.selectDataset(version.name, version.version)}
                >
                  <td>
                    <button
                      type="button"
                      className="version-table__version num"
                      aria-label={`Show version ${version.version}`}
                      aria-pressed={current}
                      onClick={(event) => {
                        event.stopPropagation();
                        void datasetCommands.selectDataset(version.name, version.version);
                      }}
                    >
                      v{version.version}
                    </button>
                  </td>
                  <td className="nowrap">
                    <time dateTime={version.date} title={formatDateTime(version.date)}>
                      {formatTimestamp(version.date)}
                    </time>
                  </td>
                  <td className="version-table__message" title={version.message}>
                    {version.message}
                  </td>
                  <td className="num">{formatCount(version.rows)}</td>
                  <td className="num">{formatCount(version.columns)}</td>
                  <td className="num nowrap">{formatBytes(version.bytes)}</td>
                  <td>
                    <code className="hash" title={version.contentHash}>
                      {shortHash(version.contentHash)}
                    </code>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
