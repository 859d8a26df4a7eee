import { EmptyArea } from '../../components/empty-area.tsx';
import { MlflowConnectButton } from './mlflow-connect-button.tsx';
import { ScriptRunButton } from './script-run-button.tsx';

/**
 * A workspace without runs: what a run is, and the two ways to make one that exist: "Train a
 * model…" on a dataset's page, or `lathe train` in a terminal. (Lathe has no MLflow REST door
 * yet, so this does not offer one.)
 */
export function EmptyRuns() {
  return (
    <EmptyArea
      id="empty-runs-title"
      icon="experiments"
      title="No runs yet"
      lead="A run is one training of a model: the parameters it was given, its metrics step by step (loss, accuracy…), the dataset version it read, and what it produced. Runs are listed here as they are logged, and you can compare any of them side by side."
      action={{ href: '#/datasets', icon: 'datasets', label: 'Choose a dataset to train on' }}
      how={
        <>
          On a dataset’s page, <strong>Train a model…</strong> shows what training will do before anything runs. Or, from a terminal:
        </>
      }
      command="lathe train --dataset penguins --target Species"
      after={
        <>
          Either way the run shows here at once, its curves moving as it trains. <code>lathe train --help</code> lists the knobs (model, epochs, learning rate,
          hidden layers, seed…).
          <span className="empty-runs__script">
            Training in Python already? <ScriptRunButton /> runs your script as a tracked run (or <code>lathe run -- python train.py</code>); from a notebook, <MlflowConnectButton /> shows where to point MLflow.
          </span>
        </>
      }
    />
  );
}
