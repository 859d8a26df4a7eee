import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DeploymentWithEvents } from '../../../../shared/contract/deployments.ts';
import { deploymentName } from '../../../../shared/contract/monitoring.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { useServices } from '../../app/services-context.tsx';
import { useAnswer } from '../models/use-answer.ts';
import { useRefreshWhile, useWorkspacePath } from '../deployments/use-deploy.ts';
import { AlertsPanel } from './alerts-panel.tsx';
import { DeploymentHeader } from './deployment-header.tsx';
import { DriftSection } from './drift-section.tsx';
import { mergeWindows, windowsSignature } from './drift-strip-rows.ts';
import { useMonitoringCommands } from './monitoring-commands.ts';
import { PerformanceSection } from './performance-section.tsx';
import { testMetricOf } from './report-words.ts';
import { RetrainingPanel } from './retraining-panel.tsx';
import { SettingsDialog } from './settings-dialog.tsx';
import { SimulateDialog } from './simulate-dialog.tsx';
import { TrafficSection } from './traffic-section.tsx';

/** The agent's open window changes between the sampler's fetches: ask it again this often. */
const LIVE_REFRESH_MS = 5_000;

/**
 * The last value whose signature differed: a refresh that brings the same windows keeps the same
 * array, so a dozen charts do not redraw every few seconds for nothing.
 */
function useUnchanged<T>(value: T, signature: (value: T) => string): T {
  const now = signature(value);
  const [kept, setKept] = useState({ value, signature: now });
  if (kept.signature !== now) {
    // React's pattern for state derived from the previous render: re-render at once with it.
    setKept({ value, signature: now });
    return value;
  }
  return kept.value;
}

/** Ask again when main kept new windows for this deployment. */
function useWindowsKept(deployment: string, onChange: () => void): void {
  const { api } = useServices();
  const workspace = useWorkspacePath();
  useEffect(() => api.on('monitoring:windows', (kept) => (kept.workspace === workspace && kept.deployment === deployment ? onChange() : undefined)), [api, workspace, deployment, onChange]);
}

/**
 * One deployment, TARGET/MODEL: its header, open alerts, drift (heat strip, distributions,
 * scores), performance (accuracy or its estimate), traffic, and its model's retraining.
 */
export function DeploymentMonitor({ target, model, latest }: { target: string; model: string; latest: DeploymentWithEvents | null }) {
  const name = deploymentName(target, model);
  const commands = useMonitoringCommands();
  const workspace = useWorkspacePath();
  const report = useAnswer(workspace && `${workspace}\n${name}`, () => commands.report(name));
  const history = useAnswer(workspace && `${workspace}\n${name}`, () => commands.history(name));
  const reloadReport = report.reload;
  const reloadHistory = history.reload;
  const reloadBoth = useCallback(() => {
    reloadReport();
    reloadHistory();
  }, [reloadReport, reloadHistory]);
  useWindowsKept(name, reloadBoth);
  useRefreshWhile(true, LIVE_REFRESH_MS, reloadReport);
  const [dialog, setDialog] = useState<'simulate' | 'settings' | null>(null);

  const reportValue = report.loaded.state === 'ready' ? report.loaded.value : null;
  const merged = useMemo(() => mergeWindows(history.loaded.state === 'ready' ? history.loaded.value.windows : [], reportValue?.windows ?? []), [history.loaded, reportValue]);
  const windows = useUnchanged(merged, windowsSignature);
  // The serving version's test-split metric, for the accuracy chart's reference line.
  const serving = reportValue?.version ?? null;
  const registered = useAnswer(workspace && serving && `${workspace}\n${model}@${serving}`, () => commands.version(model, serving ?? ''));
  const testMetric = registered.loaded.state === 'ready' ? testMetricOf(registered.loaded.value.metrics) : null;
  const loading = report.loaded.state !== 'ready' && report.loaded.state !== 'failed';

  const actions = (
    <>
      <button type="button" className="button" disabled={!reportValue} onClick={() => setDialog('settings')}>
        Settings…
      </button>
      <button type="button" className="button button--primary" onClick={() => setDialog('simulate')}>
        Simulate traffic…
      </button>
    </>
  );
  return (
    <section className="monitor" aria-labelledby="monitor-title">
      <DeploymentHeader name={name} report={reportValue} latest={latest} actions={actions} />
      {report.loaded.state === 'failed' ? <ErrorBanner error={report.loaded.error} title={`Could not read the monitoring report of ${name}`} /> : null}
      {history.loaded.state === 'failed' ? <ErrorBanner error={history.loaded.error} title={`Could not read the windows kept for ${name}`} /> : null}
      {loading ? (
        <div className="monitoring-loading" aria-busy="true">
          <div className="spinner" />
          <span className="faint">Asking the agent…</span>
        </div>
      ) : (
        <>
          <AlertsPanel deployment={name} />
          <DriftSection windows={windows} />
          <PerformanceSection windows={windows} testMetric={testMetric} />
        </>
      )}
      <TrafficSection target={target} model={model} />
      <RetrainingPanel model={model} />
      {dialog === 'simulate' ? <SimulateDialog deployment={name} onClose={() => setDialog(null)} /> : null}
      {dialog === 'settings' && reportValue ? <SettingsDialog deployment={name} settings={reportValue.settings} onClose={() => setDialog(null)} onSaved={reloadBoth} /> : null}
    </section>
  );
}
