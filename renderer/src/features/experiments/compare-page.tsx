import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { pointsForWidth } from './chart-geometry.ts';
import { looksClassification } from './compare-commands.ts';
import { sameIds, type CurveResolution } from './compare-slice.ts';
import { CompareCurves } from './compare-curves.tsx';
import { CompareMatrices } from './compare-matrices.tsx';
import { CompareParams } from './compare-params.tsx';
import { goTo, hashOf } from './experiments-route.ts';
import type { ComparedRun } from './overlaid-chart.tsx';
import { ParallelCoordinates } from './parallel-coordinates.tsx';
import { runColor } from './run-colors.ts';
import { WhyDiffer } from './why-differ.tsx';
import './charts.css';
import './compare.css';

type CompareTab = 'curves' | 'parallel' | 'params' | 'matrices' | 'why';

/** Legend chips shown before "and N more". */
const LEGEND_CHIPS = 16;

/** The width the charts grid gives each chart, measured; `columns` charts a row. */
function useChartWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const gap = 16;
  const columns = width >= 1000 ? 2 : 1;
  return { ref, chartWidth: width === 0 ? 0 : Math.floor((width - gap * (columns - 1)) / columns) };
}

/** Runs side by side: curves overlaid, params against a metric, what differs, confusion matrices, and why two runs differ. */
export function ComparePage({ runIds }: { runIds: readonly string[] }) {
  const { experimentCommands } = useServices();
  const comparison = useLathe((state) => state.comparison);
  const hasWorkspace = useLathe((state) => state.workspace !== null);
  const [tab, setTab] = useState<CompareTab>('curves');
  const [everyPoint, setEveryPoint] = useState(false);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const { ref: gridRef, chartWidth } = useChartWidth();
  const resolution: CurveResolution | null = chartWidth === 0 ? null : everyPoint ? 'every' : pointsForWidth(chartWidth - 70);

  useEffect(() => {
    if (hasWorkspace) void experimentCommands.compare.openComparison(runIds);
  }, [hasWorkspace, runIds, experimentCommands]);
  const loaded = comparison?.status === 'ready' && sameIds(comparison.ids, runIds);
  // Curves once the runs are read and the charts' width is known; again at another resolution.
  useEffect(() => {
    if (loaded && resolution !== null) void experimentCommands.compare.loadCurves(resolution);
  }, [loaded, resolution, experimentCommands]);

  const runs = comparison?.runs;
  const compared: ComparedRun[] = useMemo(() => (runs ?? []).map((run, index) => ({ run, color: runColor(index) })), [runs]);
  const missing = runs ? runIds.length - runs.length : 0;
  const classifiers = compared.filter(({ run }) => looksClassification(run)).length;

  const tabs: { id: CompareTab; label: string; hidden?: boolean }[] = [
    { id: 'curves', label: 'Curves' },
    { id: 'parallel', label: 'Parallel coordinates' },
    { id: 'params', label: 'Params' },
    { id: 'matrices', label: 'Confusion matrices', hidden: classifiers === 0 },
    { id: 'why', label: 'Why did these differ' },
  ];

  const removeRun = (runId: string) => {
    const rest = runIds.filter((id) => id !== runId);
    goTo(rest.length >= 1 ? { view: 'compare', runIds: rest } : { view: 'runs' });
  };

  return (
    <div className="compare-page">
      <header className="compare-header">
        <a className="page-header__back" href={hashOf({ view: 'runs' })}>
          <Icon name="arrowLeft" size={14} />
          Runs
        </a>
        <div className="compare-header__title-row">
          <h1 className="page-header__title">Comparing {runIds.length} runs</h1>
          <label className="compare-header__option" title="Draw every logged point instead of about one a pixel (slower with long runs)">
            <input type="checkbox" checked={everyPoint} onChange={(event) => setEveryPoint(event.target.checked)} />
            Every point
          </label>
        </div>
        {compared.length > 0 ? (
          <ul className="compare-legend" aria-label="Compared runs">
            {compared.slice(0, LEGEND_CHIPS).map(({ run, color }) => (
              <li key={run.id} className="compare-legend__chip" onPointerEnter={() => setHighlighted(run.id)} onPointerLeave={() => setHighlighted(null)}>
                <span className="metric-chart__swatch" style={{ background: color }} />
                <a href={hashOf({ view: 'run', runId: run.id })}>{run.name}</a>
                <button type="button" className="compare-legend__remove" aria-label={`Leave ${run.name} out`} title="Leave it out of the comparison" onClick={() => removeRun(run.id)}>
                  <Icon name="close" size={11} />
                </button>
              </li>
            ))}
            {compared.length > LEGEND_CHIPS ? <li className="compare-legend__more faint">and {compared.length - LEGEND_CHIPS} more</li> : null}
          </ul>
        ) : null}
        {missing > 0 ? <p className="faint">{missing === 1 ? 'One run asked for is' : `${missing} runs asked for are`} not in this workspace.</p> : null}
      </header>
      <div className="tabs compare-tabs" role="tablist" aria-label="Comparison">
        {tabs
          .filter((entry) => !entry.hidden)
          .map((entry) => (
            <button key={entry.id} type="button" role="tab" className="tab" aria-selected={tab === entry.id} onClick={() => setTab(entry.id)}>
              {entry.label}
            </button>
          ))}
      </div>
      <div className="compare-page__body" role="tabpanel">
        {comparison?.status === 'failed' && comparison.error ? <ErrorBanner error={comparison.error} title="Could not read the runs to compare" /> : null}
        <div ref={gridRef} className="compare-page__measure" hidden={tab !== 'curves'}>
          {tab === 'curves' ? <CompareCurves comparison={comparison} runs={compared} chartWidth={chartWidth} highlighted={highlighted} onHighlight={setHighlighted} /> : null}
        </div>
        {runs && tab === 'parallel' ? <ParallelCoordinates runs={compared} /> : null}
        {runs && tab === 'params' ? <CompareParams runs={compared} /> : null}
        {runs && tab === 'matrices' ? <CompareMatrices runs={compared} /> : null}
        {runs && tab === 'why' ? <WhyDiffer runs={compared} /> : null}
      </div>
    </div>
  );
}
