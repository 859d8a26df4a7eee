import type { WindowSummary } from '../../../shared/contract/monitoring.ts';
import { finish } from './summarise-window.ts';

/**
 * Closed windows waiting to be judged, oldest first. Judging runs one step (a column) per turn of
 * the event loop, so a window of many columns never holds up the requests behind it; `finish`
 * completes an owner's windows at once when someone reads them. A window whose judging throws is
 * dropped from the queue and reported: the store still holds its rows, and the next start
 * summarises it again.
 */
export class WindowJudging<Owner> {
  readonly #queue: { owner: Owner; steps: Generator<void, WindowSummary> }[] = [];
  readonly #judged: (owner: Owner, summary: WindowSummary) => void;
  readonly #failed: (owner: Owner, error: unknown) => void;
  #scheduled = false;
  #stopped = false;

  constructor(judged: (owner: Owner, summary: WindowSummary) => void, failed: (owner: Owner, error: unknown) => void) {
    this.#judged = judged;
    this.#failed = failed;
  }

  add(owner: Owner, steps: Generator<void, WindowSummary>): void {
    this.#queue.push({ owner, steps });
    this.#schedule();
  }

  /** Judges `owner`'s waiting windows now, in order (every owner's when none is named). */
  finish(owner?: Owner): void {
    for (const waiting of [...this.#queue]) {
      if (owner !== undefined && waiting.owner !== owner) continue;
      this.#queue.splice(this.#queue.indexOf(waiting), 1);
      try {
        this.#judged(waiting.owner, finish(waiting.steps));
      } catch (error) {
        this.#failed(waiting.owner, error);
      }
    }
  }

  /** No more steps are scheduled (what waits is finished by `finish`, or summarised at the next start). */
  stop(): void {
    this.#stopped = true;
  }

  #schedule(): void {
    if (this.#scheduled || this.#stopped || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const next = this.#queue[0];
      if (!next) return;
      try {
        const step = next.steps.next();
        if (step.done) {
          this.#queue.shift();
          this.#judged(next.owner, step.value);
        }
      } catch (error) {
        this.#queue.shift();
        this.#failed(next.owner, error);
      }
      this.#schedule();
    });
  }
}
