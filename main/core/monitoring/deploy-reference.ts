import type { ModelVersion } from '../../../shared/contract/registry.ts';
import type { AgentAddress } from '../deploy/agent-http.ts';
import { toLatheError } from '../errors.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { sendReference } from './monitoring-fetch.ts';
import { cachedReference } from './reference-cache.ts';
import { buildReferenceProfile } from './reference-profile.ts';

/**
 * At deploy, once the agent has loaded a version: build its training reference and send it, so
 * the agent judges drift against the data the version learnt from. This never fails a deploy:
 * a reference that cannot be built or sent is said in one sentence for the deployment log —
 * drift will not be judged, and why.
 */
export async function sendTrainingReference(workspace: Workspace, target: AgentAddress, version: ModelVersion): Promise<{ sent: boolean; message: string }> {
  const label = `${version.name}@${version.version}`;
  let profile;
  try {
    profile = await cachedReference(workspace, version, () => buildReferenceProfile(workspace, version));
  } catch (error) {
    return { sent: false, message: `Drift will not be judged for ${label} on ${target.name}: ${sentence(toLatheError(error).message)}` };
  }
  try {
    const taken = await sendReference(target, version.name, profile);
    const extras = [profile.prediction ? 'its test predictions' : null, profile.cbpe ? 'a CBPE accuracy estimator' : null].filter((part) => part !== null);
    return { sent: true, message: `Sent the training reference ${taken.dataset} (${taken.datasetRows} rows, ${profile.features.length} features${extras.length > 0 ? `, ${extras.join(' and ')}` : ''}) to ${target.name}: drift is judged against it.` };
  } catch (error) {
    return { sent: false, message: `Drift will not be judged for ${label} on ${target.name}: it did not take the training reference ${profile.dataset}: ${sentence(lowerFirst(toLatheError(error).message))}` };
  }
}

const sentence = (text: string) => (/[.!?)]$/.test(text) ? text : `${text}.`);
const lowerFirst = (text: string) => (/^[A-Z][a-z]/.test(text) && !/^Target /.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);
