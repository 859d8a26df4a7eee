import { EmptyArea } from '../../components/empty-area.tsx';

/**
 * A workspace with no registered model: what a registered model is, and the two ways to make one
 * that exist — "Register model…" on a finished run's page, or `lathe models register`.
 */
export function EmptyModels() {
  return (
    <EmptyArea
      id="models-empty-title"
      icon="models"
      title="No models yet"
      lead={
        <>
          A registered model is a named line of versions, each one a trained run’s model kept with the dataset version, code and environment that made it.
          Aliases such as <code>champion</code> say which version is in use, and gates check a version before it gets one.
        </>
      }
      action={{ href: '#/experiments', icon: 'experiments', label: 'Choose a run to register' }}
      how={
        <>
          Register a run’s model from its page in Experiments (<strong>Register model…</strong>, on a finished run), or from a terminal:
        </>
      }
      command="lathe models register RUN_ID --name NAME"
      after={
        <>
          Each registration is a version, <code>NAME@1</code>, <code>NAME@2</code>…, and a commit in the workspace’s git history.
        </>
      }
    />
  );
}
