import { Icon } from '../../components/icon.tsx';

/**
 * A workspace without runs: what a run is, and how one is made today. Training from Lathe and
 * logging from an MLflow client come with their own areas; until then this says so plainly.
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
      <p className="empty-runs__how">Runs are logged by training. Training from Lathe is not built yet, so this workspace cannot make one today.</p>
    </section>
  );
}
