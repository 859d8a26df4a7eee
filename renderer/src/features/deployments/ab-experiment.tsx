import type { ArmOutcome, Experiment } from '../../../../shared/contract/agent-admin.ts';
import { abVerdict } from './ab-verdict.ts';

const asShare = (value: number) => `${(value * 100).toFixed(1)}%`;

/** Each arm's mean as a dot on one shared axis, its 95 % interval as a bar: overlap reads at a glance. */
function IntervalPlot({ arms, metric, format }: { arms: readonly { key: string; arm: ArmOutcome }[]; metric: Experiment['metric']; format: (value: number) => string }) {
  const values = arms.flatMap(({ arm }) => (arm.ci95 ? arm.ci95 : arm.mean !== null ? [arm.mean] : []));
  if (values.length === 0) return null;
  const low = metric === 'accuracy' ? Math.max(0, Math.min(...values) - 0.05) : Math.min(...values);
  const high = metric === 'accuracy' ? Math.min(1, Math.max(...values) + 0.05) : Math.max(...values);
  const span = high - low || 1;
  const x = (value: number) => 8 + ((value - low) / span) * 284;
  return (
    <svg className="ab-intervals" viewBox="0 0 300 72" role="img" aria-label="Each arm’s mean with its 95 % interval">
      <line className="ab-intervals__axis" x1={8} x2={292} y1={60} y2={60} />
      <text className="ab-intervals__tick" x={8} y={70} textAnchor="start">
        {format(low)}
      </text>
      <text className="ab-intervals__tick" x={292} y={70} textAnchor="end">
        {format(high)}
      </text>
      {arms.map(({ key, arm }, index) =>
        arm.mean === null ? null : (
          <g key={key} className={`ab-intervals__arm ab-intervals__arm--${key}`} transform={`translate(0 ${14 + index * 24})`}>
            {arm.ci95 ? <line x1={x(arm.ci95[0])} x2={x(arm.ci95[1])} y1={0} y2={0} /> : null}
            <circle cx={x(arm.mean)} cy={0} r={4} />
          </g>
        ),
      )}
    </svg>
  );
}

/**
 * An A/B test's outcomes: per arm the requests routed to it, the outcomes fed back, the accuracy
 * (or mean reward) with its 95 % interval; the significance test; the sample size still needed.
 */
export function AbExperiment({ experiment, model }: { experiment: Experiment | null; model: string }) {
  if (experiment === null) return null;
  const verdict = abVerdict(experiment, model);
  const what = experiment.metric === 'reward' ? 'Mean reward' : 'Accuracy';
  const format = (value: number) => (experiment.metric === 'reward' ? value.toPrecision(3) : asShare(value));
  const arms = [
    { key: 'stable', name: 'Stable', arm: experiment.stable },
    { key: 'candidate', name: 'Candidate', arm: experiment.candidate },
  ] as const;
  return (
    <section className="deploy-section" aria-labelledby="experiment-title">
      <h2 id="experiment-title" className="deploy-section__title">
        Experiment
      </h2>
      <p className="ab-verdict" role="status" aria-label="Experiment verdict">
        <strong>{verdict.headline}</strong> <span className="faint">{verdict.detail}</span>
      </p>
      <div className="ab-experiment">
        <table className="data-table deploy-table" aria-label="Arms">
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col" className="num">
                Requests
              </th>
              <th scope="col" className="num">
                Outcomes
              </th>
              <th scope="col" className="num">
                {what}
              </th>
              <th scope="col" className="num">
                95 % interval
              </th>
            </tr>
          </thead>
          <tbody>
            {arms.map(({ key, name, arm }) => (
              <tr key={key}>
                <th scope="row">
                  <span className={`traffic-split__swatch traffic-split__swatch--${key}`} /> {name} <span className="mono faint">v{arm.version}</span>
                </th>
                <td className="num">{arm.routed.toLocaleString()}</td>
                <td className="num">{arm.n.toLocaleString()}</td>
                <td className="num">{arm.mean === null ? '—' : format(arm.mean)}</td>
                <td className="num">{arm.ci95 ? `${format(arm.ci95[0])} – ${format(arm.ci95[1])}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <IntervalPlot arms={arms} metric={experiment.metric} format={format} />
      </div>
      {experiment.unkeyed > 0 ? <p className="faint">{experiment.unkeyed.toLocaleString()} requests carried no request key and were assigned at random.</p> : null}
    </section>
  );
}
