import { failure } from '../../core/errors.ts';
import type { Answered } from './feedback-book.ts';
import type { RolloutRecord } from './rollout-record.ts';

/**
 * Count one outcome for the arm that answered request `id`: a label is right or wrong (1 or 0,
 * only for a one-row request), a reward is its number. One rollout measures one kind, so its arms
 * stay comparable. Returns whether a label was right (null for a reward).
 */
export function joinOutcome(record: RolloutRecord, entry: Answered, id: string, outcome: { label: string | number | boolean } | { reward: number }): boolean | null {
  const metric = 'label' in outcome ? 'accuracy' : 'reward';
  if (record.outcomes.metric !== null && record.outcomes.metric !== metric) {
    throw failure('INVALID_INPUT', `Rollout ${record.id} measures ${record.outcomes.metric === 'accuracy' ? 'accuracy from labels' : 'rewards'}; send ${record.outcomes.metric === 'accuracy' ? '"label"' : '"reward"'}, not ${'label' in outcome ? '"label"' : '"reward"'}, so the arms stay comparable.`, { location: { field: metric === 'accuracy' ? 'label' : 'reward' } });
  }
  let value: number;
  let correct: boolean | null = null;
  if ('label' in outcome) {
    if (entry.predicted === null) throw failure('INVALID_INPUT', `Request ${id} predicted ${entry.rows} rows; a label joins only a one-row request. Send a "reward" for it instead.`, { location: { field: 'label' } });
    correct = String(outcome.label) === String(entry.predicted);
    value = correct ? 1 : 0;
  } else value = outcome.reward;
  entry.joined = true;
  record.outcomes.metric = metric;
  const counts = record.outcomes[entry.arm];
  counts.n++;
  if (correct) counts.successes++;
  counts.sum += value;
  counts.sumSquares += value * value;
  return correct;
}
