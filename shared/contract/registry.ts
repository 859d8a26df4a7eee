import { z } from 'zod';
import { ColumnType, ContentHash } from './datasets.ts';
import { defineCall, defineEvent } from './define.ts';
import { AliasName, ModelName, ModelRefText, ModelVersionNumber } from './model-ref.ts';
import { ExperimentId, RunEnvironment, RunId, RunStatus } from './runs.ts';
import { multiLineText } from './text-fields.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * The model registry (main/core/registry), in MLflow 2's model: a named model has versions
 * numbered from 1, each made from one training run; aliases (`champion`, `challenger`, any
 * lowercase word) point at versions and move. Unlike MLflow, every change is one git commit in
 * the workspace under `models/<name>/`, so the registry's audit history is `git log` and travels
 * with the repository; a version's artifacts are named by content hash (the bytes stay in the
 * workspace's store, kept by store:gc for as long as any version names them).
 */

export const MAX_DESCRIPTION = 5000;
export const MAX_CARD_FIELD = 20_000;
export const MAX_OVERRIDE_REASON = 2000;

const description = multiLineText(MAX_DESCRIPTION, 'a description');

/** What only a person knows about a version; generated sections of the card come from lineage. */
export const cardFields = ['intendedUse', 'limitations', 'ethicalConsiderations', 'caveats'] as const;
export const CardField = z.enum(cardFields);
export type CardField = z.infer<typeof CardField>;

export const CardText = z.object({
  /** Who should use it, for what: "Ranking support tickets by urgency for the EU team". */
  intendedUse: z.string(),
  /** Where it is known to do badly, what it was not tested on. */
  limitations: z.string(),
  ethicalConsiderations: z.string(),
  caveats: z.string(),
});
export type CardText = z.infer<typeof CardText>;

export const CardEdit = z.object({
  intendedUse: multiLineText(MAX_CARD_FIELD, 'intended use').optional(),
  limitations: multiLineText(MAX_CARD_FIELD, 'limitations').optional(),
  ethicalConsiderations: multiLineText(MAX_CARD_FIELD, 'ethical considerations').optional(),
  caveats: multiLineText(MAX_CARD_FIELD, 'caveats').optional(),
});
export type CardEdit = z.infer<typeof CardEdit>;

export const ModelArtifact = z.object({ path: z.string(), contentHash: ContentHash, bytes: z.number().int().nonnegative() });
export type ModelArtifact = z.infer<typeof ModelArtifact>;

/** The data a version was trained on, as the run recorded it. */
export const ModelDataset = z.object({ name: z.string(), version: z.number().int().positive().nullable(), contentHash: z.string() });
export type ModelDataset = z.infer<typeof ModelDataset>;

/** What the model reads and gives, from the run's signature.json. */
export const SignatureSummary = z.object({
  task: z.enum(['classification', 'regression']),
  target: z.object({ name: z.string(), type: ColumnType }),
  inputs: z.array(z.object({ name: z.string(), type: ColumnType, encoding: z.string() })),
  outputs: z.array(z.object({ name: z.string(), shape: z.array(z.number().int()), datatype: z.string() })),
  classes: z.array(z.string()).nullable(),
});
export type SignatureSummary = z.infer<typeof SignatureSummary>;

/** A promotion this version went through: the check's verdict, and the reason when it was overridden. */
export const Promotion = z.object({
  alias: z.string(),
  at: z.string(),
  /** The version the alias pointed at before, if any. */
  previous: z.number().int().positive().nullable(),
  passed: z.boolean(),
  summary: z.string(),
  /** Present when the check failed and a person promoted anyway. */
  overrideReason: z.string().nullable(),
});
export type Promotion = z.infer<typeof Promotion>;

/** Where a version came from: enough to rebuild it or to tell why it differs. */
export const ModelLineage = z.object({
  run: z.object({
    id: RunId,
    name: z.string(),
    experimentId: ExperimentId,
    experimentName: z.string(),
    status: RunStatus,
    startTime: z.number().int(),
    endTime: z.number().int().nullable(),
    /** The workspace commit the run started from. */
    gitCommit: z.string().nullable(),
  }),
  dataset: ModelDataset.nullable(),
  /** The workspace commit that was HEAD when the version was registered. */
  workspaceCommit: z.string().nullable(),
  environment: RunEnvironment.nullable(),
  params: z.record(z.string(), z.string()),
  /** The run's tags, Lathe's and MLflow's own (lathe.backend, mlflow.source.name …) with the user's. Absent in versions registered before it was kept. */
  tags: z.record(z.string(), z.string()).optional(),
});
export type ModelLineage = z.infer<typeof ModelLineage>;

/** One version of a registered model. */
export const ModelVersion = z.object({
  name: ModelName,
  version: ModelVersionNumber,
  registeredAt: z.string(),
  description: z.string(),
  lineage: ModelLineage,
  signature: SignatureSummary.nullable(),
  /** Test metrics from the run's evaluation.json (accuracy, macro F1, RMSE …), by name. */
  metrics: z.record(z.string(), z.number()),
  artifacts: z.array(ModelArtifact),
  card: CardText,
  promotions: z.array(Promotion),
  /** Aliases that point at this version now. */
  aliases: z.array(z.string()),
});
export type ModelVersion = z.infer<typeof ModelVersion>;

export const ModelVersionSummary = ModelVersion.pick({ name: true, version: true, registeredAt: true, description: true, metrics: true, aliases: true }).extend({
  runId: RunId,
  runName: z.string(),
  /** The data it was trained on (the version's lineage.dataset). */
  dataset: ModelDataset.nullable(),
});
export type ModelVersionSummary = z.infer<typeof ModelVersionSummary>;

