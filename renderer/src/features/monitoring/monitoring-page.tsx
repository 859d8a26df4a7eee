import { useMemo, useState } from 'react';
import type { DeploymentWithEvents } from '../../../../shared/contract/deployments.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { formatRelativeTime } from '../../lib/format.ts';
import { DeploymentStateChip } from '../deployments/deployment-state-chip.tsx';
import { hashOf as deploymentsHash } from '../deployments/deployments-route.ts';
import { useDeployCommands, useDeploymentsChanged, useRefreshWhile, useWorkspacePath } from '../deployments/use-deploy.ts';
import { formatSeconds } from '../deployments/strategy-choice.ts';
import { useAnswer } from '../models/use-answer.ts';
import { latencyRows, rangeStart, ranges, rowsByVersion, thinRows, timeSpan, versionsIn, type RangeId } from './monitoring-rows.ts';
import { hashOf, routeFromHash, useMonitoringHash } from './monitoring-route.ts';
import { LINE_COLORS, PERCENTILE_COLORS, TimeSeriesChart, type TimeLine } from './time-series-chart.tsx';
import './time-series-chart.css';
import './monitoring.css';

const versionColors = [LINE_COLORS.stable, LINE_COLORS.candidate, LINE_COLORS.third, LINE_COLORS.fourth];
const perSecond = (value: number) => `${Number(value.toPrecision(3))}/s`;
const percent = (value: number) => `${Number((value * 100).toPrecision(3))}%`;
const ms = (value: number) => `${Number(value.toPrecision(3))} ms`;

