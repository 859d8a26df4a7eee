import type { ModelVersion } from '../../../../shared/contract/registry.ts';
import { CopyButton } from '../../components/copy-button.tsx';
import { Icon, type IconName } from '../../components/icon.tsx';
import { shortHash } from '../../lib/format.ts';
import { hashOf as runHash } from '../experiments/experiments-route.ts';
import type { ReactNode } from 'react';
import { DatasetLink } from './dataset-link.tsx';

function Step({ icon, label, children }: { icon: IconName; label: string; children: ReactNode }) {
  return (
    <li className="lineage__step">
      <span className="lineage__icon" aria-hidden="true">
        <Icon name={icon} size={15} />
      </span>
      <span className="lineage__label">{label}</span>
      <span className="lineage__value">{children}</span>
    </li>
  );
}

/** A commit as its first 10 digits, the full hash in its title and one click from the clipboard. */
function Commit({ commit, what }: { commit: string; what: string }) {
  return (
    <span className="lineage__commit">
      <code className="hash" title={commit}>
        {commit.slice(0, 10)}
      </code>
      <CopyButton text={commit} label={`Copy the ${what} commit`} />
    </span>
  );
}

/** The environment a run trained in, in a few words: backend, Node, platform. */
export function environmentWords(environment: ModelVersion['lineage']['environment']): string | null {
  if (!environment) return null;
  const words = [environment.backend && `${environment.backend} backend`, environment.node && `Node ${environment.node.replace(/^v/, '')}`, environment.platform].filter(Boolean);
  return words.length > 0 ? words.join(' · ') : null;
}

/**
 * Where a version came from, as a chain: the dataset version (and its content hash) a run read,
 * the run, the workspace commit it started from, the machine it ran on, and the version made of
 * it. Each step opens where that thing lives (Datasets, Experiments) or copies what names it.
 */
export function LineageChain({ version }: { version: ModelVersion }) {
  const { lineage } = version;
  const runLink = runHash({ view: 'run', runId: lineage.run.id });
  const environment = environmentWords(lineage.environment);
  return (
    <ol className="lineage" aria-label="Lineage">
      <Step icon="datasets" label="Dataset">
        {lineage.dataset ? (
          <>
            <DatasetLink dataset={lineage.dataset} className="mono lineage__link" />
            <code className="hash faint" title={lineage.dataset.contentHash}>
              {shortHash(lineage.dataset.contentHash, 10)}
            </code>
          </>
        ) : (
          <span className="faint">none recorded</span>
        )}
      </Step>
      <Step icon="experiments" label="Run">
        <a className="lineage__link" href={runLink} title={`Open run ${lineage.run.id} in Experiments`}>
          {lineage.run.name}
        </a>
        <span className="faint">in {lineage.run.experimentName}</span>
      </Step>
      <Step icon="gitCommit" label="Workspace commit">
        {lineage.run.gitCommit ? <Commit commit={lineage.run.gitCommit} what="run's" /> : <span className="faint">none recorded</span>}
        {lineage.workspaceCommit && lineage.workspaceCommit !== lineage.run.gitCommit ? (
          <span className="faint lineage__note">
            registered at <code className="hash" title={lineage.workspaceCommit}>{lineage.workspaceCommit.slice(0, 10)}</code>
          </span>
        ) : null}
      </Step>
      <Step icon="cpu" label="Environment">
        <a className="lineage__link" href={runLink} title="The run's page lists its machine and library versions">
          {environment ?? 'not recorded'}
        </a>
      </Step>
      <Step icon="models" label="Model version">
        <span className="mono lineage__here" aria-current="page">
          {version.name}@{version.version}
        </span>
      </Step>
    </ol>
  );
}
