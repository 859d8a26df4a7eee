import { useMemo, useState } from 'react';
import type { WindowSummary } from '../../../../shared/contract/monitoring.ts';
import { formatShare } from '../../lib/format.ts';
import { DistributionOverlay } from './distribution-overlay.tsx';
import { driftStrip, formatScore, methodName } from './drift-strip-rows.ts';
import { DriftStripView, type ChosenCell } from './drift-strip.tsx';
import { WindowChart } from './window-chart.tsx';
import { datasetShareRows, scoreSeries, thinWindows } from './window-series.ts';

/** A chart a few hundred pixels wide shows at most this many windows; more are thinned. */
const CHART_WINDOWS = 150;
const SCORE_COLOR = '#4e79a7';
const SHARE_COLOR = '#f28e2b';

/**
 * Drift, window by window: the heat strip (click a cell for its distributions), the share of
 * drifted features, and a chart per feature of its score against its threshold.
 */
export function DriftSection({ windows }: { windows: readonly WindowSummary[] }) {
  const strip = useMemo(() => driftStrip(windows), [windows]);
  const series = useMemo(() => scoreSeries(windows), [windows]);
  const shares = useMemo(() => thinWindows(datasetShareRows(windows), CHART_WINDOWS), [windows]);
  const [chosen, setChosen] = useState<ChosenCell | null>(null);
  const chosenWindow = chosen ? windows.find((window) => window.index === chosen.window) : undefined;
  const chosenColumn = chosen && chosenWindow ? (chosen.row === 'prediction' ? chosenWindow.prediction : chosenWindow.features.find((feature) => feature.name === chosen.row)) : null;

  if (windows.length === 0) {
    return (
      <section className="monitor-section" aria-label="Drift">
        <h3 className="monitor-section__title">Drift</h3>
        <p className="faint">No window yet: the agent judges drift once a window of predictions has been recorded. Send the model some requests, or simulate traffic.</p>
      </section>
    );
  }
  return (
    <section className="monitor-section" aria-label="Drift">
      <h3 className="monitor-section__title">Drift</h3>
      <DriftStripView strip={strip} chosen={chosen} onChoose={setChosen} />
      {chosen && chosenColumn && chosenWindow ? <DistributionOverlay column={chosenColumn} window={chosen.window} reference={chosenWindow.reference} onClose={() => setChosen(null)} /> : null}
      <div className="monitoring-charts">
        <WindowChart
          title="Share of features drifted"
          rows={shares}
          lines={[{ key: 'share', label: 'drifted', color: SHARE_COLOR }]}
          marks={[{ value: 0.5, label: 'dataset drift at', kind: 'threshold' }]}
          format={(value) => formatShare(value)}
          yDomain={[0, 1]}
          empty="No window had a feature with enough data to judge."
        />
        {series.map((one) => (
          <WindowChart
            key={one.name}
            title={`${one.name === 'prediction' ? 'Prediction' : one.name}${one.method ? ` · ${methodName(one.method as Parameters<typeof methodName>[0])}` : ''}`}
            rows={thinWindows(one.rows, CHART_WINDOWS, one.pValue ? Math.min : Math.max)}
            lines={[{ key: 'score', label: one.drifted > 0 ? `score (drifted in ${one.drifted})` : 'score', color: SCORE_COLOR }]}
            marks={one.threshold !== null ? [{ value: one.threshold, label: one.pValue ? 'drift below' : 'drift at or above', kind: 'threshold' }] : []}
            format={formatScore}
            height={130}
            empty="Not enough data in any window yet."
          />
        ))}
      </div>
    </section>
  );
}
