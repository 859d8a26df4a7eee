import type { Arm } from '../../../shared/contract/agent-admin.ts';
import { failure } from '../../core/errors.ts';

/**
 * The requests an A/B rollout answered, by request id, so that feedback can be joined to the arm
 * that answered: bounded (the oldest are forgotten first), in memory only — the counts they add
 * up to are persisted with the rollout.
 */
export const MAX_REMEMBERED = 100_000;

export interface Answered {
  model: string;
  rollout: string;
  arm: Arm;
  version: string;
  /** The predicted label or value of a one-row request; null for more rows (only a reward joins those). */
  predicted: string | number | null;
  rows: number;
  joined: boolean;
}

export class FeedbackBook {
  private readonly answered = new Map<string, Answered>();
  private readonly limit: number;

  constructor(limit = MAX_REMEMBERED) {
    this.limit = limit;
  }

  remember(id: string, entry: Omit<Answered, 'joined'>): void {
    this.answered.delete(id);
    this.answered.set(id, { ...entry, joined: false });
    if (this.answered.size > this.limit) this.answered.delete(this.answered.keys().next().value!);
  }

  /** The request `id` that `model` answered, not yet given feedback; else NOT_FOUND or CONFLICT. */
  unjoined(model: string, id: string): Answered {
    const entry = this.answered.get(id);
    if (!entry || entry.model !== model) {
      throw failure('NOT_FOUND', `No request with id ${JSON.stringify(id.slice(0, 128))} answered by model ${model} during an A/B rollout is known to this agent.`, {
        hint: `Send the id the inference reply carried (its "id", or the X-Request-Id header). The agent remembers the last ${this.limit} requests of a running A/B rollout, and forgets them at a restart.`,
      });
    }
    if (entry.joined) throw failure('CONFLICT', `Feedback for request ${id} was already counted.`);
    return entry;
  }

  forgetRollout(rollout: string): void {
    for (const [id, entry] of this.answered) if (entry.rollout === rollout) this.answered.delete(id);
  }
}
