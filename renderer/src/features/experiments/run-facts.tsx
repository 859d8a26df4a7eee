import type { ReactNode } from 'react';
import type { RunDetail, RunEnvironment } from '../../../../shared/contract/runs.ts';
import { CopyButton } from '../../components/copy-button.tsx';
import { Icon } from '../../components/icon.tsx';
import { useNow } from '../../components/use-now.ts';
import { formatCount, shortHash } from '../../lib/format.ts';
import { useServices } from '../../app/services-context.tsx';
import { formatDuration, formatStart } from './experiments-format.ts';
import { runDuration } from './run-columns.ts';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="run-facts__fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** The dataset a run read, linking to that version in Datasets. */
function DatasetLink({ name, version }: { name: string; version: number | null }) {
  const { datasetCommands } = useServices();
  const label = version === null ? name : `${name}@${version}`;
  return (
    <a
      href="#/datasets"
      className="mono"
      title={`Show ${label} in Datasets`}
      onClick={(event) => {
        event.preventDefault();
        void datasetCommands.selectDataset(name, version);
        window.location.hash = '/datasets';
      }}
    >
      {label}
    </a>
  );
}

/** What a run is: when, for how long, with what data, code and machine, and its params, tags and files. */
export function RunFacts({ run }: { run: RunDetail }) {
  const now = useNow(run.status === 'RUNNING' ? 1000 : 60_000);
  const environment = Object.entries(environmentEntries(run.environment)).filter(([key]) => !key.startsWith('library '));
  const libraries = Object.entries(run.environment?.libraries ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const params = Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }));
  const tags = Object.entries(run.tags);

  return (
    <aside className="run-facts" aria-label="About this run">
      <section className="run-facts__section">
        <h2 className="run-facts__title">Run</h2>
        <dl className="run-facts__list">
          <Fact label="Started">{formatStart(run.startTime)}</Fact>
          <Fact label="Duration">
            <span className="num">{formatDuration(runDuration(run, now.getTime()))}</span>
            {run.status === 'RUNNING' ? <span className="faint"> so far</span> : null}
          </Fact>
          <Fact label="User">{run.user}</Fact>
          <Fact label="Run id">
            <span className="mono run-facts__id">{run.id.slice(0, 12)}…</span>
            <CopyButton text={run.id} label="Copy the run id" />
          </Fact>
          <Fact label="Dataset">
            {run.datasets.length === 0 ? (
              <span className="faint">none recorded</span>
            ) : (
              run.datasets.map((input) => (
                <span key={`${input.name}@${input.version}`} className="run-facts__dataset">
                  <DatasetLink name={input.name} version={input.version} />
                  <span className="hash faint" title={input.contentHash}>
                    {shortHash(input.contentHash, 8)}
                  </span>
                </span>
              ))
            )}
          </Fact>
          <Fact label="Git commit">
            {run.gitCommit ? (
              <>
                <Icon name="gitCommit" size={13} />
                <span className="mono" title={run.gitCommit}>
                  {run.gitCommit.slice(0, 10)}
                </span>
                <CopyButton text={run.gitCommit} label="Copy the commit" />
              </>
            ) : (
              <span className="faint">none recorded</span>
            )}
          </Fact>
        </dl>
      </section>

      <section className="run-facts__section" aria-labelledby="run-params-title">
        <h2 id="run-params-title" className="run-facts__title">
          Params <span className="faint num">{params.length}</span>
        </h2>
        {params.length === 0 ? (
          <p className="faint">No params were logged.</p>
        ) : (
          <table className="data-table run-facts__table">
            <tbody>
              {params.map(([key, value]) => (
                <tr key={key}>
                  <th scope="row" className="mono" title={key}>
                    {key}
                  </th>
                  <td className="mono" title={value}>
                    {value}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="run-facts__section" aria-labelledby="run-environment-title">
        <h2 id="run-environment-title" className="run-facts__title">
          Environment
        </h2>
        {environment.length === 0 && libraries.length === 0 ? (
          <p className="faint">Not recorded.</p>
        ) : (
          <>
          <table className="data-table run-facts__table">
            <tbody>
              {environment.map(([key, value]) => (
                <tr key={key}>
                  <th scope="row">{key}</th>
                  <td className="mono" title={value}>
                    {value}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {libraries.length > 0 ? (
            <ul className="run-facts__libraries" aria-label="Libraries">
              {libraries.map(([name, version]) => (
                <li key={name}>
                  <span className="mono">{name}</span>
                  <span className="mono faint">{version}</span>
                </li>
              ))}
            </ul>
          ) : null}
          </>
        )}
      </section>

      {tags.length > 0 ? (
        <section className="run-facts__section" aria-labelledby="run-tags-title">
          <h2 id="run-tags-title" className="run-facts__title">
            Tags
          </h2>
          <ul className="run-facts__tags">
            {tags.map(([key, value]) => (
              <li key={key} className="badge" title={`${key} = ${value}`}>
                {key}: {value}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="run-facts__section" aria-labelledby="run-artifacts-title">
        <h2 id="run-artifacts-title" className="run-facts__title">
          Artifacts <span className="faint num">{run.artifacts.length}</span>
        </h2>
        {run.artifacts.length === 0 ? (
          <p className="faint">None.</p>
        ) : (
          <ul className="run-facts__artifacts">
            {run.artifacts.map((artifact) => (
              <li key={artifact.path}>
                <Icon name="file" size={13} />
                <span className="mono">{artifact.path}</span>
                <span className="faint num">{formatBytes(artifact.bytes)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p className="run-facts__footnote faint num">{formatCount(Object.keys(run.metrics).length)} metrics logged</p>
    </aside>
  );
}

/** An environment as flat text entries: `backend`, `platform`, `library tfjs-core`… */
function environmentEntries(environment: RunEnvironment | null): Record<string, string> {
  if (!environment) return {};
  const entries: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) {
    if (key === 'libraries' || value === undefined) continue;
    entries[key] = value === null ? 'none' : typeof value === 'string' ? value : JSON.stringify(value);
  }
  for (const [name, version] of Object.entries(environment.libraries ?? {})) entries[`library ${name}`] = version;
  return entries;
}