/** Each target and model deployed from this workspace, newest first, with its latest deployment. */
function deployedPairs(history: readonly DeploymentWithEvents[]): DeploymentWithEvents[] {
  const seen = new Set<string>();
  return history.filter((one) => {
    const key = `${one.target}\n${one.model}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The Monitoring area: per deployment (a model on a target), requests/s, error rate and latency
 * percentiles over time, from the agent's /metrics as the app sampled them into the workspace.
 */
export function MonitoringPage() {
  const deploy = useDeployCommands();
  const workspace = useWorkspacePath();
  const history = useAnswer(workspace, () => deploy.history({ limit: 500 }));
  useDeploymentsChanged(history.reload);
  const hash = useMonitoringHash();
  const pairs = useMemo(() => (history.loaded.state === 'ready' ? deployedPairs(history.loaded.value) : []), [history.loaded]);
  const chosen = routeFromHash(hash) ?? (pairs[0] ? { target: pairs[0].target, model: pairs[0].model } : null);

  return (
    <main className="monitoring-page" aria-label="Monitoring">
      {history.loaded.state === 'failed' ? (
        <div className="monitoring-page__banner">
          <ErrorBanner error={history.loaded.error} title="Could not read this workspace’s deployments" />
        </div>
      ) : history.loaded.state !== 'ready' ? (
        <div className="monitoring-loading" aria-busy="true">
          <div className="spinner" />
        </div>
      ) : pairs.length === 0 || chosen === null ? (
        <EmptyMonitoring />
      ) : (
        <div className="monitoring-layout">
          <nav className="monitoring-list" aria-label="Deployments">
            <h1 className="monitoring-list__title">Monitoring</h1>
            <ul>
              {pairs.map((one) => {
                const current = one.target === chosen.target && one.model === chosen.model;
                return (
                  <li key={`${one.target}\n${one.model}`}>
                    <a className="monitoring-list__item" href={hashOf({ target: one.target, model: one.model })} aria-current={current ? 'page' : undefined}>
                      <span className="monitoring-list__name">
                        <span className="mono">{one.model}</span> on {one.target}
                      </span>
                      <span className="monitoring-list__meta">
                        v{one.version} · <DeploymentStateChip state={one.state} />
                      </span>
                    </a>
                  </li>
                );
              })}
            </ul>
          </nav>
          <DeploymentSeries key={`${chosen.target}\n${chosen.model}`} target={chosen.target} model={chosen.model} latest={pairs.find((one) => one.target === chosen.target && one.model === chosen.model) ?? null} />
        </div>
      )}
    </main>
  );
}

function DeploymentSeries({ target, model, latest }: { target: string; model: string; latest: DeploymentWithEvents | null }) {
  const deploy = useDeployCommands();
  const workspace = useWorkspacePath();
  const [range, setRange] = useState<RangeId>('1h');
  const { loaded, reload } = useAnswer(workspace && `${workspace}\n${target}\n${model}\n${range}`, () => deploy.series(target, model, rangeStart(range, Date.now())));
  // The app samples the agent on its own clock: ask again at that pace (not faster than every 2 s).
  const every = loaded.state === 'ready' ? Math.max(2_000, loaded.value.intervalMs) : 5_000;
  useRefreshWhile(true, every, reload);
  const points = useMemo(() => (loaded.state === 'ready' ? loaded.value.points : []), [loaded]);
  const versions = useMemo(() => versionsIn(points), [points]);
  const xDomain = useMemo(() => timeSpan(points), [points]);
  const lines: TimeLine[] = versions.map((version, index) => ({ key: `v${version}`, label: `v${version}`, color: versionColors[index % versionColors.length]! }));

  return (
    <section className="monitoring-series" aria-labelledby="monitoring-series-title">
      <header className="monitoring-series__head">
        <h2 id="monitoring-series-title" className="monitoring-series__title">
          <span className="mono">{model}</span> on {target}
        </h2>
        {latest ? (
          <a className="faint" href={deploymentsHash({ view: 'rollout', id: latest.id })}>
            latest deployment: v{latest.version}, {formatRelativeTime(latest.startedAt)}
          </a>
        ) : null}
        <label className="monitoring-series__range">
          <span className="visually-hidden">Time range</span>
          <select className="input" value={range} onChange={(event) => setRange(event.target.value as RangeId)}>
            {ranges.map((one) => (
              <option key={one.id} value={one.id}>
                {one.label}
              </option>
            ))}
          </select>
        </label>
      </header>
      {loaded.state === 'failed' ? (
        <ErrorBanner error={loaded.error} title={`Could not read the measurements of ${model} on ${target}`} />
      ) : loaded.state !== 'ready' ? (
        <div className="spinner" aria-busy="true" />
      ) : (
        <>
          <p className="faint monitoring-series__how">
            Sampled from the agent’s <code>/metrics</code> every {formatSeconds(Math.round(loaded.value.intervalMs / 1000))} while Lathe runs; kept {loaded.value.retentionDays} days.
            {points.length === 0 ? ' Nothing measured in this range yet: send the model some requests, or widen the range.' : ''}
          </p>
          <div className="monitoring-charts">
            <TimeSeriesChart title="Requests per second" rows={thinRows(rowsByVersion(points, (point) => point.requestsPerSecond))} lines={lines} format={perSecond} xDomain={xDomain} />
            <TimeSeriesChart title="Error rate" rows={thinRows(rowsByVersion(points, (point) => point.errorRate))} lines={lines} format={percent} xDomain={xDomain} />
            {(versions.length > 0 ? versions : ['']).map((version) => (
              <TimeSeriesChart
                key={version}
                title={version ? `Latency of v${version}` : 'Latency'}
                rows={version ? thinRows(latencyRows(points, version)) : []}
                lines={[
                  { key: 'p50', label: 'p50', color: PERCENTILE_COLORS.p50 },
                  { key: 'p95', label: 'p95', color: PERCENTILE_COLORS.p95 },
                  { key: 'p99', label: 'p99', color: PERCENTILE_COLORS.p99 },
                ]}
                format={ms}
                xDomain={xDomain}
              />
            ))}
          </div>
        </>
      )}
      <NotBuiltYet />
    </section>
  );
}

function NotBuiltYet() {
  return (
    <p className="monitoring-not-built">
      <Icon name="info" size={14} />
      <span>Drift (live inputs against the training data) and accuracy (predictions against outcomes) are not built yet; this page shows traffic, errors and latency only.</span>
    </p>
  );
}

/** Nothing deployed from this workspace: how measurements arrive here. */
function EmptyMonitoring() {
  return (
    <section className="empty-area" aria-labelledby="monitoring-empty-title">
      <span className="empty-area__icon">
        <Icon name="monitoring" size={26} />
      </span>
      <h1 id="monitoring-empty-title" className="empty-area__title">
        Nothing to watch yet
      </h1>
      <p className="empty-area__lead">
        Each deployment gets its requests per second, error rate and latency percentiles over time here. While Lathe runs it samples every target’s <code>/metrics</code> and
        keeps the numbers in the workspace, so the history is here after a restart.
      </p>
      <div className="empty-area__actions">
        <a className="button button--primary button--large" href={deploymentsHash({ view: 'targets' })}>
          <Icon name="deployments" size={16} />
          Deploy a model
        </a>
      </div>
      <div className="empty-area__how">
        <p>Drift and accuracy against the training data are not built yet.</p>
      </div>
    </section>
  );
}
