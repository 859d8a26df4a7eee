import { CopyButton } from '../../components/copy-button.tsx';
import { Icon } from '../../components/icon.tsx';

const REGISTER_COMMAND = 'lathe models register RUN_ID --name NAME';

/**
 * A workspace with no registered model: what a registered model is, and the two ways to make one
 * that exist — "Register model…" on a finished run's page, or `lathe models register`.
 */
export function EmptyModels() {
  return (
    <section className="models-empty" aria-labelledby="models-empty-title">
      <span className="models-empty__icon">
        <Icon name="models" size={26} />
      </span>
      <h1 id="models-empty-title" className="models-empty__title">
        No models yet
      </h1>
      <p className="models-empty__lead">
        A registered model is a named line of versions, each one a trained run’s model kept with the dataset version, code and environment that made it. Aliases
        such as <code>champion</code> say which version is in use, and gates check a version before it gets one.
      </p>
      <div className="models-empty__actions">
        <a className="button button--primary button--large" href="#/experiments">
          <Icon name="experiments" size={16} />
          Choose a run to register
        </a>
      </div>
      <div className="models-empty__how">
        <p>
          Register a run’s model from its page in Experiments (<strong>Register model…</strong>, on a finished run), or from a terminal:
        </p>
        <div className="models-empty__command">
          <code>{REGISTER_COMMAND}</code>
          <CopyButton text={REGISTER_COMMAND} label="Copy the command" />
        </div>
        <p>
          Each registration is a version, <code>NAME@1</code>, <code>NAME@2</code>…, and a commit in the workspace’s git history.
        </p>
      </div>
    </section>
  );
}
