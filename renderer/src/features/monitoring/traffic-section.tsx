import { useMemo, useState } from 'react';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { useAnswer } from '../models/use-answer.ts';
import { formatSeconds } from '../deployments/strategy-choice.ts';
import { useDeployCommands, useRefreshWhile, useWorkspacePath } from '../deployments/use-deploy.ts';
import { latencyRows, rangeStart, ranges, rowsByVersion, thinRows, timeSpan, versionsIn, type RangeId } from './monitoring-rows.ts';
import { LINE_COLORS, PERCENTILE_COLORS, TimeSeriesChart, type TimeLine } from './time-series-chart.tsx';

const versionColors = [LINE_COLORS.stable, LINE_COLORS.candidate, LINE_COLORS.third, LINE_COLORS.fourth];
const perSecond = (value: number) => `${Number(value.toPrecision(3))}/s`;
const percent = (value: number) => `${Number((value * 100).toPrecision(3))}%`;
const ms = (value: number) => `${Number(value.toPrecision(3))} ms`;

/**
 * Requests/s, error rate and latency percentiles over time per serving version, from the agent's
 * /metrics as the app sampled them into the workspace.
 */
export function TrafficSection({ target, model }: { target: string; model: string }) {
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
    <section className="monitor-section" aria-label="Traffic">
      <div className="monitor-section__head">
        <h3 className="monitor-section__title">Requests, errors and latency</h3>
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
      </div>
      {loaded.state === 'failed' ? (
        <ErrorBanner error={loaded.error} title={`Could not read the measurements of ${target}/${model}`} />
      ) : loaded.state !== 'ready' ? (
        <div className="spinner" aria-busy="true" />
      ) : (
        <>
          <p className="faint monitor-section__how">
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
    </section>
  );
}