export const ModelSummary = z.object({
  name: ModelName,
  description: z.string(),
  createdAt: z.string(),
  versions: z.number().int().nonnegative(),
  latest: ModelVersionSummary.nullable(),
  /** alias → version */
  aliases: z.record(z.string(), z.number().int().positive()),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

export const ModelDetail = ModelSummary.omit({ latest: true }).extend({
  /** Newest first. */
  versionList: z.array(ModelVersionSummary),
});
export type ModelDetail = z.infer<typeof ModelDetail>;

/** `gates`: a gate run's report, committed with the version (`models/<name>/gate-runs/`). */
export const registryActions = ['create-model', 'register', 'set-alias', 'remove-alias', 'promote', 'edit-model', 'edit-version', 'gates'] as const;
export const RegistryAction = z.enum(registryActions);
export type RegistryAction = z.infer<typeof RegistryAction>;

/** One change to a model, read back from the commit that made it. */
export const RegistryLogEntry = z.object({
  commit: z.string(),
  date: z.string(),
  action: RegistryAction,
  version: z.number().int().positive().nullable(),
  alias: z.string().nullable(),
  /** The commit message's first line: "Promote churn@3 to champion". */
  title: z.string(),
  /** Promotions: whether the check passed, and the override's reason when it did not. */
  passed: z.boolean().nullable(),
  overrideReason: z.string().nullable(),
});
export type RegistryLogEntry = z.infer<typeof RegistryLogEntry>;

export const CheckOutcome = z.object({
  passed: z.boolean(),
  /** One or a few sentences: what was checked and what failed. */
  summary: z.string(),
  /** The full report of the check that ran (a gates report), when it has one. */
  report: z.unknown().optional(),
});
export type CheckOutcome = z.infer<typeof CheckOutcome>;

export const AliasChange = z.object({
  name: ModelName,
  alias: z.string(),
  /** The version the alias points at now; null when it was removed. */
  version: z.number().int().positive().nullable(),
  /** The version it pointed at before; null when it is new. */
  previous: z.number().int().positive().nullable(),
  /** The commit that recorded the change; null when nothing changed (it already pointed there). */
  commit: z.string().nullable(),
});
export type AliasChange = z.infer<typeof AliasChange>;

export const PromoteOutcome = AliasChange.extend({
  check: CheckOutcome,
  overridden: z.boolean(),
});
export type PromoteOutcome = z.infer<typeof PromoteOutcome>;

export const modelsList = defineCall(
  'models:list',
  'Every registered model, with its latest version and its aliases',
  z.object({ workspace: WorkspacePath }),
  z.array(ModelSummary),
);

export const modelsShow = defineCall(
  'models:show',
  'One registered model: its description, aliases and versions (newest first)',
  z.object({ workspace: WorkspacePath, name: ModelName }),
  ModelDetail,
);

export const modelsGetVersion = defineCall(
  'models:get-version',
  'One model version (NAME@3, NAME@champion or NAME@latest): lineage, metrics, signature, card fields, aliases',
  z.object({ workspace: WorkspacePath, ref: ModelRefText }),
  ModelVersion,
);

export const modelsRegister = defineCall(
  'models:register',
  "Register a finished training run's model as the next version of a named model (made when new)",
  z.object({ workspace: WorkspacePath, runId: RunId, name: ModelName, description: description.optional() }),
  ModelVersion,
);

export const modelsSetAlias = defineCall(
  'models:set-alias',
  'Point an alias (champion, challenger, …) at a version, moving it from where it was',
  z.object({ workspace: WorkspacePath, ref: ModelRefText, alias: AliasName }),
  AliasChange,
);

export const modelsRemoveAlias = defineCall(
  'models:remove-alias',
  'Remove an alias from a model',
  z.object({ workspace: WorkspacePath, name: ModelName, alias: AliasName }),
  AliasChange,
);

export const modelsEdit = defineCall(
  'models:edit',
  "Edit a model's description, or a version's description and model card fields (intended use, limitations …)",
  z.object({
    workspace: WorkspacePath,
    name: ModelName,
    /** Without it the model's description is edited; with it, that version's description and card. */
    version: ModelVersionNumber.optional(),
    description: description.optional(),
    card: CardEdit.optional(),
  }),
  z.object({ name: ModelName, version: z.number().int().positive().nullable(), commit: z.string().nullable() }),
);

export const modelsLog = defineCall(
  'models:log',
  "A model's audit history from git, newest first: every version, alias move, edit and promotion",
  z.object({ workspace: WorkspacePath, name: ModelName }),
  z.array(RegistryLogEntry),
);

export const modelsCard = defineCall(
  'models:card',
  "A version's model card as Markdown: data, metrics, signature, lineage and what people wrote",
  z.object({ workspace: WorkspacePath, ref: ModelRefText }),
  z.object({ name: ModelName, version: z.number().int().positive(), markdown: z.string() }),
);

export const modelsPromote = defineCall(
  'models:promote',
  'Move an alias (champion by default) to a version after its check passes; a failed check needs an override with a written reason',
  z.object({
    workspace: WorkspacePath,
    ref: ModelRefText,
    alias: AliasName.default('champion'),
    /** Compare against this version (default: what the alias points at now). */
    against: ModelRefText.optional(),
    override: z
      .object({
        reason: multiLineText(MAX_OVERRIDE_REASON, 'the reason').refine((reason) => reason.trim().length > 0, 'an override needs a written reason'),
      })
      .optional(),
  }),
  PromoteOutcome,
);

export const modelsChanged = defineEvent(
  'models:changed',
  z.object({ workspace: WorkspacePath, name: ModelName }),
);
