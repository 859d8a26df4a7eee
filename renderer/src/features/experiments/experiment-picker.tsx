import { useShallow } from 'zustand/react/shallow';
import { formatCount } from '../../lib/format.ts';
import { useLathe, useServices } from '../../app/services-context.tsx';

/** Which experiment's runs to list; "All experiments" by default. */
export function ExperimentPicker() {
  const { experimentCommands } = useServices();
  const { experiments, chosen } = useLathe(useShallow((state) => ({ experiments: state.experiments, chosen: state.runsQuery.experimentId })));
  const total = experiments.reduce((sum, experiment) => sum + experiment.activeRuns, 0);
  return (
    <label className="experiment-picker">
      <span className="visually-hidden">Experiment</span>
      <select
        className="input experiment-picker__select"
        value={chosen ?? ''}
        onChange={(event) => void experimentCommands.runs.experimentChosen(event.target.value === '' ? null : event.target.value)}
      >
        <option value="">All experiments ({formatCount(total)})</option>
        {experiments.map((experiment) => (
          <option key={experiment.id} value={experiment.id}>
            {experiment.name} ({formatCount(experiment.activeRuns)})
          </option>
        ))}
      </select>
    </label>
  );
}
