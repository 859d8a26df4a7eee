import type { ModelVersion, SignatureSummary } from '../../../shared/contract/registry.ts';
import { metricNumber, type RunArtifact, type RunDetail } from '../../../shared/contract/runs.ts';
import { reachPhase } from '../base/phases.ts';
import { failure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import { readArtifactText } from '../tracking/run-artifacts.ts';
import type { TrackingStore } from '../tracking/tracking-store.ts';
import { signatureRecord, type Signature } from '../training/artifact-records.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { EMPTY_CARD, modelPath, modelRecord, versionPath, versionRecord, type VersionRecord } from './model-records.ts';
import { modelNames, readAliases, readModel, versionNumbers, versionView } from './model-reads.ts';
import { changeRegistry, registryCommitMessage } from './registry-commits.ts';

export interface RegisterRequest {
  runId: string;
  name: string;
  description?: string | undefined;
}

/** The artifacts a run must hold to be a model someone can load, check and ship. */
const REQUIRED_ARTIFACTS = ['signature.json', 'preprocessing.json'] as const;

/**
 * Register a training run's model as the next version of `name` (the model is made on its first
 * version). The run must have FINISHED and hold a model: its signature, preprocessing and the
 * files the signature names, every one intact in the store (checked against its hash now, so a
 * damaged model is never registered). The version records the lineage — run, experiment,
 * dataset name, version and hash, the workspace commit, the environment and params — and names
 * the artifacts by hash: the bytes stay where the run put them, and the registry's blob
 * references keep them through `store:gc` even if the run is deleted.
 *
 * The version number is decided under the workspace's write lock, so two registrations at once
 * (two windows, two CLI processes) get two numbers, and the commit is the only write.
 */
export async function registerModel(workspace: Workspace, tracking: TrackingStore, request: RegisterRequest, events?: EventHub): Promise<ModelVersion> {
  const run = registrableRun(tracking, request.runId);
  const signature = await readSignature(workspace, run);
  const artifacts = await intactArtifacts(workspace, run, signature);
  await reachPhase('register:checked');
  return changeRegistry(
    workspace,
    `register run ${run.id} as a version of ${request.name}`,
    request.name,
    async () => {
      await reachPhase('register:locked');
      await refuseCaseTwin(workspace, request.name);
      const existing = await readModel(workspace, request.name);
      const version = ((await versionNumbers(workspace, request.name)).at(-1) ?? 0) + 1;
      const now = new Date().toISOString();
      const description = request.description?.trim() ?? '';
      const record: VersionRecord = {
        schemaVersion: 1,
        name: request.name,
        version,
        registeredAt: now,
        description,
        lineage: {
          run: {
            id: run.id,
            name: run.name,
            experimentId: run.experimentId,
            experimentName: run.experimentName,
            status: run.status,
            startTime: run.startTime,
            endTime: run.endTime,
            gitCommit: run.gitCommit,
          },
          dataset: datasetOf(run, signature),
          workspaceCommit: await workspace.git.head(),
          environment: run.environment,
          params: run.params,
          tags: { ...run.systemTags, ...run.tags },
        },
        signature: signatureSummary(signature),
        metrics: testMetrics(run),
        artifacts,
        card: EMPTY_CARD,
        promotions: [],
      };
      const files = [{ path: versionPath(request.name, version), content: versionRecord.serialize(record) }];
      if (!existing) files.push({ path: modelPath(request.name), content: modelRecord.serialize({ schemaVersion: 1, name: request.name, description, createdAt: now }) });
      const message = registryCommitMessage(`Register ${request.name}@${version} from run ${run.name || run.id.slice(0, 8)}`, description, {
        model: request.name,
        version,
        action: 'register',
        run: run.id,
      });
      const aliases = await readAliases(workspace, request.name);
      return { files, message, result: () => versionView(record, aliases) };
    },
    events,
  );
}

/** The run, when it can become a model version; otherwise a refusal that says what is wrong with it. */
function registrableRun(tracking: TrackingStore, runId: string): RunDetail {
  const run = tracking.getRun(runId);
  const which = `Run ${run.name ? `"${run.name}" (${run.id})` : run.id}`;
  if (run.lifecycle === 'deleted') {
    throw failure('FAILED_PRECONDITION', `${which} is deleted, so its model cannot be registered.`, {
      hint: `Restore it first (\`lathe runs restore ${run.id}\`), then register it.`,
      location: { field: 'runId' },
    });
  }
  if (run.status !== 'FINISHED') {
    const why: Record<string, string> = {
      RUNNING: 'is still running: register it once it has FINISHED',
      SCHEDULED: 'has not started yet: register it once it has FINISHED',
      FAILED: 'FAILED, so its model is not one to ship: train again and register the new run',
      KILLED: 'was KILLED before it finished, so its model is incomplete: train again and register the new run',
    };
    throw failure('FAILED_PRECONDITION', `${which} ${why[run.status] ?? `is ${run.status}`}.`, { location: { field: 'runId' } });
  }
  return run;
}

function artifactOf(run: RunDetail, path: string): RunArtifact | undefined {
  return run.artifacts.find((artifact) => artifact.path === path);
}

async function readSignature(workspace: Workspace, run: RunDetail): Promise<Signature> {
  const missing = REQUIRED_ARTIFACTS.filter((path) => !artifactOf(run, path));
  if (missing.length > 0) {
    throw failure('FAILED_PRECONDITION', `Run ${run.id} has no model to register: it holds no ${missing.join(' or ')}.`, {
      hint: run.artifacts.length === 0 ? 'It has no artifacts at all. Only runs trained by Lathe (or logging its model files) can be registered.' : `Its artifacts: ${run.artifacts.map((artifact) => artifact.path).slice(0, 10).join(', ')}.`,
      location: { field: 'runId' },
    });
  }
  const where = `signature.json of run ${run.id}`;
  return signatureRecord.parse(await readArtifactText(workspace.blobs, artifactOf(run, 'signature.json')!, where), where);
}

/**
 * Every artifact of the run, each checked against its hash. The model's own files (named by the
 * signature) must be there; a missing or damaged one refuses the registration.
 */
async function intactArtifacts(workspace: Workspace, run: RunDetail, signature: Signature): Promise<VersionRecord['artifacts']> {
  for (const path of [signature.model.path, signature.model.weights, signature.preprocessing]) {
    if (!artifactOf(run, path)) {
      throw failure('FAILED_PRECONDITION', `Run ${run.id} has no model to register: its signature names ${path}, which the run does not hold.`, { location: { field: 'runId' } });
    }
  }
  const artifacts: VersionRecord['artifacts'] = [];
  for (const artifact of [...run.artifacts].sort((a, b) => a.path.localeCompare(b.path))) {
    await workspace.blobs.assertIntact(artifact.contentHash, artifact.bytes, `artifact ${artifact.path} of run ${run.id}`);
    artifacts.push({ path: artifact.path, contentHash: artifact.contentHash, bytes: artifact.bytes });
  }
  return artifacts;
}

function datasetOf(run: RunDetail, signature: Signature): VersionRecord['lineage']['dataset'] {
  const input = run.datasets[0];
  if (input) return { name: input.name, version: input.version, contentHash: input.contentHash };
  return { name: signature.dataset.name, version: signature.dataset.version, contentHash: signature.dataset.contentHash };
}

function signatureSummary(signature: Signature): SignatureSummary {
  return {
    task: signature.task,
    target: signature.target,
    inputs: signature.inputs.map(({ name, type, encoding }) => ({ name, type, encoding })),
    outputs: signature.outputs,
    classes: signature.classes,
  };
}

/** The run's test metrics (`test_accuracy`, `test_rmse` …), finite values only. */
function testMetrics(run: RunDetail): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [key, latest] of Object.entries(run.metrics).sort(([a], [b]) => a.localeCompare(b))) {
    const value = metricNumber(latest.value);
    if (key.startsWith('test_') && Number.isFinite(value)) metrics[key] = value;
  }
  return metrics;
}

/** macOS and Windows keep "Churn" and "churn" in one folder: a second such name is refused. */
async function refuseCaseTwin(workspace: Workspace, name: string): Promise<void> {
  const twin = (await modelNames(workspace)).find((other) => other !== name && other.toLowerCase() === name.toLowerCase());
  if (twin) {
    throw failure('CONFLICT', `A model named "${twin}" already exists, and "${name}" differs from it only in case: on macOS and Windows both would be one folder.`, {
      hint: `Register into "${twin}", or choose a name that differs by more than case.`,
      location: { field: 'name' },
    });
  }
}
