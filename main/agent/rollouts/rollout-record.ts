import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AnalysisRecord, Decision, ROLLOUT_PHASES, ROLLOUT_STRATEGIES, StartRollout, type Arm } from '../../../shared/contract/agent-admin.ts';
import { failedTo } from '../../core/errors.ts';
import { writeFileAtomic } from '../../core/storage/atomic-file.ts';
import { versionedRecord } from '../../core/storage/versioned-record.ts';

/**
 * What the agent keeps of its rollouts in --data-dir, so a restart (or a kill) resumes them:
 *
 *   rollouts.json            every rollout (running ones, and the last finished ones): its spec,
 *                            phase, step, analyses, decisions and A/B outcome counts; written
 *                            atomically after every decision, so a kill leaves the state before
 *                            the decision or after it
 *   rollout-decisions.jsonl  one line per decision with the traffic routed since the one before,
 *                            appended, so a rollback can be explained after the fact
 */
const ArmCounts = z.object({
  routed: z.number().int().nonnegative(),
  n: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  sum: z.number(),
  sumSquares: z.number(),
});
export type ArmCounts = z.infer<typeof ArmCounts>;

const RolloutRecordV1 = z.object({
  id: z.string(),
  model: z.string(),
  strategy: z.enum(ROLLOUT_STRATEGIES),
  spec: StartRollout,
  stable: z.object({ version: z.string() }),
  candidate: z.object({ version: z.string() }),
  phase: z.enum(ROLLOUT_PHASES),
  step: z.number().int().nonnegative(),
  weight: z.number().int().min(0).max(100),
  failedAnalyses: z.number().int().nonnegative(),
  startedAt: z.string(),
  updatedAt: z.string(),
  analyses: z.array(AnalysisRecord),
  decisions: z.array(Decision),
  outcomes: z.object({
    metric: z.enum(['accuracy', 'reward']).nullable(),
    unkeyed: z.number().int().nonnegative(),
    stable: ArmCounts,
    candidate: ArmCounts,
  }),
});
export type RolloutRecord = z.infer<typeof RolloutRecordV1>;

const RolloutsV1 = z.object({ schemaVersion: z.literal(1), rollouts: z.array(RolloutRecordV1) });
type Rollouts = z.infer<typeof RolloutsV1>;
const rolloutsRecord = versionedRecord<Rollouts>({ kind: 'agent rollout list', versions: [RolloutsV1], migrations: [] });

/** Finished rollouts kept for GET /admin/rollouts; older ones are dropped (their decisions stay in the JSONL log). */
export const KEEP_FINISHED = 50;
/** Analyses and decisions the controller keeps per rollout (the oldest go first; the decision log keeps every decision). */
export const KEEP_ENTRIES = 500;

export const emptyCounts = (): ArmCounts => ({ routed: 0, n: 0, successes: 0, sum: 0, sumSquares: 0 });

export interface RolloutFiles {
  read(): Promise<RolloutRecord[]>;
  write(rollouts: readonly RolloutRecord[]): Promise<void>;
  log(line: { rollout: string; model: string; step: number; weight: number; routed: Record<Arm, number> } & Decision): Promise<void>;
}

export function rolloutFiles(root: string): RolloutFiles {
  const file = join(root, 'rollouts.json');
  const logFile = join(root, 'rollout-decisions.jsonl');
  return {
    async read() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw failedTo(`read the rollouts in ${file}`, error, 'The agent did not start.');
      }
      return rolloutsRecord.parse(text, file).rollouts;
    },
    async write(rollouts) {
      try {
        await writeFileAtomic(file, rolloutsRecord.serialize({ schemaVersion: 1, rollouts: [...rollouts] }), { mode: 0o600 });
      } catch (error) {
        throw failedTo(`record the rollouts in ${file}`, error, 'The decision took effect in the running agent but is not on disk.');
      }
    },
    async log(line) {
      await appendFile(logFile, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    },
  };
}

