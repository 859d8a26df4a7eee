import { z } from 'zod';
import { DatasetName } from './datasets.ts';
import { defineCall } from './define.ts';
import { AliasName, ModelName, ModelRefText } from './model-ref.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Release gates (main/core/gates): one spec per model, `models/<name>/gates.json` in the
 * workspace's git, run against a version to say whether it may ship. Three groups of checks, each
 * of which passes, warns or fails with a sentence:
 * - data: the evaluation rows have the training version's columns and types, values within the
 *   training range, missing shares within a band, enough rows;
 * - model: metric thresholds; no worse than the baseline (the champion) on the same test rows by a
 *   paired test (McNemar's exact test for accuracy, a paired bootstrap interval for regression
 *   error); the metric per slice of each categorical column, the worst against a floor;
 * - integration: the signed bundle, loaded by the serving runtime, predicts the test rows as the
 *   run did, fast enough.
 * A gate run passes when no check fails; its report is committed beside the version.
 */

/** The metrics a threshold may name, by task (evaluation.json's names, without `test_`). */
export const classificationMetrics = ['accuracy', 'f1_macro', 'precision_macro', 'recall_macro', 'roc_auc', 'log_loss'] as const;
export const regressionMetrics = ['rmse', 'mae', 'r2'] as const;
export const gateMetrics = [...classificationMetrics, ...regressionMetrics] as const;
export type GateMetric = (typeof gateMetrics)[number];
/** Lower is better for these; higher for the rest. */
export const lowerIsBetter: readonly GateMetric[] = ['rmse', 'mae', 'log_loss'];

export const thresholdOperators = ['>=', '>', '<=', '<'] as const;
export type ThresholdOperator = (typeof thresholdOperators)[number];

export interface Threshold {
  metric: string;
  operator: ThresholdOperator;
  value: number;
}

