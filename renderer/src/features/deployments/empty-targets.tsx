import { CopyButton } from '../../components/copy-button.tsx';
import { Icon } from '../../components/icon.tsx';

const agentCommand = 'npx lathe agent --host 0.0.0.0 --trust KEY';

/**
 * No deploy target yet: what a target is, the one command that makes a machine one, and the
 * button that adds it here. No fake rows.
 */
export function EmptyTargets({ onAdd }: { onAdd: () => void }) {
  return (
    <section className="empty-area" aria-labelledby="deployments-empty-title">
      <span className="empty-area__icon">
        <Icon name="deployments" size={26} />
      </span>
      <h1 id="deployments-empty-title" className="empty-area__title">
        No deploy targets yet
      </h1>
      <p className="empty-area__lead">
        A target is any machine that runs the Lathe agent: it receives signed model versions from here, serves them over KServe’s protocol, and runs canary, A/B and shadow
        rollouts itself, so a rollout stays safe when this laptop is closed.
      </p>
      <div className="empty-area__actions">
        <button type="button" className="button button--primary button--large" onClick={onAdd}>
          <Icon name="folderPlus" size={16} />
          Add target…
        </button>
      </div>
      <div className="empty-area__how">
        <p>
          On the machine that will serve, start the agent, trusting this machine’s signing key (<code>lathe keys show</code> prints it here):
        </p>
        <div className="empty-area__command">
          <code>{agentCommand}</code>
          <CopyButton text={agentCommand} label="Copy the command" />
        </div>
        <p>
          It prints its URL and an admin token once; add both here. <code>lathe agent pack --out DIR</code> makes a copy that needs only Node, for a machine without this project.
        </p>
      </div>
    </section>
  );
}
