import { CopyButton } from '../../components/copy-button.tsx';
import { Icon } from '../../components/icon.tsx';

const TRAIN_COMMAND = 'lathe train --dataset penguins --target Species';

/**
 * A workspace without runs: what a run is, and the two ways to make one that exist: "Train a
 * model…" on a dataset's page, or `lathe train` in a terminal. (Lathe has no MLflow REST door
 * yet, so this does not offer one.)
 */
export function EmptyRuns() {
  return (
    <section className="empty-runs" aria-labelledby="empty-runs-title">
      <span className="empty-runs__icon">
        <Icon name="experiments" size={26} />
      </span>
      <h1 id="empty-runs-title" className="empty-runs__title">
        No runs yet
      </h1>
      <p className="empty-runs__lead">
        A run is one training of a model: the parameters it was given, its metrics step by step (loss, accuracy…), the dataset version it read, and what it
        produced. Runs are listed here as they are logged, and you can compare any of them side by side.
      </p>
      <div className="empty-runs__actions">
        <a className="button button--primary button--large" href="#/datasets">
          <Icon name="datasets" size={16} />
          Choose a dataset to train on
        </a>
      </div>
      <div className="empty-runs__how">
        <p>
          On a dataset’s page, <strong>Train a model…</strong> shows what training will do before anything runs. Or, from a terminal:
        </p>
        <div className="empty-runs__command">
          <code>{TRAIN_COMMAND}</code>
          <CopyButton text={TRAIN_COMMAND} label="Copy the command" />
        </div>
        <p>
          Either way the run shows here at once, its curves moving as it trains. <code>lathe train --help</code> lists the knobs (model, epochs, learning
          rate, hidden layers, seed…).
        </p>
      </div>
    </section>
  );
}