const THRESHOLD = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|>|<)\s*(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/** `accuracy >= 0.9` → its parts, or a sentence saying how to write one. */
export function readThreshold(text: string): { ok: true; threshold: Threshold } | { ok: false; problem: string } {
  const match = THRESHOLD.exec(text);
  if (!match) return { ok: false, problem: `"${text.slice(0, 100)}" is not a threshold: write METRIC>=NUMBER, like "accuracy>=0.9" or "rmse<=12.5"` };
  return { ok: true, threshold: { metric: match[1]!.replace(/^test_/, ''), operator: match[2] as ThresholdOperator, value: Number(match[3]) } };
}

export const ThresholdText = z
  .string()
  .max(200, 'a threshold is at most 200 characters')
  .superRefine((text, context) => {
    const reading = readThreshold(text);
    if (!reading.ok) context.addIssue({ code: 'custom', message: reading.problem });
    else if (!(gateMetrics as readonly string[]).includes(reading.threshold.metric)) {
      context.addIssue({ code: 'custom', message: `"${reading.threshold.metric}" is not a metric a gate knows; use one of ${gateMetrics.join(', ')}` });
    }
  });

const share = (what: string) => z.number({ error: `${what} is a number from 0 to 1` }).min(0, `${what} is at least 0`).max(1, `${what} is at most 1`);
const ColumnName = z.string().min(1, 'a column name cannot be empty').max(1000);

/** The spec as a person writes it (`lathe gates init` writes this with every default spelled out). */
export const GateSpec = z
  .object({
    schemaVersion: z.literal(1),
    data: z
      .object({
        enabled: z.boolean().default(true),
        /** A numeric value may lie this share of the training range outside it before it counts as out of range. */
        rangeTolerance: z.number().min(0).max(100).default(0.1),
        /** Out-of-range values in more than this share of rows fail the check (fewer warn). */
        maxOutOfRangeShare: share('maxOutOfRangeShare').default(0.01),
        /** A column's missing share may differ from training by this much (absolute). */
        missingShareBand: share('missingShareBand').default(0.05),
        /** Fewer evaluation rows than this fail. */
        minRows: z.number().int().min(1).default(30),
      })
      .strict()
      .prefault({}),
    model: z
      .object({
        enabled: z.boolean().default(true),
        /** Thresholds the version must meet: "accuracy >= 0.9". */
        require: z.array(ThresholdText).max(100).default([]),
        baseline: z
          .object({
            /** The alias to compare against when no --against is given; null: no comparison. */
            alias: AliasName.nullable().default('champion'),
            /** The paired test's significance: a worse candidate at p below this fails. */
            significance: z.number().gt(0).lt(1).default(0.05),
            /** Regression: resamples of the paired bootstrap, and its seed. */
            resamples: z.number().int().min(100).max(100_000).default(1000),
            seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
          })
          .strict()
          .prefault({}),
        slices: z
          .object({
            enabled: z.boolean().default(true),
            /** Columns to slice by; empty: every categorical (text or true/false) input. */
            columns: z.array(ColumnName).max(100).default([]),
            /** A slice needs at least this many rows to be judged. */
            minSupport: z.number().int().min(1).default(30),
            /** Classification: the worst slice's accuracy must be at least this. Regression: its MAE at most `maxError`. */
            floor: share('floor').default(0.7),
            maxError: z.number().positive().nullable().default(null),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    integration: z
      .object({
        enabled: z.boolean().default(true),
        /** Largest difference allowed between a served and a stored probability (or relative, for regression). */
        tolerance: z.number().min(0).max(1).default(1e-4),
        /** Single-row requests timed for latency. */
        latencyRequests: z.number().int().min(10).max(100_000).default(200),
        /** The budget; the p99 default is Flagger's (≤ 500 ms). */
        p50Ms: z.number().positive().default(50),
        p99Ms: z.number().positive().default(500),
        /**
         * What a version over the budget gets. Latency is timed on the machine that runs the gates
         * (a laptop, a busy CI runner), not on the serving target, so by default it warns; choose
         * 'fail' where the gates run on hardware like the target's.
         */
        overBudget: z.enum(['warn', 'fail']).default('warn'),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type GateSpec = z.infer<typeof GateSpec>;

export const checkGroups = ['data', 'model', 'integration'] as const;
export const checkStatuses = ['pass', 'warn', 'fail', 'skip'] as const;
export const CheckStatus = z.enum(checkStatuses);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const GateCheck = z.object({
  group: z.enum(checkGroups),
  /** Stable id: `data.columns`, `model.threshold.accuracy`, `model.baseline`, `model.slices`, `integration.predictions`, … */
  id: z.string(),
  title: z.string(),
  status: CheckStatus,
  /** What was checked and what came out, in one or two sentences. */
  sentence: z.string(),
  /** Figures behind the sentence (p-values, effect sizes, slices), for reports and the app. */
  details: z.record(z.string(), z.unknown()).optional(),
  durationMs: z.number().nonnegative(),
});
export type GateCheck = z.infer<typeof GateCheck>;

export const GateReport = z.object({
  id: z.string(),
  model: ModelName,
  version: z.number().int().positive(),
  /** The baseline compared against, as `NAME@N`, or null. */
  baseline: z.string().nullable(),
  /** The evaluation data: the training version's test rows, or another version's rows. */
  data: z.object({ name: DatasetName, version: z.number().int().positive(), rows: z.number().int().nonnegative(), testSplit: z.boolean() }),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  outcome: z.enum(['pass', 'warn', 'fail']),
  /** One sentence for the whole run. */
  summary: z.string(),
  checks: z.array(GateCheck),
});
export type GateReport = z.infer<typeof GateReport>;

export const GateRunInput = z.object({
  workspace: WorkspacePath,
  /** The version to gate: `NAME@3`, `NAME@challenger`. */
  ref: ModelRefText,
  /** The baseline; default: the spec's alias (champion) when it is set. `none` compares with nothing. */
  against: z.union([ModelRefText, z.literal('none')]).optional(),
  /** Evaluate on another dataset version's rows instead of the test split (`NAME@V`). */
  data: z.string().max(200).optional(),
  /** Extra thresholds, e.g. from a CI script: `accuracy>=0.9`. */
  require: z.array(ThresholdText).max(100).optional(),
  /** Keep the report with the version (default true). */
  record: z.boolean().optional(),
});
export type GateRunInput = z.infer<typeof GateRunInput>;

export const gatesInit = defineCall(
  'gates:init',
  "Write a model's gate spec (models/NAME/gates.json) with every default spelled out; an existing spec is kept unless replace is set",
  z.object({ workspace: WorkspacePath, name: ModelName, replace: z.boolean().optional() }),
  z.object({ path: z.string(), commit: z.string().nullable(), spec: GateSpec, created: z.boolean() }),
);

export const gatesSpec = defineCall(
  'gates:spec',
  "A model's gate spec as it is now (the defaults when it has none)",
  z.object({ workspace: WorkspacePath, name: ModelName }),
  z.object({ path: z.string(), exists: z.boolean(), spec: GateSpec }),
);

export const gatesSave = defineCall(
  'gates:save',
  "Replace a model's gate spec with this JSON text (checked first: a spec that does not parse is refused with its line, and nothing is written)",
  z.object({ workspace: WorkspacePath, name: ModelName, text: z.string().max(1_000_000, 'a gate spec is at most 1 MB') }),
  z.object({ path: z.string(), commit: z.string().nullable(), spec: GateSpec }),
);

export const gatesRun = defineCall('gates:run', "Run a model version's gates and keep the report with the version", GateRunInput, GateReport);

export const gatesResults = defineCall(
  'gates:results',
  "A version's gate runs, newest first",
  z.object({ workspace: WorkspacePath, ref: ModelRefText, limit: z.number().int().min(1).max(1000).optional() }),
  z.array(GateReport),
);
