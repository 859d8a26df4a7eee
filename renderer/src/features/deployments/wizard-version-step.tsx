import type { GateReport } from '../../../../shared/contract/gates.ts';
import type { ModelDetail, ModelSummary } from '../../../../shared/contract/registry.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { CheckBadge } from '../models/gate-results.tsx';
import { useAnswer, type Loaded } from '../models/use-answer.ts';
import { useDeployCommands, useWorkspacePath } from './use-deploy.ts';

export interface VersionChoice {
  readonly model: string;
  readonly version: number | null;
  /** The written reason to deploy over a failed or missing gate; null: no override. */
  readonly overrideReason: string | null;
}

/** Whether a version's latest gate run lets it deploy without a written reason. */
export function gateBlocks(gates: Loaded<GateReport[]>): boolean {
  return gates.state === 'ready' && (gates.value[0] === undefined || gates.value[0].outcome === 'fail');
}

/**
 * Step 1: a model and one of its versions, with that version's latest gate run. A failed or
 * missing gate blocks the deploy; "Deploy anyway" needs a written reason, kept with the deployment.
 */
export function WizardVersionStep({ choice, onChange, gates }: { choice: VersionChoice; onChange: (choice: VersionChoice) => void; gates: Loaded<GateReport[]> }) {
  const deploy = useDeployCommands();
  const workspace = useWorkspacePath();
  const models = useAnswer(workspace, () => deploy.models());
  const detail = useAnswer(workspace && choice.model ? `${workspace}\n${choice.model}` : null, () => deploy.model(choice.model));
  const modelList: ModelSummary[] = models.loaded.state === 'ready' ? models.loaded.value : [];
  const versions: ModelDetail['versionList'] = detail.loaded.state === 'ready' ? detail.loaded.value.versionList : [];
  const aliasesOf = (version: number) =>
    detail.loaded.state === 'ready'
      ? Object.entries(detail.loaded.value.aliases)
          .filter(([, v]) => v === version)
          .map(([alias]) => alias)
      : [];
  const blocked = gateBlocks(gates);
  const latest = gates.state === 'ready' ? gates.value[0] : undefined;

  if (models.loaded.state === 'failed') return <ErrorBanner error={models.loaded.error} title="Could not list the registered models" />;
  if (models.loaded.state === 'ready' && modelList.length === 0) {
    return (
      <p className="wizard__note">
        No model is registered in this workspace yet. Register a run’s model from its page in Experiments (<strong>Register model…</strong>), then deploy it here.
      </p>
    );
  }
  return (
    <div className="wizard__fields">
      <div className="wizard__row">
        <label className="field">
          <span className="field__label">Model</span>
          <select className="input" value={choice.model} onChange={(event) => onChange({ model: event.target.value, version: null, overrideReason: null })}>
            <option value="" disabled>
              Choose a model…
            </option>
            {modelList.map((model) => (
              <option key={model.name} value={model.name}>
                {model.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Version</span>
          <select
            className="input"
            value={choice.version ?? ''}
            disabled={versions.length === 0}
            onChange={(event) => onChange({ ...choice, version: event.target.value === '' ? null : Number(event.target.value), overrideReason: null })}
          >
            <option value="" disabled>
              {choice.model ? 'Choose a version…' : '—'}
            </option>
            {versions.map((version) => {
              const aliases = aliasesOf(version.version);
              return (
                <option key={version.version} value={version.version}>
                  {`${choice.model}@${version.version}${aliases.length ? ` (${aliases.join(', ')})` : ''} · ${version.runName}`}
                </option>
              );
            })}
          </select>
        </label>
      </div>
      {choice.version === null ? null : gates.state === 'failed' ? (
        <ErrorBanner error={gates.error} title="Could not read this version’s gates" />
      ) : gates.state !== 'ready' ? (
        <div className="spinner" aria-busy="true" />
      ) : (
        <div className="wizard-gate" data-blocked={blocked} role="status" aria-label="Gate status">
          <p className="wizard-gate__line">
            {latest ? <CheckBadge status={latest.outcome} /> : <span className="check-badge" data-status="fail">No gate run</span>}
            <span>{latest ? latest.summary : `${choice.model}@${choice.version} has never been through its gates.`}</span>
          </p>
          {blocked ? (
            <>
              <p className="faint">
                {latest
                  ? 'A version whose gates failed is not deployed without a written reason.'
                  : `Run its gates first (on the version’s page in Models, or lathe gates run ${choice.model}@${choice.version}), or write why it should be deployed without them.`}
              </p>
              {choice.overrideReason === null ? (
                <button type="button" className="button button--small deploy-danger" onClick={() => onChange({ ...choice, overrideReason: '' })}>
                  Deploy anyway…
                </button>
              ) : (
                <label className="field">
                  <span className="field__label">Why deploy it anyway?</span>
                  <textarea
                    className="input wizard-gate__reason"
                    rows={2}
                    value={choice.overrideReason}
                    autoFocus
                    placeholder="A canary on one edge box, to see it under real traffic; it rolls back by itself."
                    onChange={(event) => onChange({ ...choice, overrideReason: event.target.value })}
                  />
                  <span className="field__note">Kept with the deployment, for whoever asks later.</span>
                </label>
              )}
            </>
          ) : null}
        </div>
      )}
    </div>
  );
}
